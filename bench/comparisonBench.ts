import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { CancellationToken } from 'vscode-jsonrpc';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { createLanguageService, DiagnosticLevel, githubSlugifier, LogLevel, type IMdLanguageService, type IMdParser } from 'vscode-markdown-languageservice';
import { URI } from 'vscode-uri';
import { createVaultService } from '../server/src/index';
import { NodeFileSystem } from '../server/src/node/nodeFileSystem';
import { NodeMarkdownWorkspace } from './nodeMarkdownWorkspace';
import { summarize, timeEach, type Summary } from './stats';
import { linkPositions, plainTextPosition, type Workload } from './workload';

/**
 * Vaultlink and Microsoft's `vscode-markdown-languageservice` (the engine of VS
 * Code's markdown link validation) side by side, in this process, on the same
 * vault with every link written as a relative markdown link, for the operations
 * both have. Both read every note from disk and parse it from scratch.
 */
export interface ToolResults {
  /** Read, parse and check every link of every note, from nothing. */
  readonly validationMs: number;
  /** Problems found, by code, to show both checked the same links. */
  readonly problems: Record<string, number>;
  readonly definition: Summary;
  /** All links to the most-linked note. */
  readonly references: Summary & { readonly locations: number };
  /** After `](` plus the start of a relative path. */
  readonly pathCompletion: Summary;
  /** After `](path.md#` plus the start of a heading slug. */
  readonly headingCompletion: Summary;
}

export interface ComparisonResults {
  readonly vaultlink: ToolResults;
  readonly markdownService: ToolResults;
}

export interface ComparisonOptions {
  readonly vaultDirectory: string;
  readonly workload: Workload;
  readonly requests: number;
  readonly log: (message: string) => void;
}

/** What each tool is asked, identical for both. */
interface Questions {
  readonly workingUri: string;
  readonly workingText: string;
  readonly hubUri: string;
  readonly hubText: string;
  readonly definitionPositions: readonly Position[];
  readonly pathLines: readonly string[];
  readonly headingLines: readonly string[];
}

export async function benchComparison(options: ComparisonOptions): Promise<ComparisonResults> {
  const { workload } = options;
  const file = (relativePath: string) => path.join(options.vaultDirectory, ...relativePath.split('/'));
  const workingText = fs.readFileSync(file(workload.workingNote.relativePath), 'utf8');
  const questions: Questions = {
    workingUri: URI.file(file(workload.workingNote.relativePath)).toString(),
    workingText,
    hubUri: URI.file(file(workload.hubNote.relativePath)).toString(),
    hubText: fs.readFileSync(file(workload.hubNote.relativePath), 'utf8'),
    definitionPositions: linkPositions(workingText, 'markdown', true),
    pathLines: workload.pathQueries.map((query) => `[link](${query}`),
    headingLines: workload.markdownHeadingQueries.map((query) => `[link](${query}`),
  };
  // Each tool runs once with a cold start; Vaultlink first, so the disk cache favours the other.
  const vaultlink = await benchVaultlinkInProcess(options.vaultDirectory, questions, options.requests);
  options.log(`  vaultlink in-process: validation ${vaultlink.validationMs.toFixed(0)} ms`);
  const markdownService = await benchMarkdownService(options.vaultDirectory, questions, options.requests);
  options.log(`  vscode-markdown-languageservice: validation ${markdownService.validationMs.toFixed(0)} ms`);
  return { vaultlink, markdownService };
}

function withLines(text: string, lines: readonly string[]): { text: string; positions: Position[] } {
  const base = text.split('\n').length;
  return { text: `${text}\n${lines.join('\n')}`, positions: lines.map((line, i) => ({ line: base + i, character: line.length })) };
}

