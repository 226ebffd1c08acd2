import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { provideDocumentSymbols } from '../../server/src/features/documentSymbols';
import { parseNote } from '../../server/src/index';
import { openVault } from '../kit/vault';

/**
 * Features over one huge note cost in proportion to it (issue 11, item 6):
 * work counted as property reads, not time, at n and 2n.
 */
describe('linearity of features over a huge note', function () {
  this.timeout(120000);

  it('a whole-note code action request costs links plus diagnostics, not their product', async () => {
    const work = async (n: number) => {
      const text = Array.from({ length: n }, (_, i) => `[[Missing ${i}]]`).join('\n');
      const vault = await openVault({ 'a.md': text });
      const uri = vault.uri('a.md');
      let reads = 0;
      // Each diagnostic counts the times its range is looked at.
      const diagnostics: Diagnostic[] = vault.service.getDiagnostics(uri).map((diagnostic) => {
        const range = diagnostic.range;
        return Object.defineProperty({ ...diagnostic }, 'range', { get: () => (reads++, range), enumerable: true }) as Diagnostic;
      });
      const actions = vault.service.getCodeActions(uri, { start: { line: 0, character: 0 }, end: { line: n, character: 0 } }, diagnostics, ['quickfix']);
      assert.ok(actions.length >= n);
      return reads;
    };
    const [small, large] = [await work(500), await work(1000)];
    assert.ok(large <= small * 2.5, `range reads: ${small} at 500 links, ${large} at 1000`);
  });

  it('document symbols of a note of many headings cost in proportion to them', () => {
    const work = (n: number) => {
      const parsed = parseNote(['# Top', ...Array.from({ length: n }, (_, i) => `## Heading ${i}`)].join('\n'));
      let reads = 0;
      // Every look at an entry of the heading list counts (a search through it included).
      const headings = new Proxy([...parsed.headings], {
        get: (target, key, receiver) => {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver);
        },
      });
      const symbols = provideDocumentSymbols({ ...parsed, headings });
      assert.equal(symbols[0].children?.length, n);
      return reads;
    };
    const [small, large] = [work(4000), work(8000)];
    assert.ok(large <= small * 2.5, `heading list reads: ${small} at 4000 headings, ${large} at 8000`);
  });
});
