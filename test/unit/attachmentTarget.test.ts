// Where pasted and dropped files go (features/attachmentTarget.ts through the
// vault service): the folder .obsidian/app.json names, Obsidian's names for
// pasted images, and the link written in the vault's style; never outside the vault.
import * as assert from 'node:assert/strict';
import type { AttachmentSource } from '../../server/src/features/attachmentTarget';
import { openVault, type TestVault } from '../kit/vault';

/** 2024-01-31 09:30:05, local time, as Obsidian stamps a pasted image. */
const PASTED_AT = new Date(2024, 0, 31, 9, 30, 5);
const SCREENSHOT: AttachmentSource = { mimeType: 'image/png' };

async function vaultWith(appJson: object | string | undefined, files: Record<string, string> = {}): Promise<TestVault> {
  const config: Record<string, string> = appJson === undefined ? {} : { '.obsidian/app.json': typeof appJson === 'string' ? appJson : JSON.stringify(appJson) };
  return openVault({ 'talks/2024/Keynote.md': '# Keynote\n', ...config, ...files });
}

async function place(vault: TestVault, sources: AttachmentSource[], note = 'talks/2024/Keynote.md') {
  return vault.service.getAttachmentTargets(vault.uri(note), sources, PASTED_AT);
}

describe('attachment targets for paste and drop', () => {
  const forms: Array<[setting: string | undefined, folder: string]> = [
    [undefined, ''],
    ['/', ''],
    ['./', 'talks/2024/'],
    ['./assets', 'talks/2024/assets/'],
    ['./assets/', 'talks/2024/assets/'],
    ['attachments', 'attachments/'],
    ['media/images', 'media/images/'],
  ];
  for (const [setting, folder] of forms) {
    it(`puts a pasted image in "${folder || '(vault root)'}" for attachmentFolderPath ${JSON.stringify(setting ?? '(unset)')}`, async () => {
      const vault = await vaultWith(setting === undefined ? undefined : { attachmentFolderPath: setting });
      const [placement] = await place(vault, [SCREENSHOT]);
      assert.ok(placement);
      assert.equal(placement.relativePath, `${folder}Pasted image 20240131093005.png`);
      assert.equal(placement.targetUri, vault.uri(placement.relativePath));
      assert.equal(placement.linkText, '![[Pasted image 20240131093005.png]]');
    });
  }

  const hostile = ['../../etc', '/../outside', '../', './../../../etc', './../..', '~/x', 'C:\\Windows', '\\\\server\\share', 'file:///etc', 'a/../../b'];
  for (const setting of hostile) {
    it(`never places a file outside the vault for attachmentFolderPath ${JSON.stringify(setting)}`, async () => {
      const vault = await vaultWith({ attachmentFolderPath: setting });
      const [placement] = await place(vault, [SCREENSHOT]);
      // Ignored as Obsidian's default would be (the vault root), or, for `./` climbing above the root, the root itself.
      assert.equal(placement?.relativePath, 'Pasted image 20240131093005.png');
      assert.equal(placement.targetUri, `${vault.fs.rootUri}/Pasted%20image%2020240131093005.png`);
    });
  }

  it('numbers a taken name as Obsidian does, counting files on disk the index has not seen and files of the same drop', async () => {
    const vault = await vaultWith({ attachmentFolderPath: 'attachments' }, { 'attachments/Pasted image 20240131093005.png': '' });
    // Written a moment ago, not indexed yet.
    vault.fs.write('attachments/Pasted image 20240131093005 1.png', '');
    const placements = await place(vault, [SCREENSHOT, SCREENSHOT]);
    assert.deepEqual(
      placements.map((p) => p?.relativePath),
      ['attachments/Pasted image 20240131093005 2.png', 'attachments/Pasted image 20240131093005 3.png'],
    );
    assert.equal(placements[0]?.linkText, '![[Pasted image 20240131093005 2.png]]');
  });

  it('writes the path from the vault root when another file has the same name (shortest links stay unambiguous)', async () => {
    const vault = await vaultWith({ attachmentFolderPath: 'attachments' }, { 'old/diagram.png': '' });
    const [placement] = await place(vault, [{ name: 'diagram.png', sourceUri: 'file:///home/me/Desktop/diagram.png' }]);
    assert.equal(placement?.relativePath, 'attachments/diagram.png');
    assert.equal(placement?.linkText, '![[attachments/diagram.png]]');
  });

  it('writes markdown links in a vault with useMarkdownLinks, encoded, in the newLinkFormat asked for', async () => {
    const vault = await vaultWith({ attachmentFolderPath: './assets', useMarkdownLinks: true, newLinkFormat: 'relative' });
    const [image, pdf] = await place(vault, [SCREENSHOT, { name: 'Talk slides (v2).pdf', sourceUri: 'file:///tmp/Talk slides (v2).pdf' }]);
    assert.equal(image?.linkText, '![](assets/Pasted%20image%2020240131093005.png)');
    assert.equal(pdf?.linkText, '![](assets/Talk%20slides%20%28v2%29.pdf)');
    const absolute = await vaultWith({ attachmentFolderPath: 'media', newLinkFormat: 'absolute' });
    assert.equal((await place(absolute, [SCREENSHOT]))[0]?.linkText, '![[media/Pasted image 20240131093005.png]]');
  });

  it('links a dropped file that is already in the vault where it is, without a copy', async () => {
    const vault = await vaultWith({ attachmentFolderPath: 'attachments' }, { 'images/stage.jpg': '', 'Other note.md': '# Other\n' });
    const [image, note] = await place(vault, [
      { name: 'stage.jpg', sourceUri: vault.uri('images/stage.jpg') },
      { name: 'Other note.md', sourceUri: vault.uri('Other note.md') },
    ]);
    assert.deepEqual(image, { relativePath: 'images/stage.jpg', linkText: '![[stage.jpg]]' });
    assert.deepEqual(note, { relativePath: 'Other note.md', linkText: '[[Other note]]' });
  });

  it('keeps only the last segment of a dropped file name, without what Obsidian refuses in names', async () => {
    const vault = await vaultWith({ attachmentFolderPath: 'attachments' });
    const placements = await place(vault, [{ name: '../../etc/passwd' }, { name: 'a:b|c.png' }, { name: '..' }, { name: '.hidden.png' }, { name: 'notes.zip' }]);
    assert.deepEqual(
      placements.map((p) => p?.relativePath),
      ['attachments/passwd', 'attachments/a b c.png', undefined, 'attachments/hidden.png', 'attachments/notes.zip'],
    );
    assert.equal(placements[4]?.linkText, '[[notes.zip]]', 'a file that cannot be shown is linked, not embedded');
  });

  it('places nothing for data with neither a name nor an image type, and nothing for a note outside every vault', async () => {
    const vault = await vaultWith(undefined);
    assert.deepEqual(await place(vault, [{ mimeType: 'text/plain' }, {}]), [undefined, undefined]);
    assert.deepEqual(await vault.service.getAttachmentTargets('file:///elsewhere/x.md', [SCREENSHOT]), [undefined]);
  });

  it('follows an .obsidian/ folder created with app.json inside, reported by the watcher as the folder alone', async () => {
    const vault = await vaultWith(undefined);
    assert.equal((await place(vault, [SCREENSHOT]))[0]?.relativePath, 'Pasted image 20240131093005.png');
    vault.fs.write('.obsidian/app.json', JSON.stringify({ attachmentFolderPath: 'attachments' }));
    await vault.service.fileChanged(vault.uri('.obsidian'));
    assert.equal((await place(vault, [SCREENSHOT]))[0]?.relativePath, 'attachments/Pasted image 20240131093005.png');
    vault.fs.delete('.obsidian/app.json');
    await vault.service.fileDeleted(vault.uri('.obsidian'));
    assert.equal((await place(vault, [SCREENSHOT]))[0]?.relativePath, 'Pasted image 20240131093005.png');
  });

  it('names pasted JPEG and SVG images with their usual extensions', async () => {
    const vault = await vaultWith(undefined);
    const placements = await place(vault, [{ mimeType: 'image/jpeg' }, { mimeType: 'image/svg+xml' }, { mimeType: 'image/../../x' }]);
    assert.deepEqual(
      placements.map((p) => p?.relativePath),
      ['Pasted image 20240131093005.jpg', 'Pasted image 20240131093005.svg', undefined],
    );
  });
});
