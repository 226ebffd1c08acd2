import * as assert from 'node:assert/strict';
import { compareLowerCase } from '../../server/src/core/names';

/** What compareLowerCase must agree with: both names folded whole, compared by code unit. */
function folded(x: string, y: string): number {
  const a = x.toLowerCase();
  const b = y.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

describe('compareLowerCase (the symbol index\'s order of names, folded without building strings)', () => {
  it('orders every pair of these names as toLowerCase does', () => {
    const names = [
      '', 'a', 'A', 'ab', 'aB', 'AB', 'a b', 'Z', '[', '_', '`', 'Roadmap', 'roadmap', 'Road', 'Action items',
      '사용자 속성 추정', '사용자', '사용', '회의록', 'React 서버', 'react 서버', '최적화 React 서버', 'ㄱㄴ', 'ᄀ', '漢字', 'カタカナ',
      'ΑΣ', 'ΑΣΑ', 'ας', 'ασα', 'İstanbul', 'istanbul', 'i̇stanbul', 'Ärger', 'ärger', 'Straße', 'STRASSE', 'Ａ', 'ａ', 'ǅ', 'ǆ',
      '#team', '#Team', '#한글', 'a😀', 'A😀', 'a\u{10400}', 'A\u{10428}', 'ꙀA', 'ꙁa',
    ];
    for (const x of names) {
      for (const y of names) {
        assert.equal(Math.sign(compareLowerCase(x, y)), folded(x, y), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      }
    }
  });

  it('agrees with toLowerCase on random names mixing cased scripts with Korean and ASCII', () => {
    const alphabet = ['a', 'B', 'z', 'Z', ' ', '-', '사', '용', 'ㄱ', 'Σ', 'σ', 'İ', 'Ä', 'ä', 'Ａ', '字', '😀'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const name = () => Array.from({ length: next() % 6 }, () => alphabet[next() % alphabet.length]).join('');
    for (let i = 0; i < 20000; i++) {
      const x = name();
      const y = next() % 3 === 0 ? x.toUpperCase() : name();
      assert.equal(Math.sign(compareLowerCase(x, y)), folded(x, y), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  });

  it('folds each code unit of its fast ranges exactly as toLowerCase does', () => {
    for (const [from, to] of [[0, 127], [0x1100, 0x11ff], [0x3000, 0x9fff], [0xac00, 0xd7a3]]) {
      for (let code = from; code <= to; code++) {
        const char = String.fromCharCode(code);
        const expected = code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
        assert.equal(char.toLowerCase(), expected, `U+${code.toString(16)}`);
      }
    }
  });
});
