// The markdown preview draws Obsidian notes: what VS Code's own renderer
// (`markdown.api.render`, the preview's engine with the extension's plugin)
// gives for the seed notes, once Vaultlink's server has answered.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, LINE_NOTE, indexedVault, noteUri, poll } from './helpers';

const render = async (document: vscode.TextDocument): Promise<string> => vscode.commands.executeCommand<string>('markdown.api.render', document);

/** Heading id → heading text, as the rendered HTML has them. */
function headingIds(html: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const match of html.matchAll(/<h(\d)\b[^>]*\bid="([^"]*)"[^>]*>([\s\S]*?)<\/h\1>/g)) ids.set(match[2], match[3]);
  return ids;
}

const unescape = (html: string) => html.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');

describe('markdown preview', () => {
  const image = noteUri('What_mlops.png');
  const linking = noteUri('Preview links.md');

  before(async () => {
    await indexedVault();
  });

  after(async () => {
    for (const uri of [image, linking]) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('draws the Line note: table of contents to the heading ids, images, highlight, callout, comment hidden', async () => {
    const document = await vscode.workspace.openTextDocument(noteUri(LINE_NOTE));
    // The first render comes before the server's answer: links pending, none drawn broken.
    const first = await render(document);
    assert.match(first, /vaultlink-pending/);
    assert.doesNotMatch(first, /vaultlink-broken/);

    // The vault ships no images: give the note its first one, as a user dropping it in would.
    await vscode.workspace.fs.writeFile(image, Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64')));
    const html = await poll(() => render(document), (text) => !text.includes('vaultlink-pending') && /<img[^>]*What_mlops\.png/.test(text), {
      timeoutMs: 30_000,
      what: 'the Line note rendered with resolved links and the new image',
    });

    const ids = headingIds(html);
    const toc = document.getText().split('\n').filter((line) => /^- \[\[#[^|\]]+\|/.test(line));
    assert.equal(toc.length, 12);
    for (const entry of toc) {
      const heading = /^- \[\[#([^|\]]+)\|/.exec(entry)![1];
      const link = new RegExp(`<a href="#([^"]+)" data-href="#\\1" class="vaultlink-link"[^>]*>${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/&/g, '&amp;')}</a>`).exec(html);
      assert.ok(link, `the table of contents links ${heading}`);
      assert.equal(unescape(ids.get(link[1]) ?? ''), heading, `#${link[1]} is the id of the heading ${heading}`);
    }
    assert.match(html, /<img [^>]*src="What_mlops\.png"[^>]*>/);
    assert.match(html, /<span class="vaultlink-embed vaultlink-broken" title="No image &quot;Outage_timetable\.png&quot; in the vault">Outage_timetable\.png<\/span>/);
    assert.match(html, /<mark>메일링<\/mark>/);
    assert.match(html, /<div class="callout" data-callout="tip">[\s\S]*<div class="callout-title-inner">장애 대응의 핵심<\/div>[\s\S]*<mark>메일링<\/mark>/);
    assert.ok(document.getText().includes('%% 사내 장애 대응 프로세스와 비교해 볼 것 %%'), 'the note has the comment');
    assert.doesNotMatch(html, /사내 장애 대응 프로세스와 비교해 볼 것|%%/);
  });

  it("links another note to the id VS Code's preview gives its heading there, and draws a missing note broken", async () => {
    await vscode.workspace.fs.writeFile(linking, Buffer.from('See [[DEVIEW 2018#10:00, Track1, 인공지능이 인공지능 챗봇을 만들다|the chatbot talk]], [[DEVIEW 2018]] and [[No such note]].\n'));
    const document = await vscode.workspace.openTextDocument(linking);
    const html = await poll(() => render(document), (text) => !text.includes('vaultlink-pending'), { timeoutMs: 30_000, what: 'the links resolved' });
    // A Korean talk heading with a time and a track (the rename suite renames another one).
    const talk = /<a href="DEVIEW%202018\.md#([^"]+)" data-href="DEVIEW%202018\.md#\1"[^>]*>the chatbot talk<\/a>/.exec(html);
    assert.ok(talk, `no link to DEVIEW 2018's chatbot talk in ${html}`);
    const deview = await render(await vscode.workspace.openTextDocument(noteUri(DEVIEW_NOTE)));
    assert.equal(headingIds(deview).get(talk[1]), '10:00, Track1, 인공지능이 인공지능 챗봇을 만들다');
    assert.match(html, /<a href="DEVIEW%202018\.md" data-href="DEVIEW%202018\.md"[^>]*>DEVIEW 2018<\/a>/);
    assert.match(html, /<span class="vaultlink-link vaultlink-broken" title="No note &quot;No such note&quot; in the vault">No such note<\/span>/);
  });
});
