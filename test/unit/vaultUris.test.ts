import * as assert from 'node:assert/strict';
import { URI, Utils } from 'vscode-uri';
import { VaultIndex } from '../../server/src/core/vaultIndex';
import { SeededRandom } from '../../bench/random';

/**
 * A file's URI is its identity between the index, the editor and every
 * answer: `VaultIndex.uriOf` spells it without vscode-uri's objects for plain
 * paths, and must spell it exactly as `Utils.joinPath(root, …).toString()`
 * does, which is how the editor's URIs and the index's agreed before.
 */
describe('file URIs of a vault', () => {
  const roots = [
    'file:///vault',
    'file:///home/me/My%20Notes',
    'file:///home/me/notes/',
    'file:///c%3A/Users/Kim/%EB%85%B8%ED%8A%B8',
    'file:///C:/Users/Kim/Vault',
    'file://server/share/vault',
    'file:///a//b/./c/../d',
    'file:///',
    'file:///vault?x=1',
    'file:///vault#frag',
    'vscode-vfs://github/owner/repo',
    'untitled:notes',
  ];
  // Every printable ASCII character, controls, Korean (NFC and NFD), accents, emoji, a lone surrogate, the BOM.
  const pool = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\t', '\u0001', '\u007f', '한', '\u1112\u1161\u11ab', 'é', 'e\u0301', '😀', '\udc00', '\ufeff', '\u00a0', '노트'];
  const expected = (root: string, relativePath: string) => Utils.joinPath(URI.parse(root), ...relativePath.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\ufffd').split('/')).toString();

  it('spells every path as vscode-uri does, from every kind of root', () => {
    const random = new SeededRandom(15);
    const paths = ['a.md', 'Folder/Note.md', '회의/2일차 정리.md', 'a b/c#d?.md', "it's (1)!*.md", '100%.md', 'x/./y.md', 'x/../y.md', 'x//y.md', 'x/', '.', '..', '.obsidian/app.json', 'C:/x.md', '~user/file.md'];
    for (let i = 0; i < 2000; i++) {
      const segments = Array.from({ length: random.int(1, 3) }, () => Array.from({ length: random.int(0, 5) }, () => pool[random.int(0, pool.length - 1)]).join(''));
      paths.push(segments.join('/'));
    }
    let compared = 0;
    for (const root of roots) {
      const vault = new VaultIndex(root);
      for (const path of paths) {
        assert.equal(vault.uriOf(path), expected(root, path), `${root} + ${JSON.stringify(path)}`);
        compared++;
      }
    }
    assert.equal(compared, roots.length * paths.length);
  });

  it('gives the indexed file that URI, and finds the file by it', () => {
    const vault = new VaultIndex('file:///home/me/My%20Notes');
    for (const path of ['회의/2일차 정리.md', "it's (1)!*.md", 'a b/c#d?.md']) {
      vault.addFile(path);
      const file = vault.fileAt(path)!;
      assert.equal(file.uri, expected(vault.rootUri, path));
      assert.equal(vault.fileForUri(file.uri), file);
    }
  });
});
