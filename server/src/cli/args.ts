import { parseArgs } from 'node:util';
import { isTimeZone } from '../features/talks';

/**
 * The command line, read with Node's own `util.parseArgs` (strict: an unknown
 * option is an error) and checked value by value, so that every mistake is a
 * `UsageError` with a one-line reason and exit code 2 rather than a check run
 * on the wrong input.
 */

export type CheckFormat = 'text' | 'json' | 'sarif' | 'github';
export type OutlineFormat = 'markdown' | 'csv' | 'json' | 'ics';

export const CHECK_FORMATS: readonly CheckFormat[] = ['text', 'json', 'sarif', 'github'];
export const OUTLINE_FORMATS: readonly OutlineFormat[] = ['markdown', 'csv', 'json', 'ics'];

export interface CheckCommand {
  readonly kind: 'check';
  /** Folders (vaults) and notes, as typed; empty for the current folder. */
  readonly paths: readonly string[];
  readonly format: CheckFormat;
  /** -1: warnings never fail the check. */
  readonly maxWarnings: number;
  /** Vault-relative globs, beside the vault's own settings. */
  readonly exclude: readonly string[];
  /** Errors only: warnings and notices are neither printed nor counted. */
  readonly quiet: boolean;
  readonly fix: boolean;
  readonly dryRun: boolean;
  /** Keep parses in the user's cache folder between runs. */
  readonly cache: boolean;
}

export interface OutlineCommand {
  readonly kind: 'outline';
  /** Conference notes, or folders (every conference note in them). */
  readonly paths: readonly string[];
  readonly format: OutlineFormat;
  /** For `ics`: the year and time zone of notes that give none. */
  readonly year?: number;
  readonly timeZone?: string;
}

export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | CheckCommand | OutlineCommand;

/** Bad usage: exit code 2, with this one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  format: { type: 'string', short: 'f' },
  json: { type: 'boolean' },
  'max-warnings': { type: 'string' },
  exclude: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  fix: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  cache: { type: 'boolean' },
  year: { type: 'string' },
  'time-zone': { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** The options each command takes, beyond --help and --version. */
const COMMAND_OPTIONS: Record<'check' | 'outline', readonly OptionName[]> = {
  check: ['format', 'json', 'max-warnings', 'exclude', 'quiet', 'fix', 'dry-run', 'cache'],
  outline: ['format', 'year', 'time-zone'],
};

export const USAGE = `Usage: vaultlink check [folder | note.md ...] [options]
       vaultlink outline <note.md | folder ...> [--format markdown|csv|json|ics]
       vaultlink --help | --version

check: checks every note of each folder (a vault) for broken links, embeds,
images, headings and blocks, ambiguous links and broken front matter. With no
folder, the current one. A note given as a file is checked within its vault:
the nearest folder above it that holds .obsidian/, else the current folder if
the note is inside it, else the note's own folder.

Options for check:
  -f, --format <name>     text (the default: file:line:col: severity code: message),
                          json, sarif (SARIF 2.1.0) or github (workflow annotations)
      --json              the same as --format json
      --max-warnings <n>  fail when there are more than n warnings (default 0);
                          -1: warnings never fail. Notices never fail.
      --exclude <glob>    leave out files and folders (vault-relative, picomatch);
                          repeatable, beside the "exclude" of .vaultlink.json
  -q, --quiet             errors only: warnings are neither printed nor counted
      --fix               apply the unambiguous fixes (a link whose path, heading
                          or block differs from exactly one existing one only in
                          case, spaces, - or _, or .md), then check
      --dry-run           with --fix: print those fixes as a unified diff (a patch
                          for git apply) and write nothing
      --cache             keep parses in the user's cache folder for the next run
  -h, --help              this text
  -v, --version           the version

outline: prints the talk outline of conference notes (of every one in a folder).
  -f, --format <name>     markdown (the default: a table), csv, json or ics (an
                          iCalendar file: each talk an event)
      --year <yyyy>       ics: the year of notes whose front matter and title
                          give none
      --time-zone <zone>  ics: the IANA time zone (Asia/Seoul) of notes whose
                          front matter names none; without one, floating times

Settings: .vaultlink.json at a vault's root takes the keys of the editor
settings: "exclude", "validate.wikiLinks", "validate.markdownLinks" and
"diagnostics.severity" (nested or dotted, with or without "vaultlink.").
.obsidian/app.json is read as the editor reads it.

Exit codes:
  0  no errors and no more warnings than --max-warnings (outline: printed)
  1  errors, or more warnings than --max-warnings (outline: no talk found)
  2  bad usage: an unknown option or command, a bad value, a folder or note that
     does not exist, a bad .vaultlink.json; or the check could not run

Examples:
  vaultlink check                              the current folder
  vaultlink check notes --max-warnings -1      fail on errors only
  vaultlink check --format github              annotations in a GitHub Actions log
  vaultlink check --format sarif > vaultlink.sarif
  vaultlink check "notes/DEVIEW 2018.md"       one note, within its vault
  vaultlink check --exclude "templates/**"
  vaultlink check --fix --dry-run > fixes.patch
  vaultlink outline "notes/DEVIEW 2018.md" --format csv > talks.csv
  vaultlink outline notes --format ics --time-zone Asia/Seoul > talks.ics`;

