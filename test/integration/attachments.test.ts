// Paste and drop of images and files (client/src/paste), and one answer per
// question where VS Code's built-in markdown features answer too.
//
// A test cannot put an image on the clipboard of code-server's browser, so the
// paste goes through the paste API as VS Code calls it: the extension's
// registered DocumentPasteEditProvider gets a DataTransfer holding a file item,
// and its edit is applied as VS Code applies a paste (the text at the
// selection, then the additional edit that writes the file).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, indexedVault, noteUri, poll, vaultFolder } from './helpers';

/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

interface PasteEdit {
  insertText: string | vscode.SnippetString;
  additionalEdit?: vscode.WorkspaceEdit;
}
interface AttachmentsApi {
  attachments: {
    paste?: { provideDocumentPasteEdits(document: vscode.TextDocument, ranges: readonly vscode.Range[], dataTransfer: vscode.DataTransfer, context: { only: undefined; triggerKind: number }, token: vscode.CancellationToken): Promise<PasteEdit[] | undefined> };
    drop: vscode.DocumentDropEditProvider;
  };
}

/** A clipboard or drag item that is a file, as VS Code builds one for a screenshot or a file from the desktop. */
class FileItem extends vscode.DataTransferItem {
  constructor(
    private readonly file: { name: string; bytes: Uint8Array; uri?: vscode.Uri },
  ) {
    super('');
  }
  override asFile(): vscode.DataTransferFile {
    return { name: this.file.name, uri: this.file.uri, data: async () => this.file.bytes };
  }
}

const write = (relativePath: string, data: string | Uint8Array) =>
  vscode.workspace.fs.writeFile(noteUri(relativePath), typeof data === 'string' ? new TextEncoder().encode(data) : data);

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

/**
 * Waits until the server has read the app.json written by the test (from the
 * watcher's event): its "Reveal" quick fix for a missing image names the folder.
 */
async function serverUsesAttachmentsFolder(): Promise<void> {
  const uri = noteUri('2021 Line Developer Day.md');
  await vscode.workspace.openTextDocument(uri);
  await poll(
    async () => {
      const [missing] = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'vaultlink' && codeOf(d) === 'link.missing-image');
      if (!missing) return [];
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, missing.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      return actions.map((action) => action.title);
    },
    (titles) => titles.some((title) => title.startsWith('Reveal the attachments folder "attachments/"')),
    { what: 'the server to read attachmentFolderPath from the new .obsidian/app.json' },
  );
}

/** Applies a paste or drop edit as VS Code does: the text replaces the selection, then the files are written. */
async function applyAsVsCode(editor: vscode.TextEditor, edit: PasteEdit): Promise<void> {
  const text = typeof edit.insertText === 'string' ? edit.insertText : edit.insertText.value;
  assert.ok(await editor.edit((builder) => builder.replace(editor.selection, text)));
  if (edit.additionalEdit) assert.ok(await vscode.workspace.applyEdit(edit.additionalEdit), 'the edit that writes the file was refused');
}

