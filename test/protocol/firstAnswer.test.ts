import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DEVIEW_NOTE, LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { HELIX_25_07_CAPABILITIES, HELIX_MASTER_CAPABILITIES, NEOVIM_0_10_CAPABILITIES, SCRIPT_CAPABILITIES, pullsDiagnostics } from './clientCapabilities';
import { LspTestClient, SERVER_MAIN, type ClientAnswer } from './lspClient';

/**
 * Issue 10: editors and scripts that ask the moment they open a note. Neovim,
 * Helix and scripts send `didOpen` and their first requests right after
 * `initialized`, never waiting for `vaultlink/status`; each first answer must be
 * the one the server gives once it is fully indexed (the "settled" answer,
 * asked again here after `ready`), and a client that errors on, or never
 * answers, the server's own requests must still get an indexed vault.
 */

/** Enough notes that indexing the whole vault takes far longer than answering the first request. */
const FILLER_NOTES = 3000;
/** The vault's own notes besides the fillers: the two seed notes, a.md and b.md. */
const NAMED_NOTES = 4;
/** How long the server may take to index the big vault on a slow machine before a test gives up. */
const READY_TIMEOUT_MS = 40000;
/** Quiet time after `ready` before the settled answers are taken (the baseline only). */
const SETTLE_MS = 300;

const A_NOTE = 'a.md';
const A_TEXT = '# A\n\nSee [[b#Heading]] and ![[not-there.png]].\n';
const B_TEXT = '# B\n\n## Heading\n\nThe heading a.md links to.\n';

interface InitializeParams {
  capabilities: Record<string, unknown>;
  [key: string]: unknown;
}

interface Editor {
  readonly name: string;
  readonly capabilities: Record<string, unknown>;
  /** The `initialize` params as this editor builds them for a vault folder. */
  initializeParams(vaultDir: string, initializationOptions?: unknown): InitializeParams;
  /** The version number this editor's first `didOpen` carries. */
  readonly openVersion: number;
}

/** Neovim 0.10 `Client:initialize`: workspace folder named by its full path, `initializationOptions` only when set. */
const NEOVIM: Editor = {
  name: 'Neovim 0.10',
  capabilities: NEOVIM_0_10_CAPABILITIES,
  openVersion: 0,
  initializeParams: (vaultDir, initializationOptions) => {
    const uri = URI.file(vaultDir).toString();
    return {
      clientInfo: { name: 'Neovim', version: '0.10.4' },
      rootPath: vaultDir,
      rootUri: uri,
      workspaceFolders: [{ uri, name: vaultDir }],
      ...(initializationOptions === undefined ? {} : { initializationOptions }),
      capabilities: NEOVIM_0_10_CAPABILITIES,
      trace: 'off',
    };
  },
};

/** Helix `Client::initialize`: workspace folder named by its last path segment. */
function helix(name: string, version: string, capabilities: Record<string, unknown>): Editor {
  return {
    name,
    capabilities,
    openVersion: 0,
    initializeParams: (vaultDir, initializationOptions) => {
      const uri = URI.file(vaultDir).toString();
      return {
        workspaceFolders: [{ uri, name: path.basename(vaultDir) }],
        rootPath: vaultDir,
        rootUri: uri,
        ...(initializationOptions === undefined ? {} : { initializationOptions }),
        capabilities,
        clientInfo: { name: 'helix', version },
      };
    },
  };
}
const HELIX = helix('Helix 25.07.1', '25.07.1', HELIX_25_07_CAPABILITIES);
const HELIX_MASTER = helix('Helix master (pull diagnostics)', '25.07.1 (079a789e)', HELIX_MASTER_CAPABILITIES);

/** A script: a root URI, no capabilities, no folders. */
const SCRIPT: Editor = {
  name: 'a bare script client',
  capabilities: SCRIPT_CAPABILITIES,
  openVersion: 1,
  initializeParams: (vaultDir, initializationOptions) => ({
    rootUri: URI.file(vaultDir).toString(),
    ...(initializationOptions === undefined ? {} : { initializationOptions }),
    capabilities: SCRIPT_CAPABILITIES,
  }),
};

