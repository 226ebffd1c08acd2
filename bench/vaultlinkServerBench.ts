import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CompletionList, Diagnostic, Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { IndexStats } from '../server/src/protocol/vaultlinkProtocol';
import { LspSession, type Memory } from './lspSession';
import { median, summarize, timeEach, type Summary } from './stats';
import { linkPositions, plainTextPosition, type Workload } from './workload';

export interface StartupTimes {
  /** `initialize` sent (right after spawning) → first diagnostics of the open note. */
  readonly firstDiagnosticsMs: number;
  /** → the server says the whole vault is indexed (`vaultlink/status` ready). */
  readonly indexedMs: number;
  /** CPU time of the server's process (all its threads) at `indexedMs`; absent from runs before it. */
  readonly indexedCpuMs?: number;
  /** → the last diagnostics the server pushes for the vault (nothing for 500 ms after). */
  readonly settledMs: number;
  readonly notes: number;
  readonly publishedNotes: number;
  readonly memory: Memory;
  /** Of the last start of each kind: resident memory IDLE_MEMORY_MS after it settled, nothing asked meanwhile (absent from runs before it). */
  readonly idleMemory?: Memory;
}

/**
 * How long a started server is left idle before its resident memory is read
 * again. Right after indexing, V8 still holds a young generation grown for it
 * (32 MB at 10,000 notes) and old-space pages it has not given back; its memory
 * reducer returns them once the process has been idle a while: 30-60 s after
 * indexing at 10,000 notes on these machines. What a user sees in a task
 * manager after that is this figure.
 */
const IDLE_MEMORY_MS = 60_000;

export interface ServerResults {
  readonly cold: StartupTimes[];
  readonly warm: StartupTimes[];
  readonly completionNote: Summary & { readonly meanItems: number };
  readonly completionHeading: Summary & { readonly meanItems: number };
  /** `[[` with Korean typed as Koreans type it: initials, a syllable being composed, whole syllables, and `[[##` vault-wide headings. */
  readonly completionKorean?: { readonly [K in keyof Workload['korean']]: Summary & { readonly meanItems: number } };
  /** `[[` asked from the moment the note opens, while the vault is indexed and in the seconds after (see typingAtOnce). */
  readonly completionAtOnce?: { readonly whileIndexing: Summary; readonly afterIndexing: Summary; readonly requests: number; readonly starts?: number };
  readonly definition: Summary;
  readonly diagnosticsAfterEdit: Summary;
  /** With the size of the answer: at this scale, sending and reading it costs more than finding it. */
  readonly references: Summary & { readonly locations: number; readonly responseKb: number; /** Median time to JSON-encode and decode the answer in this process: the part of a round trip no server can save. */ readonly jsonMs: number };
  /** The same references asked with a partialResultToken: when the first `$/progress` batch arrived, when the (empty) answer did, and how many batches. */
  readonly referencesPartial?: { readonly firstBatch: Summary; readonly whole: Summary; readonly batches: number };
  /** The edit renaming a heading of the hub note (all its links), when the server can rename. */
  readonly headingRename?: Summary & { readonly edits: number; readonly responseKb: number };
  /** Renaming a heading of the hub note: every note linking to it is re-checked and re-published. */
  readonly hubHeadingEdit: { readonly ownDiagnosticsMs: number; readonly allPublishedMs: number; readonly republished: number };
  /** A diagnostic severity pushed with didChangeConfiguration (issue 10); absent from runs before it. */
  readonly severityChange?: SeverityChange;
}

