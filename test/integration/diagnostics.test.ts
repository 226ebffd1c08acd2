// Diagnostics for broken links: the Line note embeds 43 images that the vault
// does not hold, and all its heading links resolve.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, codeOf, indexedVault, noteUri, openNote, poll } from './helpers';

const MISSING_IMAGE = 'link.missing-image';
const FIXED_IMAGE = 'What_mlops.png';

function vaultlinkDiagnostics(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'vaultlink' && codeOf(diagnostic) === code);
}

describe('diagnostics', () => {
  const uri = () => noteUri(LINE_NOTE);

  before(async () => {
    await indexedVault();
    await openNote(LINE_NOTE);
  });

  after(async () => {
    await vscode.workspace.fs.delete(noteUri(FIXED_IMAGE)).then(undefined, () => undefined);
  });

  it('reports each of the 43 missing embedded images, and no missing heading', async () => {
    const missing = await poll(
      () => vaultlinkDiagnostics(uri(), MISSING_IMAGE),
      (found) => found.length >= 43,
      { what: '43 link.missing-image diagnostics' },
    );
    assert.strictEqual(missing.length, 43);
    assert.deepStrictEqual(vaultlinkDiagnostics(uri(), 'link.missing-heading'), []);
  });

  it(`creating ${FIXED_IMAGE} clears exactly its diagnostic`, async () => {
    const document = await vscode.workspace.openTextDocument(uri());
    const onFixedImage = (diagnostic: vscode.Diagnostic) =>
      document.lineAt(diagnostic.range.start.line).text.includes(`![[${FIXED_IMAGE}]]`);
    const before = vaultlinkDiagnostics(uri(), MISSING_IMAGE);
    assert.strictEqual(before.filter(onFixedImage).length, 1, `no diagnostic on the ${FIXED_IMAGE} embed`);

    await vscode.workspace.fs.writeFile(noteUri(FIXED_IMAGE), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    const after = await poll(
      () => vaultlinkDiagnostics(uri(), MISSING_IMAGE),
      (found) => found.length === 42,
      { what: '42 link.missing-image diagnostics after creating the image' },
    );
    assert.strictEqual(after.filter(onFixedImage).length, 0, `${FIXED_IMAGE} is still reported missing`);
  });
});
