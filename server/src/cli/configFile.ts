import { DiagnosticCode, type DiagnosticLevel } from '../features/diagnostics';
import type { ClientSettings } from '../lsp/settings';
import { UsageError } from './args';

/**
 * `.vaultlink.json` at a vault's root: the editor settings for the CLI, with
 * the keys of VS Code's `vaultlink.*` settings, written nested
 * (`{ "diagnostics": { "severity": { … } } }`), dotted
 * (`{ "diagnostics.severity": { … } }`), with or without the `vaultlink.`
 * prefix, or inside a `{ "vaultlink": { … } }` object as other editors write it.
 * A mistake in it (bad JSON, an unknown key, a wrong value) is a UsageError:
 * CI must not pass on a setting silently ignored.
 */

export const CONFIG_FILE = '.vaultlink.json';

const LEVELS: readonly DiagnosticLevel[] = ['off', 'hint', 'information', 'warning', 'error'];
const CODES: readonly string[] = Object.values(DiagnosticCode);

/** Reads the file's text (undefined: no file) into the settings readSettings takes. */
export function parseConfigFile(text: string | undefined, where: string): ClientSettings {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(value)) throw new UsageError(`${where} must hold a JSON object of settings, such as { "exclude": ["templates/**"] }`);
  const nested: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === '$schema') continue;
    if (key === 'vaultlink') {
      if (!isObject(entry)) throw new UsageError(`${where}: "vaultlink" must be an object of settings`);
      for (const [inner, innerEntry] of Object.entries(entry)) place(nested, inner, innerEntry, where);
    } else {
      place(nested, key.replace(/^vaultlink\./, ''), entry, where);
    }
  }
  return validate(nested, where);
}

/** Puts a dotted key's value into the nested settings, merging objects. */
function place(target: Record<string, unknown>, key: string, value: unknown, where: string): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined) node = node[part] = {};
    else if (isObject(next)) node = next;
    else throw new UsageError(`${where}: "${key}" conflicts with another setting`);
  }
  const last = parts[parts.length - 1];
  const existing = node[last];
  if (isObject(existing) && isObject(value)) node[last] = { ...existing, ...value };
  else if (existing !== undefined) throw new UsageError(`${where}: "${key}" is set twice`);
  else node[last] = value;
}

function validate(settings: Record<string, unknown>, where: string): ClientSettings {
  const fail = (message: string): never => {
    throw new UsageError(`${where}: ${message}`);
  };
  const known = (object: Record<string, unknown>, keys: readonly string[], prefix: string) => {
    for (const key of Object.keys(object)) if (!keys.includes(key)) fail(`unknown setting "${prefix}${key}" (the settings are exclude, validate.wikiLinks, validate.markdownLinks, diagnostics.severity, diagnostics.scope, completion.maxItems)`);
  };
  known(settings, ['exclude', 'validate', 'diagnostics', 'completion', 'trace'], '');
  const { exclude, validate: checks, diagnostics, completion } = settings;
  if (exclude !== undefined && !(Array.isArray(exclude) && exclude.every((glob) => typeof glob === 'string'))) fail('"exclude" must be an array of globs, such as ["templates/**"]');
  if (checks !== undefined) {
    if (!isObject(checks)) fail('"validate" must be an object');
    else {
      known(checks, ['wikiLinks', 'markdownLinks'], 'validate.');
      for (const [key, flag] of Object.entries(checks)) if (typeof flag !== 'boolean') fail(`"validate.${key}" must be true or false`);
    }
  }
  if (diagnostics !== undefined) {
    if (!isObject(diagnostics)) fail('"diagnostics" must be an object');
    else {
      known(diagnostics, ['severity', 'scope'], 'diagnostics.');
      const { severity, scope } = diagnostics;
      if (scope !== undefined && scope !== 'workspace' && scope !== 'openNotes') fail('"diagnostics.scope" is "workspace" or "openNotes"');
      if (severity !== undefined) {
        if (!isObject(severity)) fail('"diagnostics.severity" must be an object of code: level');
        else {
          for (const [code, level] of Object.entries(severity)) {
            if (!CODES.includes(code)) fail(`unknown diagnostic code "${code}" in "diagnostics.severity" (the codes are ${CODES.join(', ')})`);
            if (!LEVELS.includes(level as DiagnosticLevel)) fail(`"diagnostics.severity" of "${code}" is one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
          }
        }
      }
    }
  }
  if (completion !== undefined && !isObject(completion)) fail('"completion" must be an object');
  return settings as ClientSettings;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