type Position = { line: number; character: number };
type Target = { uri: string; line: number };
type DefinitionAnswer = Array<{ targetUri: string; targetSelectionRange: { start: Position } } | { uri: string; range: { start: Position } }> | null;
type Conference = { uri: string; title: string; days: Array<{ label: string; talks: unknown[] }> };
type PullReport = { kind: string; items?: Diagnostic[] };

/** Where a definition answer points, whether it came as `LocationLink[]` or `Location[]`. */
function targets(answer: DefinitionAnswer): Target[] {
  return (answer ?? []).map((entry) => ('targetUri' in entry ? { uri: entry.targetUri, line: entry.targetSelectionRange.start.line } : { uri: entry.uri, line: entry.range.start.line }));
}

function talkCount(conferences: Conference[]): number {
  return conferences.reduce((sum, conference) => sum + conference.days.reduce((days, day) => days + day.talks.length, 0), 0);
}

/** Diagnostics in a stable order, so two answers compare by content. */
function sorted(diagnostics: readonly Diagnostic[] | undefined): Diagnostic[] {
  const key = (d: Diagnostic) => `${String(d.range.start.line).padStart(6, '0')}:${String(d.range.start.character).padStart(6, '0')}:${String(d.code)}:${d.message}`;
  return [...(diagnostics ?? [])].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}

function codes(diagnostics: readonly Diagnostic[] | undefined): string {
  const counts = new Map<string, number>();
  for (const d of diagnostics ?? []) counts.set(String(d.code), (counts.get(String(d.code)) ?? 0) + 1);
  return counts.size ? [...counts].map(([code, n]) => `${n} × ${code}`).join(', ') : 'none';
}

const missingImages = (diagnostics: readonly Diagnostic[] | undefined) => (diagnostics ?? []).filter((d) => d.code === 'link.missing-image').length;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fillerText(i: number): string {
  const name = (n: number) => `Filler ${String(((n % FILLER_NOTES) + FILLER_NOTES) % FILLER_NOTES).padStart(4, '0')}`;
  const parts: string[] = [`# ${name(i)}`, ''];
  for (let part = 1; part <= 4; part++) {
    parts.push(`## Part ${part}`, '');
    parts.push(`Notes for part ${part} of ${name(i)}: see [[${name(i + part)}]] and [[${name(i * 7 + part)}#Part ${part}]], also [[${name(i - part)}#Part ${(part % 4) + 1}|the part before]].`);
    parts.push(`- point one about ${name(i)} and #tag${part}`, `- point two with a [link](https://example.com/${i}/${part})`, '');
  }
  return parts.join('\n');
}

/** The seed vault, a.md → b.md#Heading, and the fillers; every filler link resolves, so only the seed notes and a.md have problems. */
function writeBigVault(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-first-answer-'));
  fs.cpSync(SEED_VAULT, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, A_NOTE), A_TEXT);
  fs.writeFileSync(path.join(dir, 'b.md'), B_TEXT);
  fs.mkdirSync(path.join(dir, 'fillers'));
  for (let i = 0; i < FILLER_NOTES; i++) fs.writeFileSync(path.join(dir, 'fillers', `Filler ${String(i).padStart(4, '0')}.md`), fillerText(i));
  return dir;
}

function markdownFiles(dir: string): number {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => file.endsWith('.md')).length;
}

/** The server as a client starts it in these tests: no parse cache, so every run indexes cold and nothing is written outside the vault. */
function startClient(answers?: ClientAnswer): LspTestClient {
  return new LspTestClient({ env: { VAULTLINK_CACHE: 'off' }, answers });
}

