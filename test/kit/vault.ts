import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position } from 'vscode-languageserver-types';
import { createVaultService, type VaultService } from '../../server/src/index';
import { InMemoryFileSystem } from './inMemoryFileSystem';

export const SEED_VAULT = path.resolve(__dirname, '../../examples/conference-notes');
export const LINE_NOTE = '2021 Line Developer Day.md';
export const DEVIEW_NOTE = 'DEVIEW 2018.md';

export interface TestVault {
  readonly service: VaultService;
  readonly fs: InMemoryFileSystem;
  uri(relativePath: string): string;
}

/** Indexes an in-memory vault. */
export async function openVault(files: Record<string, string | Uint8Array>): Promise<TestVault> {
  const fs = new InMemoryFileSystem(files);
  const service = createVaultService({ fileSystem: fs });
  service.setRoots([fs.rootUri]);
  await service.indexAll();
  return { service, fs, uri: (relativePath) => fs.uri(relativePath) };
}

/** The sample vault (the seed conference notes), read into memory. */
export function seedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(SEED_VAULT)) files[name] = fs.readFileSync(path.join(SEED_VAULT, name), 'utf8');
  return files;
}

/**
 * Splits a fixture with a `$0` cursor marker into the text and the cursor's position,
 * so tests read as the note a user would be typing in.
 */
export function withCursor(textWithCursor: string): { text: string; position: Position } {
  const offset = textWithCursor.indexOf('$0');
  if (offset < 0) throw new Error('fixture has no $0 cursor');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 2);
  const before = text.slice(0, offset).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

/** Opens `relativePath` in the vault as an editor would, with the cursor marker's text. */
export async function typeInto(relativePath: string, textWithCursor: string, files: Record<string, string> = {}): Promise<{ vault: TestVault; uri: string; position: Position }> {
  const { text, position } = withCursor(textWithCursor);
  const vault = await openVault({ ...files, [relativePath]: text });
  const uri = vault.uri(relativePath);
  vault.service.setDocumentText(uri, text);
  return { vault, uri, position };
}
