/**
 * The front matter most notes have, read without the `yaml` package: top-level
 * `key: value` lines whose values are plain words or a flow list of them
 * (`tags: [a, b]`), or a block list of them (`- a` lines under `key:`). The
 * `yaml` package takes about a quarter of a note's whole parse for these few
 * lines. Anything else (quotes, comments, nesting, anchors, tabs, numbers other
 * than small integers, keywords like `true`, a repeated key, anything odd)
 * returns undefined and goes to `yaml`, so the result is always what `yaml`'s
 * `toJS` gives (test/unit/simpleYaml.test.ts compares both on generated input).
 */

const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** A plain scalar's first character that YAML may read as something else (an indicator, a number, a keyword). */
const SPECIAL_START = /^[-?:,[\]{}#&*!|>'"%@`.+~0-9]/;
const KEYWORD = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const SMALL_INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/** A date as front matter writes it: a string in YAML 1.2's core schema, which `yaml` uses. */
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const BLOCK_ITEM = /^ {0,8}- /;

/** The value of `yamlText` (as `parseDocument(...).toJS()` gives it, with no errors), or undefined when this reader cannot tell. */
export function readSimpleYaml(yamlText: string): Record<string, unknown> | undefined {
  if (yamlText.includes('\t') || yamlText.includes('\r')) return undefined;
  const lines = yamlText.split('\n');
  const data: Record<string, unknown> = {};
  let listKey: string | undefined;
  let list: string[] | undefined;
  let listIndent = -1;
  for (const line of lines) {
    if (line.trim() === '') {
      if (line.length > 0) return undefined;
      continue;
    }
    if (line.charCodeAt(0) === 32 || line.startsWith('- ')) {
      // An item of the block list under the key just read.
      if (listKey === undefined || !BLOCK_ITEM.test(line)) return undefined;
      const indent = line.indexOf('-');
      if (listIndent < 0) listIndent = indent;
      else if (indent !== listIndent) return undefined;
      const item = plainScalar(line.slice(indent + 2), false);
      if (item === undefined) return undefined;
      (list ??= []).push(item as string);
      data[listKey] = list;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const key = line.slice(0, colon);
    if (!KEY.test(key) || Object.prototype.hasOwnProperty.call(data, key)) return undefined;
    listKey = undefined;
    list = undefined;
    listIndent = -1;
    const rest = line.slice(colon + 1);
    if (rest.trim() === '') {
      if (rest.length > 0) return undefined;
      // `key:` alone: null, unless a block list follows.
      data[key] = null;
      listKey = key;
      continue;
    }
    if (rest.charCodeAt(0) !== 32 || rest.charCodeAt(1) === 32) return undefined;
    const value = rest.slice(1);
    if (value.charCodeAt(0) === 91 /* [ */) {
      const items = flowList(value);
      if (items === undefined) return undefined;
      data[key] = items;
    } else {
      const scalar = plainScalar(value, false);
      if (scalar === undefined) return undefined;
      data[key] = scalar;
    }
  }
  return data;
}

/** `[a, b, c]` of plain words, or undefined. */
function flowList(value: string): unknown[] | undefined {
  if (value.charCodeAt(value.length - 1) !== 93 /* ] */) return undefined;
  const inner = value.slice(1, -1);
  if (inner.trim() === '') return inner.length === 0 ? [] : undefined;
  const items: unknown[] = [];
  for (const part of inner.split(',')) {
    // One space after each comma, none before: the usual spelling; anything else goes to `yaml`.
    const item = items.length === 0 ? part : part.charCodeAt(0) === 32 ? part.slice(1) : undefined;
    if (item === undefined) return undefined;
    const scalar = plainScalar(item, true);
    if (scalar === undefined) return undefined;
    items.push(scalar);
  }
  return items;
}

/** A plain scalar: a string or a small integer, or undefined when YAML might read it as anything else. */
function plainScalar(text: string, inFlow: boolean): string | number | undefined {
  if (text.length === 0 || text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32) return undefined;
  if (SMALL_INTEGER.test(text)) return Number(text);
  if (DATE.test(text)) return text;
  if (SPECIAL_START.test(text) || KEYWORD.test(text)) return undefined;
  if (text.includes(':') || text.includes('#') || text.includes('  ')) return undefined;
  if (inFlow && /[[\]{},]/.test(text)) return undefined;
  return text;
}