export interface SeverityChange {
  /** The diagnostic code whose severity was pushed, and the level it was set to. */
  readonly code: string;
  readonly level: string;
  /** Notes whose diagnostics were not empty before the change: each must be published again. */
  readonly expected: number;
  /** Diagnostics of that code in them, at the default warning level before the change. */
  readonly diagnosticsOfCode: number;
  /** The notification sent → the last of those notes received with the new severity. */
  readonly allPublishedMs: number;
  /** Distinct notes published after the notification (until 500 ms without a publish), and the publishes. */
  readonly republished: number;
  readonly publishes: number;
  /** Of the expected notes, those never received with the new severity. */
  readonly missing: number;
  /** `vaultlink/indexStats` parses after minus before: must be 0 (no note re-parsed, no re-index). */
  readonly parses: number;
  readonly notesBefore: number;
  readonly notesAfter: number;
  /** What went wrong, if anything; the bench exits with an error when this is not empty. */
  readonly problems: readonly string[];
}

export interface ServerBenchOptions {
  readonly serverMain: string;
  readonly vaultDirectory: string;
  readonly cacheDirectory: string;
  readonly workload: Workload;
  readonly startups: number;
  readonly requests: number;
  readonly nodeArgs: readonly string[];
  readonly log: (message: string) => void;
}

/** The server's resident memory after IDLE_MEMORY_MS with nothing asked of it. */
async function idleMemory(session: LspSession): Promise<Memory> {
  await new Promise((resolve) => setTimeout(resolve, IDLE_MEMORY_MS));
  return session.memory();
}

