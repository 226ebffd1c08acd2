import { defaultVaultSettings, type VaultSettings } from '../vaultService';
import type { DiagnosticCodeValue, DiagnosticLevel } from '../features/diagnostics';
import type { TalkSettings } from '../features/talks';

/** The `vaultlink.*` settings as the client sends them (see package.json `contributes.configuration`). */
export interface ClientSettings {
  readonly exclude?: readonly string[];
  readonly validate?: { readonly wikiLinks?: boolean; readonly markdownLinks?: boolean };
  readonly diagnostics?: { readonly scope?: string; readonly severity?: Partial<Record<DiagnosticCodeValue, DiagnosticLevel>> };
  readonly completion?: { readonly maxItems?: number };
  readonly codeLens?: { readonly backlinks?: boolean };
  readonly talks?: {
    readonly patterns?: Record<string, unknown>;
    readonly calendar?: { readonly year?: unknown; readonly timeZone?: unknown };
  };
}

const LEVELS = new Set<DiagnosticLevel>(['off', 'hint', 'information', 'warning', 'error']);

/** Settings in, service options out; anything malformed falls back to the default. */
export function readSettings(settings: ClientSettings, files: { exclude?: Record<string, boolean> } | undefined): VaultSettings {
  const severity = { ...defaultVaultSettings.diagnostics.severity };
  for (const [code, level] of Object.entries(settings.diagnostics?.severity ?? {})) {
    if (code in severity && LEVELS.has(level as DiagnosticLevel)) severity[code as DiagnosticCodeValue] = level as DiagnosticLevel;
  }
  const filesExclude = Object.entries(files?.exclude ?? {})
    .filter(([, enabled]) => enabled === true)
    .map(([glob]) => glob);
  const maxItems = settings.completion?.maxItems;
  return {
    exclude: [...filesExclude, ...(Array.isArray(settings.exclude) ? settings.exclude.filter((glob) => typeof glob === 'string') : [])],
    diagnostics: {
      validateWikiLinks: settings.validate?.wikiLinks ?? true,
      validateMarkdownLinks: settings.validate?.markdownLinks ?? true,
      severity,
    },
    diagnosticScope: settings.diagnostics?.scope === 'openNotes' ? 'openNotes' : 'workspace',
    codeLens: { backlinks: settings.codeLens?.backlinks !== false },
    completion: { maxItems: typeof maxItems === 'number' && maxItems > 0 ? Math.min(maxItems, 500) : defaultVaultSettings.completion.maxItems },
    talks: readTalkSettings(settings.talks),
  };
}

/** `vaultlink.talks.*`: lists of pattern strings per field, a year between 1900 and 2999, a zone name. */
function readTalkSettings(talks: ClientSettings['talks']): TalkSettings | undefined {
  if (!talks || typeof talks !== 'object') return undefined;
  const patterns: Record<string, string[]> = {};
  for (const field of ['day', 'time', 'track', 'room', 'speaker'] as const) {
    const list = talks.patterns?.[field];
    if (Array.isArray(list)) patterns[field] = list.filter((item): item is string => typeof item === 'string');
  }
  const year = talks.calendar?.year;
  const timeZone = talks.calendar?.timeZone;
  return {
    ...(Object.keys(patterns).length ? { patterns } : {}),
    ...(typeof year === 'number' && Number.isInteger(year) && year >= 1900 && year < 3000 ? { calendarYear: year } : {}),
    ...(typeof timeZone === 'string' && timeZone.trim() ? { calendarTimeZone: timeZone.trim() } : {}),
  };
}