/** Reads the command line (without `node` and the script). Throws UsageError. */
export function parseCommandLine(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(joinNegativeNumbers(argv));
  } catch (error) {
    throw new UsageError(oneLine(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...paths] = positionals;
  if (command === undefined) throw new UsageError('no command given: vaultlink check [folder ...], or vaultlink outline <note.md>');
  if (command === 'help') return { kind: 'help' };
  if (command !== 'check' && command !== 'outline') throw new UsageError(`unknown command "${command}": the commands are check and outline`);

  const allowed = new Set<string>([...COMMAND_OPTIONS[command], 'help', 'version']);
  for (const name of Object.keys(values)) {
    if (!allowed.has(name)) throw new UsageError(`the option --${name} is not one of ${command}'s`);
  }

  if (command === 'outline') {
    if (!paths.length) throw new UsageError('outline needs a note (or a folder): vaultlink outline <note.md>');
    const format = oneOf('--format', values.format ?? 'markdown', OUTLINE_FORMATS);
    if (format !== 'ics' && (values.year !== undefined || values['time-zone'] !== undefined)) throw new UsageError('--year and --time-zone go with --format ics');
    const year = values.year === undefined ? undefined : Number(values.year);
    if (year !== undefined && !(/^\d{4}$/.test(values.year!) && year >= 1900 && year < 3000)) throw new UsageError(`--year needs a year such as 2025, not "${values.year}"`);
    const timeZone = values['time-zone'];
    if (timeZone !== undefined && !isTimeZone(timeZone)) throw new UsageError(`--time-zone needs an IANA time zone such as Asia/Seoul, not "${timeZone}"`);
    return { kind: 'outline', paths, format, ...(year !== undefined && { year }), ...(timeZone !== undefined && { timeZone }) };
  }

  if (values.json && values.format !== undefined && values.format !== 'json') throw new UsageError(`--json and --format ${values.format} contradict each other`);
  if (values['dry-run'] && !values.fix) throw new UsageError('--dry-run goes with --fix: vaultlink check --fix --dry-run');
  const exclude = values.exclude ?? [];
  if (exclude.some((glob) => glob.trim() === '')) throw new UsageError('--exclude needs a glob, such as --exclude "templates/**"');
  return {
    kind: 'check',
    paths,
    format: values.json ? 'json' : oneOf('--format', values.format ?? 'text', CHECK_FORMATS),
    maxWarnings: maxWarningsOf(values['max-warnings']),
    exclude,
    quiet: values.quiet ?? false,
    fix: values.fix ?? false,
    dryRun: values['dry-run'] ?? false,
    cache: values.cache ?? false,
  };
}

function parseOptions(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
}

/**
 * `--max-warnings -1` as `--max-warnings=-1`: parseArgs refuses a value that
 * starts with a dash after a space (it may be a forgotten value), but -1 is the
 * documented "no limit".
 */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '')) args.push(`--max-warnings=${argv[++i]}`);
    else if (argv[i] === '--') {
      args.push(...argv.slice(i));
      break;
    } else args.push(argv[i]);
  }
  return args;
}

function maxWarningsOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < -1) {
    throw new UsageError(`--max-warnings takes a whole number of warnings (0 or more), or -1 for no limit, not "${text}"`);
  }
  return value;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} is one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

/** parseArgs explains over several lines; the first sentence says it. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0].trim();
  const unknown = /^Unknown option '([^']+)'/.exec(first);
  if (unknown) return `unknown option ${unknown[1]} (vaultlink --help lists them)`;
  // parseArgs names an option with a short form as '-q, --quiet'.
  const missing = /^Option '(?:-\w, )?([^' ]+)[^']*' argument missing/.exec(first);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /^Option '(?:-\w, )?([^' ]+)[^']*' argument is ambiguous/.exec(first);
  if (ambiguous) return `${ambiguous[1]} needs a value (a value starting with - goes as ${ambiguous[1]}=-…)`;
  const noValue = /^Option '(?:-\w, )?([^' ]+)[^']*' does not take an argument/.exec(first);
  if (noValue) return `${noValue[1]} takes no value`;
  return first.charAt(0).toLowerCase() + first.slice(1);
}