describe('first answers to clients that do not wait (issue 10)', function () {
  this.timeout(90000);
  let vaultDir: string;
  let lineUri: string;
  let lineText: string;
  let deviewUri: string;
  let deviewText: string;
  let aUri: string;
  let tocLink: Position;
  let ideaHeadingLine: number;

  before(function () {
    if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run "node scripts/build.mjs" first.`);
    vaultDir = writeBigVault();
    lineUri = URI.file(path.join(vaultDir, LINE_NOTE)).toString();
    lineText = fs.readFileSync(path.join(vaultDir, LINE_NOTE), 'utf8');
    deviewUri = URI.file(path.join(vaultDir, DEVIEW_NOTE)).toString();
    deviewText = fs.readFileSync(path.join(vaultDir, DEVIEW_NOTE), 'utf8');
    aUri = URI.file(path.join(vaultDir, A_NOTE)).toString();
    const lines = lineText.split('\n');
    const tocLine = lines.findIndex((text) => text.includes('[[#Idea|Idea]]'));
    assert.ok(tocLine >= 0, 'the Line note has a [[#Idea|Idea]] contents link');
    // Inside the link target, on "Idea" after "[[#".
    tocLink = { line: tocLine, character: lines[tocLine].indexOf('[[#Idea|Idea]]') + 4 };
    ideaHeadingLine = lines.indexOf('# Idea');
    assert.ok(ideaHeadingLine > tocLine, 'the Line note has an "# Idea" heading below its contents');
    assert.equal(markdownFiles(vaultDir), FILLER_NOTES + NAMED_NOTES);
  });

  after(() => {
    if (vaultDir) fs.rmSync(vaultDir, { recursive: true, force: true });
  });

  for (const editor of [NEOVIM, HELIX, HELIX_MASTER, SCRIPT]) {
    const pull = pullsDiagnostics(editor.capabilities);

    describe(`${editor.name} (${pull ? 'pulls' : 'takes pushed'} diagnostics)`, () => {
      let client: LspTestClient;
      let first: { definition: Promise<DefinitionAnswer>; talks: Promise<Conference[]>; pullLine?: Promise<PullReport>; pullA?: Promise<PullReport> };
      let settled: { definition: DefinitionAnswer; talks: Conference[]; pullLine?: PullReport; pullA?: PullReport; notes: number };

      before(async function () {
        client = startClient();
        const { capabilities } = await client.initializeWith(editor.initializeParams(vaultDir));
        assert.equal(!!capabilities.diagnosticProvider, pull, `the server ${pull ? 'offers' : 'does not offer'} ${editor.name} pull diagnostics`);
        // From here on nothing waits: the editor opens notes and asks at once.
        client.open(lineUri, lineText, editor.openVersion);
        const definition = client.request<DefinitionAnswer>('textDocument/definition', { textDocument: { uri: lineUri }, position: tocLink });
        client.open(deviewUri, deviewText, editor.openVersion);
        const talks = client.request<Conference[]>('vaultlink/talks', { uri: deviewUri });
        client.open(aUri, A_TEXT, editor.openVersion);
        first = { definition, talks };
        if (pull) {
          first.pullLine = client.request<PullReport>('textDocument/diagnostic', { textDocument: { uri: lineUri } });
          first.pullA = client.request<PullReport>('textDocument/diagnostic', { textDocument: { uri: aUri } });
        }
        // Keep an early rejection from surfacing before the test that reads it.
        for (const answer of Object.values(first)) (answer as Promise<unknown>).catch(() => undefined);

        // The baseline: what the same server says once the whole vault is indexed.
        const ready = await client.status((status) => status.state === 'ready', READY_TIMEOUT_MS);
        await delay(SETTLE_MS);
        settled = {
          notes: client.statuses.at(-1)?.notes ?? ready.notes,
          definition: await client.request<DefinitionAnswer>('textDocument/definition', { textDocument: { uri: lineUri }, position: tocLink }),
          talks: await client.request<Conference[]>('vaultlink/talks', { uri: deviewUri }),
          ...(pull
            ? {
                pullLine: await client.request<PullReport>('textDocument/diagnostic', { textDocument: { uri: lineUri } }),
                pullA: await client.request<PullReport>('textDocument/diagnostic', { textDocument: { uri: aUri } }),
              }
            : {}),
        };
      });

      after(async () => {
        await client?.shutdown();
      });

      it('indexes the whole vault (the baseline the first answers are held to)', () => {
        assert.equal(settled.notes, FILLER_NOTES + NAMED_NOTES);
        assert.deepEqual(targets(settled.definition), [{ uri: lineUri, line: ideaHeadingLine }], 'settled definition of [[#Idea|Idea]]');
        assert.equal(talkCount(settled.talks), 7, 'settled talks of DEVIEW 2018');
        if (pull) {
          assert.equal(missingImages(settled.pullLine?.items), 43, `settled pull of the Line note: ${codes(settled.pullLine?.items)}`);
          assert.deepEqual(settled.pullA?.items?.map((d) => d.code), ['link.missing-image'], `settled pull of a.md: ${codes(settled.pullA?.items)}`);
        } else {
          const line = client.publishes(lineUri).at(-1);
          assert.equal(missingImages(line), 43, `settled publish of the Line note: ${codes(line)}`);
          const a = client.publishes(aUri).at(-1);
          assert.deepEqual(a?.map((d) => d.code), ['link.missing-image'], `settled publish of a.md: ${codes(a)}`);
        }
      });

      it('answers the first definition on [[#Idea|Idea]] with the "# Idea" heading', async () => {
        const answer = await first.definition;
        assert.deepEqual(targets(answer), [{ uri: lineUri, line: ideaHeadingLine }], `first definition answer: ${JSON.stringify(answer)}`);
        assert.deepEqual(answer, settled.definition, 'the first answer is the settled one');
      });

      it('answers the first vaultlink/talks for DEVIEW 2018 with its 7 talks', async () => {
        const answer = await first.talks;
        assert.equal(talkCount(answer), 7, `first talks answer: ${JSON.stringify(answer).slice(0, 300)}`);
        assert.deepEqual(answer, settled.talks, 'the first answer is the settled one');
      });

      if (pull) {
        it('answers the first textDocument/diagnostic pull for the Line note with its 43 missing images', async () => {
          const report = await first.pullLine!;
          assert.equal(report.kind, 'full');
          assert.equal(missingImages(report.items), 43, `first pull answer has ${codes(report.items)}`);
          assert.deepEqual(sorted(report.items), sorted(settled.pullLine?.items), 'the first answer is the settled one');
        });

        it('answers the first pull for a.md without a bogus problem for [[b#Heading]]', async () => {
          const report = await first.pullA!;
          assert.equal(report.kind, 'full');
          assert.deepEqual(sorted(report.items), sorted(settled.pullA?.items), `first pull answer has ${codes(report.items)}; settled: ${codes(settled.pullA?.items)}`);
        });
      } else {
        it('publishes the Line note first with its settled 43 problems, and never anything else', () => {
          const publishes = client.publishes(lineUri);
          assert.ok(publishes.length > 0, 'the Line note was published');
          const last = publishes.at(-1)!;
          assert.equal(missingImages(publishes[0]), 43, `first publish of ${publishes.length} has ${codes(publishes[0])}; settled: ${codes(last)}`);
          publishes.forEach((published, i) => assert.deepEqual(sorted(published), sorted(last), `publish ${i + 1} of ${publishes.length} (${codes(published)}) differs from the settled one`));
        });

        it('publishes a.md first with its settled problems: no bogus one for [[b#Heading]]', () => {
          const publishes = client.publishes(aUri);
          assert.ok(publishes.length > 0, 'a.md was published');
          const last = publishes.at(-1)!;
          publishes.forEach((published, i) => assert.deepEqual(sorted(published), sorted(last), `publish ${i + 1} of ${publishes.length} (${codes(published)}) differs from the settled one (${codes(last)})`));
        });
      }
    });
  }
});

describe('clients that misbehave on the server\'s own requests (issue 10)', function () {
  this.timeout(60000);
  /** The server waits about 2 s for each unanswered request; three of them, then indexing. */
  const MISBEHAVING_READY_MS = 20000;
  let vaultDir: string;
  let lineUri: string;
  let lineText: string;
  const clients: LspTestClient[] = [];

  before(() => {
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-misbehaving-'));
    fs.cpSync(SEED_VAULT, vaultDir, { recursive: true });
    lineUri = URI.file(path.join(vaultDir, LINE_NOTE)).toString();
    lineText = fs.readFileSync(path.join(vaultDir, LINE_NOTE), 'utf8');
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.shutdown();
  });

  after(() => {
    if (vaultDir) fs.rmSync(vaultDir, { recursive: true, force: true });
  });

  /** Starts `editor` against the seed vault, answering its requests as `answers` says, and opens the Line note at once. */
  async function open(editor: Editor, answers: ClientAnswer, initializationOptions?: unknown): Promise<LspTestClient> {
    const client = startClient(answers);
    clients.push(client);
    await client.initializeWith(editor.initializeParams(vaultDir, initializationOptions));
    client.open(lineUri, lineText, editor.openVersion);
    return client;
  }

  /** The Line note's problems as this client gets them: pulled, or the last pushed once they are all there. */
  async function lineDiagnostics(client: LspTestClient, editor: Editor): Promise<Diagnostic[]> {
    if (pullsDiagnostics(editor.capabilities)) {
      const report = await client.request<PullReport>('textDocument/diagnostic', { textDocument: { uri: lineUri } });
      return report.items ?? [];
    }
    try {
      return await client.diagnostics(lineUri, (d) => missingImages(d) === 43, 5000);
    } catch {
      const last = client.publishes(lineUri).at(-1);
      assert.fail(`the Line note's 43 missing images never came: ${client.publishes(lineUri).length} publishes, the last with ${codes(last)}`);
    }
  }

  for (const answers of ['error', 'never'] as const) {
    const how = answers === 'error' ? 'answers them with a JSON-RPC error' : 'never answers them';
    for (const editor of [HELIX, NEOVIM]) {
      it(`indexes for ${editor.name} that ${how} (workspace/configuration, client/registerCapability, window/workDoneProgress/create)`, async () => {
        const client = await open(editor, answers);
        const ready = await client.status((status) => status.state === 'ready', MISBEHAVING_READY_MS);
        assert.equal(client.statuses.at(-1)?.notes ?? ready.notes, 2, `note count once ready; statuses: ${JSON.stringify(client.statuses)}; log: ${client.logs.map((log) => log.message.split('\n')[0]).join(' | ')}`);
        const diagnostics = await lineDiagnostics(client, editor);
        assert.equal(missingImages(diagnostics), 43, `the Line note has ${codes(diagnostics)}`);
        assert.ok(
          client.logs.some((log) => log.type <= 2),
          `the client's failure is logged as a warning or error; log: ${client.logs.map((log) => `[${log.type}] ${log.message}`).join(' | ')}`,
        );
      });
    }
  }

  for (const answers of ['null', 'error', 'never'] as const) {
    const how = { null: 'answers workspace/configuration with null, as Neovim and Helix do for a section they have no settings for', error: 'errors on its requests', never: 'never answers its requests' }[answers];
    it(`honours initializationOptions.settings when the client ${how}`, async () => {
      const settings = { diagnostics: { severity: { 'link.missing-image': 'error' } } };
      const client = await open(NEOVIM, answers, { settings });
      await client.status((status) => status.state === 'ready', MISBEHAVING_READY_MS);
      const diagnostics = (await lineDiagnostics(client, NEOVIM)).filter((d) => d.code === 'link.missing-image');
      assert.equal(diagnostics.length, 43, `the Line note has ${codes(diagnostics)}`);
      assert.deepEqual([...new Set(diagnostics.map((d) => d.severity))], [1], 'every missing image is an error (severity 1), as initializationOptions.settings say');
    });
  }
});
