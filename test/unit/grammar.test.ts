import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRegistry, loadConfiguration } from 'vscode-tmgrammar-test/dist/common/index';
import { parseGrammarTestCase, runGrammarTestCase } from 'vscode-tmgrammar-test/dist/unit/index';
import { parseNote } from '../../server/src/core/parser';
import { seedFiles } from '../kit/vault';

/**
 * The syntax highlighting of issue 14, through vscode-textmate and
 * vscode-oniguruma (VS Code's own engine) with VS Code 1.100's markdown grammar
 * (vendored in test/grammar/) and the grammar as package.json contributes it
 * (`injectTo` text.html.markdown): `%%comments%%` that close, on one line and
 * across lines, never in code; callouts' type, fold marker and title; `==highlight==`.
 * Each `test/grammar/*.test.md` holds notes with `;;` lines that say which
 * scopes the characters above them have (vscode-tmgrammar-test's format).
 */

const ROOT = path.resolve(__dirname, '../..');
const CASES = path.join(ROOT, 'test/grammar');
const MARKDOWN_GRAMMAR = path.join(CASES, 'markdown.tmLanguage.json');

/** The markdown grammar embeds grammars (HTML, YAML, fenced languages) that are not here: they matter to none of the cases. */
function quietly<T>(work: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('grammar not found')) warn(...args);
  };
  return work().finally(() => (console.warn = warn));
}

function registry() {
  const { grammars } = loadConfiguration(path.join(ROOT, 'package.json'), undefined, [MARKDOWN_GRAMMAR]);
  assert.ok(
    grammars.some((grammar) => grammar.injectTo?.includes('text.html.markdown') && fs.existsSync(grammar.path)),
    'package.json contributes the Vaultlink grammar injected into markdown',
  );
  return createRegistry(grammars);
}

describe('syntax highlighting (TextMate grammar)', () => {
  const cases = fs.readdirSync(CASES).filter((name) => name.endsWith('.test.md'));

  it('has its cases', () => {
    assert.deepEqual(cases.sort(), ['callouts.test.md', 'comments.test.md', 'highlight.test.md', 'links.test.md']);
  });

  for (const name of cases) {
    it(`scopes ${name} as its assertions say`, async () => {
      const testCase = parseGrammarTestCase(fs.readFileSync(path.join(CASES, name), 'utf8'));
      assert.ok(testCase.assertions.length > 0, 'a case without assertions');
      const failures = await quietly(() => runGrammarTestCase(registry(), testCase));
      const report = failures.map((failure) => {
        const source = testCase.source[failure.srcLine];
        const what = [failure.missing.length ? `missing ${failure.missing.join(' ')}` : '', failure.unexpected.length ? `unexpected ${failure.unexpected.join(' ')}` : ''].filter(Boolean).join('; ');
        return `${name}:${failure.line + 1} ${JSON.stringify(source.slice(failure.start, failure.end))} in ${JSON.stringify(source)}: ${what} (has: ${failure.actual.join(' ')})`;
      });
      assert.deepEqual(report, []);
    });
  }

  it('colours every link of the seed notes as a link, and as a comment or highlight only the Line note\'s %% comment and ==메일링==', async () => {
    const grammar = await quietly(async () => (await registry().loadGrammar('text.html.markdown'))!);
    let checked = 0;
    for (const [name, text] of Object.entries(seedFiles())) {
      const lines = text.split(/\r\n|\n/);
      const scopesAt: string[][][] = [];
      let state = null;
      for (const line of lines) {
        const result = grammar.tokenizeLine(line, state);
        state = result.ruleStack;
        const columns: string[][] = [];
        for (const token of result.tokens) for (let column = token.startIndex; column < Math.min(token.endIndex, line.length); column++) columns[column] = token.scopes;
        scopesAt.push(columns);
      }
      const links = parseNote(text).links.filter((link) => link.kind === 'wiki');
      checked += links.length;
      for (const link of links) {
        const { line, character } = link.range.start;
        const scope = link.embed ? 'meta.embed.vaultlink' : 'meta.link.wiki.vaultlink';
        assert.ok(scopesAt[line][character]?.includes(scope), `${name}:${line + 1}:${character + 1} ${lines[line].slice(character, link.range.end.character)} is not coloured as ${scope}`);
      }
      const highlighted: string[] = [];
      const commented: string[] = [];
      scopesAt.forEach((columns, line) =>
        columns.forEach((scopes, column) => {
          if (scopes.some((scope) => scope.startsWith('comment.block.vaultlink'))) commented.push(lines[line][column]);
          if (scopes.includes('markup.highlight.vaultlink')) highlighted.push(lines[line][column]);
        }),
      );
      // The Line note's one comment (which the preview hides) closes where it ends: nothing after it is coloured as a comment.
      assert.equal(commented.join(''), name.startsWith('2021') ? '%% 사내 장애 대응 프로세스와 비교해 볼 것 %%' : '', `${name}: the text coloured as a comment`);
      assert.equal(highlighted.join(''), name.startsWith('2021') ? '==메일링====메일링==' : '', `${name}: the highlighted text (the talk's and its callout's)`);
    }
    assert.ok(checked > 40, `the seed notes' wiki links and embeds: ${checked}`);
  });
});
