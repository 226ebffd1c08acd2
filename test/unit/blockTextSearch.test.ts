import * as assert from 'node:assert/strict';
import type { CompletionItem, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { ADD_BLOCK_ID_COMMAND, randomBlockId, type AddBlockIdArguments } from '../../server/src/features/blockIds';
import { BLOCK_TEXT_CAP } from '../../server/src/service/blockTextIndex';
import { typeInto, type TestVault } from '../kit/vault';
import { applyTextEdits } from '../kit/edits';

/** The `[[^^` items for the text typed in Mine.md once the block texts of every note are read. */
async function blockItems(vault: TestVault, uri: string, position: { line: number; character: number }): Promise<CompletionItem[]> {
  // The first `[[^^` starts reading the vault's block texts; the answer says it is incomplete until then.
  vault.service.getCompletions(uri, position);
  await vault.service.whenBlockTextsIndexed(uri);
  return vault.service.getCompletions(uri, position).items;
}


function inserted(item: CompletionItem): string {
  return (item.textEdit as TextEdit).newText;
}

const OTHER_NOTES = {
  'people/Research.md': '---\ntitle: Research\n---\n# 사용자 연구\n\n사용자 속성 추정 모델을 만들었다.\n두 번째 줄.\n\n- 발표 자료 정리\n- Budget review for Q3 ^budget\n\n```\n사용자 속성 추정 in code\n```\n',
  'Latin.md': 'The quarterly planning meeting moved to Friday.\n\nAnother paragraph about gardening.\n',
};

describe('[[^^ block search across the vault', () => {
  it('finds other notes\' blocks by Korean initials, a syllable being composed, and NFD text', async () => {
    const files = { ...OTHER_NOTES, 'Decomposed.md': '제목을 정하는 회의'.normalize('NFD') + '\n', 'Spill.md': '떠나기 전에 확인할 것\n' };
    for (const [query, expected] of [
      ['ㅅㅇㅈ ㅅㅅ', '사용자 속성 추정 모델을 만들었다. 두 번째 줄.'],
      ['발ㅍ', '발표 자료 정리'],
      ['제모', '제목을 정하는 회의'.normalize('NFD')],
      ['제목을'.normalize('NFD'), '제목을 정하는 회의'.normalize('NFD')],
      // Typing 떠나기, the editor shows 떠낙 before 기: the final consonant moves on to the next syllable.
      ['떠낙', '떠나기 전에 확인할 것'],
      ['떠나기 전ㅇ', '떠나기 전에 확인할 것'],
    ]) {
      const { vault, uri, position } = await typeInto('Mine.md', `Link: [[^^${query}$0`, files);
      const labels = (await blockItems(vault, uri, position)).map((item) => item.label);
      assert.equal(labels[0]?.normalize('NFC'), expected.normalize('NFC'), `${query}: ${labels.join(' | ')}`);
    }
  });

  it('skips front matter, headings and code; matches Latin by substring or word, not by letters scattered in order', async () => {
    const { vault, uri, position } = await typeInto('Mine.md', 'Link: [[^^사용자$0', OTHER_NOTES);
    const labels = (await blockItems(vault, uri, position)).map((item) => item.label);
    assert.deepEqual(labels, ['사용자 속성 추정 모델을 만들었다. 두 번째 줄.'], 'not the heading, not the code line');

    const { vault: v2, uri: u2, position: p2 } = await typeInto('Mine.md', 'Link: [[^^plan$0', OTHER_NOTES);
    assert.deepEqual((await blockItems(v2, u2, p2)).map((item) => item.label), ['The quarterly planning meeting moved to Friday.']);
    const { vault: v3, uri: u3, position: p3 } = await typeInto('Mine.md', 'Link: [[^^qpm$0', OTHER_NOTES);
    assert.deepEqual((await blockItems(v3, u3, p3)).map((item) => item.label), [], 'q…p…m in order is no match');
  });

  it('inserts [[Note#^id]] for a block with an id, with no edit; a block without one gets a new id by a command', async () => {
    const { vault, uri, position } = await typeInto('Mine.md', 'Link: [[^^budget$0', OTHER_NOTES);
    const withId = (await blockItems(vault, uri, position)).find((item) => item.label === 'Budget review for Q3');
    assert.ok(withId);
    assert.equal(inserted(withId), 'Research#^budget]]');
    assert.equal(withId.command, undefined);
    assert.equal(withId.additionalTextEdits, undefined);

    const { vault: v2, uri: u2, position: p2 } = await typeInto('Mine.md', 'Link: [[^^gardening$0', OTHER_NOTES);
    const [item] = await blockItems(v2, u2, p2);
    const id = /^Latin#\^([a-z0-9]{6})\]\]$/.exec(inserted(item))?.[1];
    assert.ok(id, inserted(item));
    assert.equal(item.additionalTextEdits, undefined, 'the other note is not edited by the completion itself');
    assert.equal(item.command?.command, ADD_BLOCK_ID_COMMAND);
    const args = item.command!.arguments![0] as AddBlockIdArguments;
    assert.equal(args.id, id);
    const result = await v2.service.getAddBlockIdEdit(args);
    assert.ok('edit' in result, JSON.stringify(result));
    const latin = v2.uri('Latin.md');
    const edits = (result.edit as WorkspaceEdit).changes![latin];
    assert.equal(applyTextEdits(OTHER_NOTES['Latin.md'], edits), `The quarterly planning meeting moved to Friday.\n\nAnother paragraph about gardening. ^${id}\n`);
  });

  it('does nothing to a block whose line changed since it was offered, and says why', async () => {
    const { vault, uri, position } = await typeInto('Mine.md', 'Link: [[^^gardening$0', OTHER_NOTES);
    const [item] = await blockItems(vault, uri, position);
    const args = item.command!.arguments![0] as AddBlockIdArguments;
    await vault.service.fileChanged(vault.fs.write('Latin.md', 'The quarterly planning meeting moved to Friday.\n\nSomething else entirely now.\n'));
    const result = await vault.service.getAddBlockIdEdit(args);
    assert.ok('refused' in result && /no longer holds/.test(result.refused), JSON.stringify(result));
    assert.ok('refused' in (await vault.service.getAddBlockIdEdit({ uri: vault.uri('../outside.md'), line: 0, text: 'x', id: 'abcdef' })));
    assert.ok('refused' in (await vault.service.getAddBlockIdEdit({ nonsense: true })));
  });

  it('follows notes changed, added, deleted and renamed on disk', async () => {
    const { vault, uri, position } = await typeInto('Mine.md', 'Link: [[^^planning$0', OTHER_NOTES);
    assert.equal((await blockItems(vault, uri, position)).length, 1);
    await vault.service.fileChanged(vault.fs.write('Latin.md', 'The meeting moved to Friday.\n'));
    assert.deepEqual(vault.service.getCompletions(uri, position).items.map((item) => item.label), [], 'the old text is not offered');
    assert.deepEqual((await blockItems(vault, uri, position)).map((item) => item.label), []);
    await vault.service.fileChanged(vault.fs.write('New.md', 'Release planning notes.\n'));
    assert.deepEqual((await blockItems(vault, uri, position)).map((item) => item.label), ['Release planning notes.']);
    // Renamed on disk: the old path goes, the new one comes; the link is written to the new name.
    await vault.service.fileDeleted(vault.fs.delete('New.md'));
    assert.deepEqual(vault.service.getCompletions(uri, position).items.map((item) => item.label), []);
    await vault.service.fileChanged(vault.fs.write('archive/Renamed.md', 'Release planning notes.\n'));
    const [renamed] = await blockItems(vault, uri, position);
    assert.match(inserted(renamed), /^Renamed#\^[a-z0-9]{6}\]\]$/);
  });

  it('keeps a block\'s first characters only, and offers it by them', async () => {
    const long = `Start ${'word '.repeat(60)}tailmarker`;
    const { vault, uri, position } = await typeInto('Mine.md', 'Link: [[^^start wor$0', { 'Long.md': `${long}\n` });
    const [item] = await blockItems(vault, uri, position);
    assert.ok(item, 'found by its start');
    assert.equal(String(item.filterText), `^^start wor${long.slice(0, BLOCK_TEXT_CAP)}`);
    const { vault: v2, uri: u2, position: p2 } = await typeInto('Mine.md', 'Link: [[^^tailmarker$0', { 'Long.md': `${long}\n` });
    assert.deepEqual(await blockItems(v2, u2, p2), [], 'text past the cap is not kept');
  });

  it('answers incomplete, from what is read so far, until every note is read', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`n${i}.md`] = `Shared phrase number ${i}.\n`;
    const { vault, uri, position } = await typeInto('Mine.md', 'Link: [[^^shared phrase$0', files);
    // Asked the moment the note opens: answered at once, before any other note is read, and marked incomplete.
    const first = vault.service.getCompletions(uri, position);
    assert.equal(first.isIncomplete, true);
    assert.equal(first.items.length, 0);
    await vault.service.whenBlockTextsIndexed(uri);
    const done = vault.service.getCompletions(uri, position);
    assert.equal(done.items.length, 50);
    assert.ok(done.items.every((item) => String(item.label).startsWith('Shared phrase number')));
  });

  it('makes six-character lowercase ids none of the note has', () => {
    let calls = 0;
    // A random source that first repeats a taken id.
    const id = randomBlockId(new Set(['aaaaaa']), () => (calls++ < 6 ? 0 : 0.5));
    assert.match(id, /^[a-z0-9]{6}$/);
    assert.notEqual(id, 'aaaaaa');
  });
});
