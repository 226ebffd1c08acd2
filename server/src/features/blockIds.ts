import type { TextEdit } from 'vscode-languageserver-types';
import type { IndexedNote } from '../core/vaultIndex';
import { blockCandidates } from './blockCandidates';

/**
 * The server command a `[[^^` completion item of another note's block carries
 * when that block has no id yet: executing it appends ` ^id` to the block's
 * last line in that note (workspace/executeCommand, then workspace/applyEdit).
 */
export const ADD_BLOCK_ID_COMMAND = 'vaultlink.addBlockId';

/** The command's one argument: which block of which note gets which id. */
export interface AddBlockIdArguments {
  readonly uri: string;
  /** The line that carries the block's id (its last line). */
  readonly line: number;
  /** The block's text as it was offered (capped, see blockTextIndex.ts): the line must still hold that block. */
  readonly text: string;
  readonly id: string;
}

const ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new block id as Obsidian makes them: six random lowercase letters and digits, none the note has (case-blind). */
export function randomBlockId(taken: ReadonlySet<string>, random: () => number = Math.random): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < 6; i++) id += ID_LETTERS[Math.floor(random() * ID_LETTERS.length) % ID_LETTERS.length];
    if (!taken.has(id)) return id;
  }
}

/** Whether a value is the command's argument (it comes from the client, so is checked). */
export function isAddBlockIdArguments(value: unknown): value is AddBlockIdArguments {
  const args = value as Partial<AddBlockIdArguments> | undefined;
  return (
    typeof args === 'object' && args !== null && typeof args.uri === 'string' && typeof args.text === 'string' && typeof args.id === 'string' &&
    /^[A-Za-z0-9-]{1,64}$/.test(args.id) && Number.isInteger(args.line) && (args.line as number) >= 0
  );
}

/**
 * The edit that gives a note's block its id, checked against the note's text
 * now: the line must still end a block with the text that was offered (`matches`
 * compares it as the offer capped it) and no id, and no block of the note may
 * have the id. Otherwise why not, in words for the user.
 */
export function addBlockIdEdit(note: IndexedNote, text: string, args: AddBlockIdArguments, matches: (blockText: string, offered: string) => boolean): { edit: TextEdit } | { refused: string } | { unchanged: true } {
  const blocks = blockCandidates(text, note.parsed.blocks);
  const block = blocks.find((candidate) => candidate.line === args.line);
  if (!block || !matches(block.text, args.text)) {
    return { refused: `The block was not given its id: line ${args.line + 1} of ${note.name} no longer holds "${args.text}". Its link [[${note.name}#^${args.id}]] points at no block yet.` };
  }
  if (block.id) {
    return block.id.toLowerCase() === args.id.toLowerCase() ? { unchanged: true } : { refused: `The block has the id ^${block.id} since it was offered: the link was written with ^${args.id}; change it to ^${block.id}.` };
  }
  if (blocks.some((candidate) => candidate.id?.toLowerCase() === args.id.toLowerCase()) || note.parsed.blocks.some((anchor) => anchor.id.toLowerCase() === args.id.toLowerCase())) {
    return { refused: `${note.name} already has a block ^${args.id}: the block was not given it.` };
  }
  const at = { line: args.line, character: block.endCharacter };
  return { edit: { range: { start: at, end: at }, newText: ` ^${args.id}` } };
}
