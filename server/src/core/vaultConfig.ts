/**
 * The parts of Obsidian's `.obsidian/app.json` that matter to a language server.
 * None of them changes how an existing link resolves; they say how new links,
 * notes and attachments are written, and what is hidden from suggestions.
 */
export interface VaultConfig {
  /** The form of link paths Vaultlink writes (completion, quick fixes). */
  readonly newLinkFormat: 'shortest' | 'relative' | 'absolute';
  /** Whether new links are written as markdown links rather than wiki links. */
  readonly useMarkdownLinks: boolean;
  /** Where new notes go: the vault root, the linking note's folder, or a fixed folder. */
  readonly newFileLocation: 'root' | 'current' | 'folder';
  readonly newFileFolderPath: string;
  /** `/` the root, `./` the note's folder, `./sub` below it, or a fixed folder. */
  readonly attachmentFolderPath: string;
  /** Path prefixes or `/regex/`: ranked last in suggestions, still resolved. */
  readonly userIgnoreFilters: readonly string[];
}

export const defaultVaultConfig: VaultConfig = {
  newLinkFormat: 'shortest',
  useMarkdownLinks: false,
  newFileLocation: 'root',
  newFileFolderPath: '',
  attachmentFolderPath: '/',
  userIgnoreFilters: [],
};

/** Reads app.json text; anything missing or malformed keeps Obsidian's default. */
export function parseVaultConfig(text: string | undefined): VaultConfig {
  if (!text) return defaultVaultConfig;
  let raw: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return defaultVaultConfig;
    raw = value as Record<string, unknown>;
  } catch {
    return defaultVaultConfig;
  }
  const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
  const text_ = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  return {
    newLinkFormat: pick(raw.newLinkFormat, ['shortest', 'relative', 'absolute'] as const, 'shortest'),
    useMarkdownLinks: raw.useMarkdownLinks === true,
    newFileLocation: pick(raw.newFileLocation, ['root', 'current', 'folder'] as const, 'root'),
    newFileFolderPath: text_(raw.newFileFolderPath, '').replace(/^\/+|\/+$/g, ''),
    attachmentFolderPath: text_(raw.attachmentFolderPath, '/'),
    userIgnoreFilters: Array.isArray(raw.userIgnoreFilters) ? raw.userIgnoreFilters.filter((f): f is string => typeof f === 'string' && f.trim() !== '') : [],
  };
}

/** Whether Obsidian's "excluded files" setting hides this path from suggestions. */
export function isUserIgnored(config: VaultConfig, relativePath: string): boolean {
  return config.userIgnoreFilters.some((filter) => {
    const regex = /^\/(.*)\/([a-z]*)$/.exec(filter);
    if (regex) {
      try {
        return new RegExp(regex[1], regex[2]).test(relativePath);
      } catch {
        return false;
      }
    }
    return relativePath.startsWith(filter.replace(/^\//, ''));
  });
}

/** The folder a new note created from a link in `fromFolder` goes to. */
export function newNoteFolder(config: VaultConfig, fromFolder: string): string {
  switch (config.newFileLocation) {
    case 'current':
      return fromFolder;
    case 'folder':
      return config.newFileFolderPath;
    default:
      return '';
  }
}

/** The folder new attachments of a note in `fromFolder` go to. */
export function attachmentFolder(config: VaultConfig, fromFolder: string): string {
  const setting = config.attachmentFolderPath.trim();
  if (setting === '' || setting === '/') return '';
  if (setting === './' || setting === '.') return fromFolder;
  if (setting.startsWith('./')) return [fromFolder, setting.slice(2)].filter(Boolean).join('/').replace(/\/+$/, '');
  return setting.replace(/^\/+|\/+$/g, '');
}