/** The server as an editor sees it, from process start to interactive requests. */
export async function benchServer(options: ServerBenchOptions): Promise<ServerResults> {
  const { workload, log } = options;
  const uriOf = (relativePath: string) => URI.file(path.join(options.vaultDirectory, ...relativePath.split('/'))).toString();
  const workingUri = uriOf(workload.workingNote.relativePath);
  const workingText = fs.readFileSync(path.join(options.vaultDirectory, workload.workingNote.relativePath), 'utf8');

  const start = async (): Promise<{ session: LspSession; times: StartupTimes }> => {
    const session = new LspSession({ serverMain: options.serverMain, rootUri: URI.file(options.vaultDirectory).toString(), cacheDirectory: options.cacheDirectory, nodeArgs: options.nodeArgs });
    const t0 = session.spawnedAt;
    await session.initialize();
    session.open(workingUri, workingText);
    const first = await session.diagnosticsAfter(workingUri, t0);
    const ready = await session.statusAfter('ready', t0);
    const indexedCpuMs = session.cpuMs();
    const settled = await session.settled(500);
    const times: StartupTimes = {
      firstDiagnosticsMs: first.at - t0,
      indexedMs: ready.at - t0,
      indexedCpuMs,
      settledMs: Math.max(settled, ready.at) - t0,
      notes: ready.notes,
      publishedNotes: session.publishCount,
      memory: session.memory(),
    };
    return { session, times };
  };

  /**
   * `[[` typed from the moment the note opens, by a user who does not wait: a
   * request every TYPING_GAP_MS while the vault is indexed, and for as long
   * again after it says so (at least 3 s), when the server still builds
   * completion's catalog and the symbol index and publishes every note's
   * problems. Fresh cold starts of its own, so the other figures are not moved:
   * TYPING_STARTS of them, pooled, since one start gives some 40 requests while
   * indexing and the p95 of those is their second slowest (one build's p95 ran
   * from 24 to 40 ms between single runs).
   */
  const typingAtOnce = async (): Promise<ServerResults['completionAtOnce']> => {
    const whileIndexing: number[] = [];
    const afterIndexing: number[] = [];
    for (let start = 0; start < TYPING_STARTS; start++) await typeFromColdStart(whileIndexing, afterIndexing);
    return { whileIndexing: summarize(whileIndexing), afterIndexing: summarize(afterIndexing), requests: whileIndexing.length + afterIndexing.length, starts: TYPING_STARTS };
  };
  const typeFromColdStart = async (whileIndexing: number[], afterIndexing: number[]): Promise<void> => {
    fs.rmSync(options.cacheDirectory, { recursive: true, force: true });
    const session = new LspSession({ serverMain: options.serverMain, rootUri: URI.file(options.vaultDirectory).toString(), cacheDirectory: options.cacheDirectory, nodeArgs: options.nodeArgs });
    const t0 = session.spawnedAt;
    await session.initialize();
    const lines = workload.noteQueries.map((query) => `[[${query}`);
    const baseLineCount = workingText.split('\n').length;
    session.open(workingUri, `${workingText}\n${lines.join('\n')}`);
    let readyAt: number | undefined;
    void session.statusAfter('ready', t0).then((event) => (readyAt = event.at));
    for (let i = 0; ; i++) {
      const started = performance.now();
      await session.request<CompletionList>('textDocument/completion', { textDocument: { uri: workingUri }, position: { line: baseLineCount + (i % lines.length), character: lines[i % lines.length].length } });
      const took = performance.now() - started;
      (readyAt === undefined || started < readyAt ? whileIndexing : afterIndexing).push(took);
      if (readyAt !== undefined && performance.now() - readyAt >= Math.max(3000, readyAt - t0)) break;
      await new Promise((resolve) => setTimeout(resolve, TYPING_GAP_MS));
    }
    await session.shutdown();
  };
  const completionAtOnce = await typingAtOnce();
  log(`  [[ typed at once (${TYPING_STARTS} cold starts): while indexing p95 ${completionAtOnce!.whileIndexing.p95.toFixed(1)} ms (${completionAtOnce!.whileIndexing.count} requests), after indexing p95 ${completionAtOnce!.afterIndexing.p95.toFixed(1)} ms, worst ${completionAtOnce!.afterIndexing.max.toFixed(0)} ms`);

  const cold: StartupTimes[] = [];
  let live: LspSession | undefined;
  for (let run = 0; run < options.startups; run++) {
    fs.rmSync(options.cacheDirectory, { recursive: true, force: true });
    const { session, times } = await start();
    cold.push(times);
    log(`  cold start ${run + 1}: first diagnostics ${times.firstDiagnosticsMs.toFixed(0)} ms, indexed ${times.indexedMs.toFixed(0)} ms (server CPU ${(times.indexedCpuMs ?? NaN).toFixed(0)} ms), settled ${times.settledMs.toFixed(0)} ms, ${times.memory.rssMb.toFixed(0)} MB`);
    if (run === options.startups - 1) {
      live = session;
      cold[run] = { ...times, idleMemory: await idleMemory(session) };
      log(`  cold start ${run + 1}: ${cold[run].idleMemory!.rssMb.toFixed(0)} MB after ${IDLE_MEMORY_MS / 1000} s idle`);
    } else await session.shutdown();
  }

  const session = live!;
  let version = 2;
  const baseLines = workingText.split('\n').length;

  /** Types every query on its own line after `prefix` and asks for completion at the end of each. */
  const completionRun = async (queries: readonly string[]) => {
    const lines = queries.map((query) => `[[${query}`);
    const sent = performance.now();
    session.change(workingUri, `${workingText}\n${lines.join('\n')}`, version++);
    await session.diagnosticsAfter(workingUri, sent);
    let items = 0;
    const samples = await timeEach(lines.length, async (i) => {
      const list = await session.request<CompletionList>('textDocument/completion', { textDocument: { uri: workingUri }, position: { line: baseLines + i, character: lines[i].length } });
      items += list.items.length;
    });
    return { ...summarize(samples), meanItems: items / lines.length };
  };
  const completionNote = await completionRun(workload.noteQueries);
  const completionHeading = await completionRun(workload.headingQueries);
  log(`  completion [[: p95 ${completionNote.p95.toFixed(1)} ms; [[Note#: p95 ${completionHeading.p95.toFixed(1)} ms`);
  const completionKorean = {
    initials: await completionRun(workload.korean.initials),
    composing: await completionRun(workload.korean.composing),
    syllables: await completionRun(workload.korean.syllables),
    vaultHeadings: await completionRun(workload.korean.vaultHeadings),
  };
  log(`  completion [[ Korean: initials p95 ${completionKorean.initials.p95.toFixed(1)} ms, composing ${completionKorean.composing.p95.toFixed(1)} ms, syllables ${completionKorean.syllables.p95.toFixed(1)} ms; [[##: ${completionKorean.vaultHeadings.p95.toFixed(1)} ms`);

  const sent = performance.now();
  session.change(workingUri, workingText, version++);
  await session.diagnosticsAfter(workingUri, sent);
  const positions = linkPositions(workingText, 'wiki');
  const definition = summarize(await timeEach(options.requests, (i) => session.request('textDocument/definition', { textDocument: { uri: workingUri }, position: positions[i % positions.length] })));

  // Each edit adds or removes a broken link; the diagnostics that show it are the answer.
  const baseCount = (await session.diagnosticsAfter(workingUri, 0)).diagnostics.length;
  const edits = Math.min(options.requests, 100);
  const diagnosticsAfterEdit = summarize(
    await timeEach(edits, async (i) => {
      const broken = i % 2 === 0;
      const at = performance.now();
      session.change(workingUri, broken ? `${workingText}\n[[Missing bench note ${i}]]` : workingText, version++);
      await session.diagnosticsAfter(workingUri, at, (d) => d.length === baseCount + (broken ? 1 : 0));
    }),
  );
  log(`  definition p95 ${definition.p95.toFixed(1)} ms; diagnostics after edit p95 ${diagnosticsAfterEdit.p95.toFixed(1)} ms`);

  const hubUri = uriOf(workload.hubNote.relativePath);
  const hubText = fs.readFileSync(path.join(options.vaultDirectory, workload.hubNote.relativePath), 'utf8');
  session.open(hubUri, hubText);
  await session.diagnosticsAfter(hubUri, 0);
  const position = plainTextPosition(hubText);
  let locations = 0;
  let responseKb = 0;
  const references = summarize(
    await timeEach(Math.min(options.requests, 30), async () => {
      const found = await session.request<Location[]>('textDocument/references', { textDocument: { uri: hubUri }, position, context: { includeDeclaration: false } });
      locations = found.length;
      if (!responseKb) responseKb = JSON.stringify(found).length / 1024;
    }),
  );
  // The same request with a partialResultToken: the locations stream in `$/progress` batches. Measured: the first batch, and the whole answer (the empty final response).
  const firstBatchTimes: number[] = [];
  let partialBatches = 0;
  const partialWhole = summarize(
    await timeEach(Math.min(options.requests, 30), async () => {
      const started = performance.now();
      const streamed = await session.requestPartial<Location>('textDocument/references', { textDocument: { uri: hubUri }, position, context: { includeDeclaration: false } });
      const streamedLocations = streamed.batches.reduce((sum, batch) => sum + batch.length, 0) + streamed.result.length;
      if (streamedLocations !== locations) throw new Error(`references as partial results: ${streamedLocations} locations streamed, ${locations} in the plain answer`);
      firstBatchTimes.push((streamed.firstAt ?? performance.now()) - started);
      partialBatches = streamed.batches.length;
    }),
  );
  const partialFirst = summarize(firstBatchTimes);
  log(`  references as partial results: first batch p95 ${partialFirst.p95.toFixed(1)} ms, whole answer p95 ${partialWhole.p95.toFixed(1)} ms (${partialBatches} batches)`);
  const jsonTimes: number[] = [];
  const answer = await session.request<Location[]>('textDocument/references', { textDocument: { uri: hubUri }, position, context: { includeDeclaration: false } });
  for (let round = 0; round < 9; round++) {
    const started = performance.now();
    JSON.parse(JSON.stringify({ jsonrpc: '2.0', id: round, result: answer }));
    jsonTimes.push(performance.now() - started);
  }
  const jsonMs = jsonTimes.sort((a, b) => a - b)[4];
  log(`  references to the hub note (${locations} links): p95 ${references.p95.toFixed(1)} ms; JSON encode + decode of the answer ${jsonMs.toFixed(1)} ms`);

  // The heading with the most links to it: rename answers with an edit of every one of them.
  let headingRename: ServerResults['headingRename'];
  const heading = workload.hubNote.headings[0];
  const headingLine = hubText.split('\n').findIndex((line) => /^#{2,3} /.test(line) && line.replace(/^#+ /, '') === heading);
  if (session.capabilities.renameProvider && headingLine >= 0) {
    const character = hubText.split('\n')[headingLine].indexOf(' ') + 2;
    let edits = 0;
    let renameKb = 0;
    const samples = await timeEach(Math.min(options.requests, 10), async (i) => {
      const edit = await session.request<WorkspaceEdit | null>('textDocument/rename', { textDocument: { uri: hubUri }, position: { line: headingLine, character }, newName: `${heading} ${i}` });
      const changes: TextEdit[][] = edit?.changes ? Object.values(edit.changes) : (edit?.documentChanges ?? []).map((change) => ('edits' in change ? (change.edits as TextEdit[]) : []));
      edits = changes.reduce((sum, list) => sum + list.length, 0);
      if (!renameKb) renameKb = JSON.stringify(edit).length / 1024;
    });
    headingRename = { ...summarize(samples), edits, responseKb: renameKb };
    log(`  rename of a heading of the hub note (${edits} edits): p95 ${headingRename.p95.toFixed(1)} ms`);
  }

  const hubHeadingEdit = { ownDiagnosticsMs: [] as number[], allPublishedMs: [] as number[], republished: 0 };
  for (let i = 0; i < 2; i++) {
    await session.settled(300);
    const before = session.publishCount;
    const at = performance.now();
    session.change(hubUri, i % 2 === 0 ? hubText.replace(`# ${heading}\n`, `# ${heading} renamed\n`) : hubText, version++);
    const own = await session.diagnosticsAfter(hubUri, at);
    const last = await session.settled(500);
    hubHeadingEdit.ownDiagnosticsMs.push(own.at - at);
    hubHeadingEdit.allPublishedMs.push(last - at);
    hubHeadingEdit.republished = session.publishCount - before;
  }

  // Indexed and idle: a severity change must only publish every note's diagnostics again.
  const severityChange = await benchSeverityChange(session);
  log(
    `  severity change (${severityChange.code} → ${severityChange.level}): ${severityChange.republished} notes re-published (${severityChange.expected} expected) in ${severityChange.allPublishedMs.toFixed(0)} ms; parses ${severityChange.parses}`,
  );
  for (const problem of severityChange.problems) log(`  ERROR: severity change: ${problem}`);
  await session.shutdown();

  const warm: StartupTimes[] = [];
  for (let run = 0; run < options.startups; run++) {
    const { session: warmSession, times } = await start();
    warm.push(times);
    log(`  warm start ${run + 1}: first diagnostics ${times.firstDiagnosticsMs.toFixed(0)} ms, indexed ${times.indexedMs.toFixed(0)} ms (server CPU ${(times.indexedCpuMs ?? NaN).toFixed(0)} ms), settled ${times.settledMs.toFixed(0)} ms, ${times.memory.rssMb.toFixed(0)} MB`);
    if (run === options.startups - 1) {
      warm[run] = { ...times, idleMemory: await idleMemory(warmSession) };
      log(`  warm start ${run + 1}: ${warm[run].idleMemory!.rssMb.toFixed(0)} MB after ${IDLE_MEMORY_MS / 1000} s idle`);
    }
    await warmSession.shutdown();
  }

  return {
    cold,
    warm,
    completionNote,
    completionHeading,
    completionKorean,
    completionAtOnce,
    definition,
    diagnosticsAfterEdit,
    references: { ...references, locations, responseKb, jsonMs },
    referencesPartial: { firstBatch: partialFirst, whole: partialWhole, batches: partialBatches },
    headingRename,
    hubHeadingEdit: { ownDiagnosticsMs: median(hubHeadingEdit.ownDiagnosticsMs), allPublishedMs: median(hubHeadingEdit.allPublishedMs), republished: hubHeadingEdit.republished },
    severityChange,
  };
}

/** The code whose severity the bench changes: missing notes are the most common broken link in the generated vault. */
/** Between two `[[` requests typed at once: a fast typist's keystrokes. */
const TYPING_GAP_MS = 50;
/** Cold starts the "[[ typed at once" figures pool. */
const TYPING_STARTS = 3;

const SEVERITY_CODE = 'link.missing-note';
const SEVERITY_LEVEL = 'error';
const WARNING = 2;
const ERROR = 1;
/** How long to wait for every note to be published again; the old full re-index took 3.7 s at 10,000 notes. */
const SEVERITY_TIMEOUT_MS = 120_000;

/**
 * Pushes `SEVERITY_CODE: error` with didChangeConfiguration (as a push client
 * does) and times it until every note that had diagnostics is received again,
 * with that code's warnings now errors (problems in comments stay hints) and
 * nothing else changed. `vaultlink/indexStats` before and after says whether
 * anything was parsed again.
 */
async function benchSeverityChange(session: LspSession): Promise<SeverityChange> {
  await session.settled(500);
  const problems: string[] = [];
  const before = await session.request<IndexStats>('vaultlink/indexStats', null);
  const ofCode = (diagnostics: readonly Diagnostic[], severity: number) => diagnostics.filter((d) => d.code === SEVERITY_CODE && d.severity === severity).length;
  /** Per note with diagnostics: how many there are, and how many of the code are warnings. */
  const expected = new Map<string, { readonly count: number; readonly warnings: number; readonly errors: number }>();
  let diagnosticsOfCode = 0;
  for (const [uri, event] of session.latestDiagnostics()) {
    if (event.diagnostics.length === 0) continue;
    const warnings = ofCode(event.diagnostics, WARNING);
    diagnosticsOfCode += warnings;
    expected.set(uri, { count: event.diagnostics.length, warnings, errors: ofCode(event.diagnostics, ERROR) });
  }
  if (expected.size === 0) problems.push('no note had diagnostics before the change');
  if (diagnosticsOfCode === 0) problems.push(`no ${SEVERITY_CODE} warning in the vault: the change shows nothing`);

  const pending = new Map(expected);
  const seen = new Set<string>();
  let publishes = 0;
  let lastAt = NaN;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const stop = session.onPublish((uri, event) => {
    publishes++;
    seen.add(uri);
    const want = pending.get(uri);
    if (!want) return;
    const d = event.diagnostics;
    if (d.length === want.count && ofCode(d, WARNING) === 0 && ofCode(d, ERROR) === want.errors + want.warnings) {
      pending.delete(uri);
      if (pending.size === 0) {
        lastAt = event.at;
        allDone();
      }
    }
  });
  const sent = performance.now();
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: { vaultlink: { diagnostics: { severity: { [SEVERITY_CODE]: SEVERITY_LEVEL } } } } });
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, SEVERITY_TIMEOUT_MS)))]);
  clearTimeout(timer);
  // Whatever else the change sends (notes cleared, a re-index) is counted too.
  await session.settled(500);
  stop();
  const after = await session.request<IndexStats>('vaultlink/indexStats', null);

  const parses = after.parses - before.parses;
  if (pending.size) problems.push(`${pending.size} of ${expected.size} notes with diagnostics were not received again with ${SEVERITY_CODE} as ${SEVERITY_LEVEL} within ${SEVERITY_TIMEOUT_MS / 1000} s (first: ${[...pending.keys()][0]})`);
  if (parses !== 0) problems.push(`${parses} notes parsed again (indexStats parses ${before.parses} → ${after.parses}); a severity change must parse none`);
  if (after.notes !== before.notes) problems.push(`the index went from ${before.notes} to ${after.notes} notes`);
  return {
    code: SEVERITY_CODE,
    level: SEVERITY_LEVEL,
    expected: expected.size,
    diagnosticsOfCode,
    allPublishedMs: lastAt - sent,
    republished: seen.size,
    publishes,
    missing: pending.size,
    parses,
    notesBefore: before.notes,
    notesAfter: after.notes,
    problems,
  };
}