async function benchVaultlinkInProcess(vaultDirectory: string, questions: Questions, requests: number): Promise<ToolResults> {
  const started = performance.now();
  const service = createVaultService({ fileSystem: new NodeFileSystem() });
  service.setRoots([URI.file(vaultDirectory).toString()]);
  await service.indexAll();
  const problems: Record<string, number> = {};
  for (const vault of service.vaults) {
    for (const note of vault.notes()) {
      for (const diagnostic of service.getDiagnostics(note.file.uri)) problems[String(diagnostic.code)] = (problems[String(diagnostic.code)] ?? 0) + 1;
    }
  }
  const validationMs = performance.now() - started;

  const definition = summarize(await timeEach(requests, async (i) => service.getDefinition(questions.workingUri, questions.definitionPositions[i % questions.definitionPositions.length])));
  const position = plainTextPosition(questions.hubText);
  let locations = 0;
  const references = summarize(await timeEach(Math.min(requests, 30), async () => (locations = service.getReferences(questions.hubUri, position, false).length)));
  const completion = async (lines: readonly string[]) => {
    const { text, positions } = withLines(questions.workingText, lines);
    service.setDocumentText(questions.workingUri, text);
    return summarize(await timeEach(lines.length, async (i) => service.getCompletions(questions.workingUri, positions[i])));
  };
  const pathCompletion = await completion(questions.pathLines);
  const headingCompletion = await completion(questions.headingLines);
  return { validationMs, problems, definition, references: { ...references, locations }, pathCompletion, headingCompletion };
}

/**
 * markdown-it with VS Code's defaults, as VS Code's markdown server tokenizes.
 * VS Code also loads a front-matter plugin; its stand-in here blanks the YAML
 * block for markdown-it (so `---` is no heading rule) and marks its lines as a
 * block the service does not search for links (so `tags: [a, b]` is no link).
 */
function markdownItParser(): IMdParser {
  const markdown = new MarkdownIt({ html: true, linkify: true });
  return {
    slugifier: githubSlugifier,
    tokenize: async (document) => {
      const text = document.getText();
      const frontMatter = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
      if (!frontMatter) return markdown.parse(text, {});
      const lines = frontMatter[0].split('\n').length - 1;
      const tokens = markdown.parse('\n'.repeat(lines) + text.slice(frontMatter[0].length), {});
      return [{ type: 'code_block', markup: '', content: '', map: [0, lines], children: null }, ...tokens];
    },
  };
}

async function benchMarkdownService(vaultDirectory: string, questions: Questions, requests: number): Promise<ToolResults> {
  const token = CancellationToken.None;
  const started = performance.now();
  const workspace = new NodeMarkdownWorkspace(vaultDirectory);
  const service: IMdLanguageService = createLanguageService({ workspace, parser: markdownItParser(), logger: { level: LogLevel.Off, log: () => undefined } });
  // VS Code's settings with `markdown.validate.enabled` on.
  const options = {
    validateReferences: DiagnosticLevel.warning,
    validateFragmentLinks: DiagnosticLevel.warning,
    validateFileLinks: DiagnosticLevel.warning,
    validateMarkdownFileLinkFragments: DiagnosticLevel.warning,
    validateUnusedLinkDefinitions: DiagnosticLevel.hint,
    validateDuplicateLinkDefinitions: DiagnosticLevel.warning,
    ignoreLinks: [],
  };
  const diagnostics = service.createPullDiagnosticsManager();
  const problems: Record<string, number> = {};
  for (const document of [...(await workspace.getAllMarkdownDocuments())]) {
    for (const diagnostic of await diagnostics.computeDiagnostics(document, options, token)) problems[String(diagnostic.code)] = (problems[String(diagnostic.code)] ?? 0) + 1;
  }
  const validationMs = performance.now() - started;

  const working = (await workspace.openMarkdownDocument(URI.parse(questions.workingUri)))!;
  const definition = summarize(await timeEach(requests, (i) => service.getDefinition(working, questions.definitionPositions[i % questions.definitionPositions.length], token)));
  let locations = 0;
  const references = summarize(await timeEach(Math.min(requests, 30), async () => (locations = (await service.getFileReferences(URI.parse(questions.hubUri), token)).length)));
  let version = 2;
  const completion = async (lines: readonly string[]) => {
    const { text, positions } = withLines(questions.workingText, lines);
    const document = TextDocument.create(questions.workingUri, 'markdown', version++, text);
    workspace.setDocument(document);
    return summarize(await timeEach(lines.length, (i) => service.getCompletionItems(document, positions[i], {}, token)));
  };
  const pathCompletion = await completion(questions.pathLines);
  const headingCompletion = await completion(questions.headingLines);
  diagnostics.dispose();
  service.dispose();
  return { validationMs, problems, definition, references: { ...references, locations }, pathCompletion, headingCompletion };
}
