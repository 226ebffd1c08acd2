import * as assert from 'node:assert/strict';
import { openVault } from '../kit/vault';

/** Odd input the index must carry without failing a whole request (issue 11, item 5). */
describe('odd input', () => {
  const EVERYWHERE = { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } };

  it('a lone surrogate in a link target does not make every code action on the note fail', async () => {
    const text = '[[x\udc00]]\n[[Nowhere]]\n';
    const vault = await openVault({ 'a.md': text, 'Nowhere2.md': '# N\n' });
    const uri = vault.uri('a.md');
    vault.service.setDocumentText(uri, text);
    const diagnostics = vault.service.getDiagnostics(uri);
    assert.equal(diagnostics.length, 2);
    const actions = vault.service.getCodeActions(uri, EVERYWHERE, diagnostics);
    assert.ok(actions.some((action) => action.title.includes('Nowhere2')), `offered: ${actions.map((a) => a.title).join(' | ')}`);
  });

  it('notes whose names differ only by case or by Unicode normalization are all indexed and checked', async () => {
    const nfc = 'Caf\u00e9.md';
    const nfd = 'Cafe\u0301.md';
    const vault = await openVault({ 'Case.md': '[[Missing one]]\n', 'case.md': '[[Missing two]]\n', [nfc]: '[[Missing three]]\n', [nfd]: '[[Missing four]]\n' });
    assert.equal(vault.service.stats.notes, 4, 'no note is dropped');
    const messages = ['Case.md', 'case.md', nfc, nfd].flatMap((name) => vault.service.getDiagnostics(vault.uri(name)).map((d) => d.message));
    for (const missing of ['one', 'two', 'three', 'four']) assert.ok(messages.some((message) => message.includes(`Missing ${missing}`)), `the problem in the note with "Missing ${missing}" is reported`);
  });
});
