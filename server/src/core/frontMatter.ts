import { parseDocument } from 'yaml';
import type { FrontMatter, FrontMatterError } from './types';
import { scanWork } from './scanWork';
import { readSimpleYaml } from './simpleYaml';
import type { LineIndex } from './text';

export interface FrontMatterBlock {
  readonly frontMatter: FrontMatter;
  /** Offset just past the closing fence line. */
  readonly end: number;
}

/**
 * Front matter longer than this is not read as YAML: the `yaml` package takes
 * about a second per megabyte (several for flow lists), on every parse of the
 * note, every keystroke included. The block is still front matter (hidden from
 * the note's text), with an error saying why its properties are not read.
 */
export const MAX_FRONT_MATTER_LENGTH = 64 * 1024;

// Lines end at `\n`, `\r\n` or a lone `\r`, as everywhere else (`LineIndex`).
const OPENING_FENCE = /^---[ \t]*(?:\r\n?|\n)/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*(?:\r\n?|\n|$)/m;

/**
 * Finds and parses the YAML front matter at the very start of a note. Broken YAML
 * yields errors with ranges, never an exception, and the rest of the note is
 * parsed as usual.
 */
export function parseFrontMatter(text: string, lines: LineIndex): FrontMatterBlock | undefined {
  const opening = OPENING_FENCE.exec(text);
  if (!opening) return undefined;
  const bodyStart = opening[0].length;
  const rest = text.slice(bodyStart);
  // The closing fence must start a line; an empty front matter closes at once.
  const closing = CLOSING_FENCE.exec(rest);
  if (!closing) return undefined;
  const yamlText = rest.slice(0, closing.index);
  const end = bodyStart + closing.index + closing[0].length;

  const errors: FrontMatterError[] = [];
  let data: Record<string, unknown> | undefined;
  scanWork.steps += end;
  if (yamlText.length > MAX_FRONT_MATTER_LENGTH) {
    errors.push({
      message: `The front matter is ${Math.ceil(yamlText.length / 1024)} KB, larger than the ${MAX_FRONT_MATTER_LENGTH / 1024} KB Vaultlink reads as YAML; its properties (title, aliases, tags) are not read. Move the data into the note's body or another file.`,
      range: lines.range(0, opening[0].replace(/[\r\n]+$/, '').length),
    });
    return { end, frontMatter: { range: lines.range(0, end), title: undefined, aliases: [], tags: [], categories: [], data, errors } };
  }
  // Most front matter is a few `key: word` lines: read without `yaml`, which would take a quarter of the note's parse.
  const simple = readSimpleYaml(yamlText);
  if (simple) {
    data = simple;
  } else {
    try {
      // `yaml` takes only `\n` and `\r\n` for line breaks: a lone `\r` becomes `\n`, offsets unchanged.
      const doc = parseDocument(yamlText.includes('\r') ? yamlText.replace(/\r(?!\n)/g, '\n') : yamlText, { prettyErrors: false, uniqueKeys: false });
      for (const error of doc.errors) {
        const [from, to] = error.pos;
        errors.push({
          message: firstLine(error.message),
          range: lines.range(bodyStart + from, bodyStart + Math.max(to, from)),
        });
      }
      if (doc.errors.length === 0) {
        const value: unknown = doc.toJS({ maxAliasCount: 100 });
        if (value === null || value === undefined) data = {};
        else if (typeof value === 'object' && !Array.isArray(value)) data = value as Record<string, unknown>;
        else errors.push({ message: 'Front matter should be a set of `key: value` properties.', range: lines.range(bodyStart, bodyStart + yamlText.length) });
      }
    } catch (error) {
      errors.push({ message: error instanceof Error ? firstLine(error.message) : String(error), range: lines.range(0, end) });
    }
  }

  const title = data && typeof data.title === 'string' ? data.title : undefined;
  return {
    end,
    frontMatter: {
      range: lines.range(0, end),
      title,
      aliases: stringList(data?.aliases ?? data?.alias, /,/),
      tags: stringList(data?.tags ?? data?.tag, /[,\s]+/).map((tag) => tag.replace(/^#/, '')),
      categories: stringList(data?.categories, /,/),
      data,
      errors,
    },
  };
}

/** Obsidian properties are lists, or a comma (tags: comma or space) separated string. */
function stringList(value: unknown, separator: RegExp): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(separator) : value === undefined || value === null ? [] : [value];
  return items
    .filter((item): item is string | number => typeof item === 'string' || typeof item === 'number')
    .map((item) => String(item).trim())
    .filter((item) => item.length > 0);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
