// Quick open: Open Note, Go to Heading, Go to Talk, Insert Link at Cursor. A
// QuickPick the server fills as the user types (`vaultlink/search`), so Korean
// is matched as it is typed (initials, a syllable being composed) by the same
// search as `[[` completion. VS Code's own filter would hide those matches
// (`ㅅㅇㅈ` is in no label), so every item is `alwaysShow`; the order is the
// server's, except that VS Code moves the items it can match itself first.
import * as vscode from 'vscode';
import { CancellationTokenSource, type LanguageClient } from 'vscode-languageclient/node';
import { SearchRequest, type SearchHit, type SearchKind } from './protocol';

/** Wait after a keystroke before asking: one request per pause, not per letter. */
const TYPING_DELAY_MS = 60;

interface QuickOpenCommand {
  readonly id: string;
  readonly kind: SearchKind;
  readonly placeholder: string;
}

const COMMANDS: readonly QuickOpenCommand[] = [
  { id: 'vaultlink.quickOpen.note', kind: 'notes', placeholder: 'Open a note by name, title or alias (Korean: initials such as ㅅㅇㅈ work)' },
  { id: 'vaultlink.quickOpen.heading', kind: 'headings', placeholder: 'Go to a heading in any note' },
  { id: 'vaultlink.quickOpen.talk', kind: 'talks', placeholder: 'Go to a talk (title, time, track)' },
  { id: 'vaultlink.quickOpen.insertLink', kind: 'links', placeholder: 'Insert a link to a note or file at the cursor' },
];

interface HitItem extends vscode.QuickPickItem {
  readonly hit: SearchHit;
}

/** What the quick pick shows now, for tests: its value and item labels, or undefined when none is open. */
export interface QuickOpenState {
  readonly value: string;
  readonly labels: readonly string[];
  /** Whether an answer for the current value is still awaited. */
  readonly busy: boolean;
}

export interface QuickOpen {
  state(): QuickOpenState | undefined;
}

export function registerQuickOpen(context: vscode.ExtensionContext, client: LanguageClient): QuickOpen {
  let current: { pick: vscode.QuickPick<HitItem>; pending: number } | undefined;

  const open = async (command: QuickOpenCommand, options?: { query?: string }) => {
    const editor = vscode.window.activeTextEditor;
    if (command.kind === 'links' && (!editor || editor.document.languageId !== 'markdown')) {
      void vscode.window.showInformationMessage('Open a markdown note to insert a link into it.');
      return;
    }
    const from = command.kind === 'links' ? editor?.document.uri.toString() : undefined;
    const pick = vscode.window.createQuickPick<HitItem>();
    pick.placeholder = command.placeholder;
    pick.matchOnDescription = false;
    const state = { pick, pending: 0 };
    current = state;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: CancellationTokenSource | undefined;

    const ask = async (query: string) => {
      inFlight?.cancel();
      const source = (inFlight = new CancellationTokenSource());
      state.pending++;
      pick.busy = true;
      try {
        const hits = await client.sendRequest(SearchRequest, { kind: command.kind, query, uri: from }, source.token);
        if (source.token.isCancellationRequested || pick.value !== query) return;
        pick.items = hits.map((hit) => ({ label: hit.label, description: hit.description, alwaysShow: true, hit }));
      } catch (error) {
        if (!source.token.isCancellationRequested) pick.title = `Vaultlink could not search: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        state.pending--;
        pick.busy = state.pending > 0;
      }
    };
    pick.onDidChangeValue((value) => {
      clearTimeout(timer);
      timer = setTimeout(() => void ask(value), TYPING_DELAY_MS);
    });
    pick.onDidAccept(async () => {
      const item = pick.selectedItems[0] ?? pick.activeItems[0];
      if (!item) return;
      pick.hide();
      await accept(command, item.hit, editor);
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      inFlight?.cancel();
      if (current === state) current = undefined;
      pick.dispose();
    });
    pick.value = options?.query ?? '';
    pick.show();
    await ask(pick.value);
  };

  for (const command of COMMANDS) {
    context.subscriptions.push(vscode.commands.registerCommand(command.id, (options?: { query?: string }) => open(command, options)));
  }
  return {
    state: () => current && { value: current.pick.value, labels: current.pick.items.map((item) => item.label), busy: current.pending > 0 },
  };
}

async function accept(command: QuickOpenCommand, hit: SearchHit, editor: vscode.TextEditor | undefined): Promise<void> {
  if (command.kind === 'links') {
    if (!editor || hit.insertText === undefined) return;
    // Replaces the selection (or inserts at the cursor), as typing would; one undoable step.
    await editor.edit((builder) => {
      for (const selection of editor.selections) builder.replace(selection, hit.insertText!);
    });
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    return;
  }
  const uri = vscode.Uri.parse(hit.uri, true);
  const range = hit.range && new vscode.Range(hit.range.start.line, hit.range.start.character, hit.range.end.line, hit.range.end.character);
  const shown = await vscode.window.showTextDocument(uri, { preview: false, ...(range ? { selection: new vscode.Selection(range.start, range.start) } : {}) });
  if (range) shown.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