describe('paste and drop of images and files', () => {
  let api: AttachmentsApi;
  const created: string[] = ['Paste here.md', 'attachments', '.obsidian/app.json', 'images/stage.png', 'Stage links.md', 'Stage links 2.md'];

  before(async () => {
    await indexedVault();
    api = (await activateExtension()) as unknown as AttachmentsApi;
    await write('.obsidian/app.json', JSON.stringify({ attachmentFolderPath: 'attachments' }));
    await write('Paste here.md', '# Paste here\n\n\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const path of created) await vscode.workspace.fs.delete(noteUri(path), { recursive: true }).then(undefined, () => undefined);
  });

  it('saves a pasted image as "Pasted image YYYYMMDDHHmmss.png" in the attachments folder of app.json and links it as ![[…]]', async () => {
    const paste = api.attachments.paste;
    assert.ok(paste, `VS Code ${vscode.version} has the paste API, but the extension registered no paste provider`);
    const document = await vscode.workspace.openTextDocument(noteUri('Paste here.md'));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    const clipboard = new vscode.DataTransfer();
    // The browser names clipboard image data `image.png`; Obsidian's name replaces it.
    clipboard.set('image/png', new FileItem({ name: 'image.png', bytes: PNG }));
    await serverUsesAttachmentsFolder();
    const edits = (await paste.provideDocumentPasteEdits(document, [editor.selection], clipboard, { only: undefined, triggerKind: 0 }, new vscode.CancellationTokenSource().token)) ?? [];
    assert.strictEqual(edits.length, 1, 'one paste edit');
    await applyAsVsCode(editor, edits[0]);
    const line = document.lineAt(2).text;
    const name = /^!\[\[(Pasted image \d{14}\.png)\]\]$/.exec(line)?.[1];
    assert.ok(name, `the pasted line reads ${JSON.stringify(line)}`);
    const file = vscode.Uri.joinPath(vaultFolder().uri, 'attachments', name);
    assert.deepStrictEqual([...(await vscode.workspace.fs.readFile(file))], [...PNG], 'the image bytes were not written to attachments/');
    await document.save();
    // The link resolves: no missing-image problem for it once the server has seen the file.
    await poll(
      () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'vaultlink' && codeOf(d) === 'link.missing-image'),
      (problems) => problems.length === 0,
      { what: 'the pasted image link to resolve' },
    );
  });

  it('links a file dropped from the explorer that is already in the vault, without copying it', async () => {
    await write('images/stage.png', PNG);
    const document = await vscode.workspace.openTextDocument(noteUri('Paste here.md'));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const end = document.lineAt(document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    const drag = new vscode.DataTransfer();
    drag.set('text/uri-list', new vscode.DataTransferItem(noteUri('images/stage.png').toString()));
    const drop = await poll(
      async () => (await api.attachments.drop.provideDocumentDropEdits(document, end, drag, new vscode.CancellationTokenSource().token)) as PasteEdit | undefined,
      (edit) => edit !== undefined && edit.insertText === '![[stage.png]]',
      { what: 'a drop edit linking stage.png' },
    );
    assert.ok(drop);
    assert.strictEqual(drop.additionalEdit?.size ?? 0, 0, 'a file in the vault is linked where it is, never copied');
    assert.ok(!(await exists(vscode.Uri.joinPath(vaultFolder().uri, 'attachments', 'stage.png'))));
  });

  it('Find All References on an image gives one list, with the server\'s count (the built-in markdown answer coincides)', async () => {
    await write('images/stage.png', PNG);
    await write('Stage links.md', '# Stage\n\n![[stage.png]]\n\n![the stage](images/stage.png)\n');
    await write('Stage links 2.md', 'Again: ![stage](images/stage.png) and ![[images/stage.png|200]].\n');
    const uri = noteUri('Stage links.md');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    // On the path of the markdown image, where VS Code's markdown features answer too.
    const position = new vscode.Position(4, document.lineAt(4).text.indexOf('images/stage.png') + 3);
    const found = await poll(
      async () => (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', uri, position)) ?? [],
      // Vaultlink's four (two wiki embeds only it knows); the built-in's two markdown images coincide with two of them.
      (locations) => new Set(locations.map((l) => `${l.uri.toString()}@${l.range.start.line}:${l.range.start.character}`)).size >= 4,
      { what: 'the four references to stage.png in both notes' },
    );
    // The References view lists a location that several providers give once.
    const listed = new Map(found.map((l) => [`${l.uri.path.split('/').pop()}@${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`, l]));
    assert.deepStrictEqual(
      [...listed.keys()].sort(),
      ['Stage links 2.md@0:16-32', 'Stage links 2.md@0:41-57', 'Stage links.md@2:3-12', 'Stage links.md@4:13-29'],
      'one list of the four links to the image, each once',
    );
  });
});
