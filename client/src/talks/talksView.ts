// Registers the Talks view and its commands: following the active editor,
// updating as the user types, opening a talk's links, copying and exporting the
// outline, and filtering by day or track.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { notesChangedOnDisk } from '../notesChangedOnDisk';
import { TalkCalendarRequest, TalkExportRequest, type Conference, type TalkLinkKind, type WireRange } from '../protocol';
import { EXPORT_EXTENSIONS, dayName, filterConferences, linkOf, type ExportFormat, type TalkFilter } from './talkFormat';
import { registerScheduleView, type ScheduleViews } from './scheduleView';
import { TalkTreeProvider, type LinkNode, type TalkNode, type TalkTreeNode } from './talkTree';

/** Opens a talk's link outside the editor; replaceable so tests never reach the network. */
export type LinkOpener = (uri: vscode.Uri) => Thenable<boolean>;

export interface TalksView {
  readonly provider: TalkTreeProvider;
  readonly treeView: vscode.TreeView<TalkTreeNode>;
  setLinkOpener(opener: LinkOpener): void;
  /** Settles when the view has asked the server for every outline once more. */
  refresh(): Promise<void>;
  /** The open schedule panels. */
  readonly schedule: ScheduleViews;
}

const REFRESH_AFTER_TYPING_MS = 300;
const FOLLOW_CURSOR_MS = 150;

export function registerTalksView(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): TalksView {
  const provider = new TalkTreeProvider(client, context.extensionUri);
  const treeView = vscode.window.createTreeView('vaultlink.talks', { treeDataProvider: provider, showCollapseAll: true });
  let openLink: LinkOpener = (uri) => vscode.env.openExternal(uri);

  const report = (error: unknown) => output.appendLine(`Talks: ${error instanceof Error ? error.message : String(error)}`);
  const refresh = () => provider.refreshAll().then(() => follow(vscode.window.activeTextEditor), report);

  const showFilter = (filter: TalkFilter) => {
    provider.setFilter(filter);
    const parts = [filter.day && `Day: ${filter.day}`, filter.track && `Track: ${filter.track}`].filter(Boolean);
    treeView.description = parts.join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'vaultlink.talks.filtered', parts.length > 0);
  };

  // Follow the active editor: reveal the talk the cursor is in, as the Outline does.
  const follow = async (editor: vscode.TextEditor | undefined) => {
    if (!editor || !treeView.visible) return;
    const uri = editor.document.uri.toString();
    const node: TalkTreeNode | undefined = provider.talkAt(uri, editor.selection.active.line) ?? provider.conferenceNode(uri);
    if (node && treeView.selection[0]?.id !== node.id) await treeView.reveal(node, { select: true, focus: false, expand: false }).then(undefined, report);
  };
  let followTimer: ReturnType<typeof setTimeout> | undefined;
  const followSoon = (editor: vscode.TextEditor | undefined) => {
    clearTimeout(followTimer);
    followTimer = setTimeout(() => void follow(editor), FOLLOW_CURSOR_MS);
  };

  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const refreshNoteSoon = (document: vscode.TextDocument) => {
    if (document.languageId !== 'markdown' || document.uri.scheme !== 'file') return;
    const uri = document.uri.toString();
    clearTimeout(typingTimers.get(uri));
    typingTimers.set(
      uri,
      setTimeout(() => {
        typingTimers.delete(uri);
        provider.refreshNote(uri).then(() => followSoon(vscode.window.activeTextEditor), report);
      }, REFRESH_AFTER_TYPING_MS),
    );
  };

  /** The talk a command acts on: the tree node it was invoked on, else the talk at the cursor, else one the user picks. */
  const targetTalk = async (node: TalkTreeNode | undefined, wanting?: TalkLinkKind): Promise<TalkNode | undefined> => {
    if (node?.kind === 'talk') return node;
    if (node?.kind === 'link' || node?.kind === 'brokenImages') return node.talk;
    const editor = vscode.window.activeTextEditor;
    const uri = editor?.document.uri.toString();
    const atCursor = uri ? provider.talkAt(uri, editor!.selection.active.line) : undefined;
    if (atCursor && (!wanting || linkOf(atCursor.talk, wanting))) return atCursor;
    const candidates = (uri && provider.talksOf(uri).length ? provider.talksOf(uri) : provider.conferences().flatMap((c) => provider.talksOf(c.uri))).filter(
      (talk) => !wanting || linkOf(talk.talk, wanting),
    );
    if (!candidates.length) {
      void vscode.window.showInformationMessage(wanting ? `No talk here has a ${wanting} link.` : 'No talks found: open a conference note.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((talk) => ({ label: talk.talk.title, description: [talk.talk.time, talk.talk.track].filter(Boolean).join(' · '), detail: talk.conference.title, talk })),
      { placeHolder: wanting ? `Open the ${wanting} of which talk?` : 'Which talk?', matchOnDescription: true },
    );
    return picked?.talk;
  };

  const openTalkLink = async (node: TalkTreeNode | undefined, kind: TalkLinkKind): Promise<string | undefined> => {
    const talk = await targetTalk(node, kind);
    const url = talk && linkOf(talk.talk, kind);
    if (!url) return undefined;
    await openLink(vscode.Uri.parse(url, true));
    return url;
  };

  /** The outlines a copy or export covers: the tree node's conference, else the active note's, else the whole vault. */
  const targetConferences = (node: TalkTreeNode | undefined): Conference[] => {
    if (node && node.kind === 'vault') return node.children.map((child) => child.conference);
    if (node && 'conference' in node) return [node.conference];
    if (node && (node.kind === 'link' || node.kind === 'brokenImages')) return [node.talk.conference];
    const active = vscode.window.activeTextEditor && provider.conferenceOf(vscode.window.activeTextEditor.document.uri.toString());
    return active ? [active] : provider.conferences();
  };

  const pickValue = async (values: string[], what: string, current: string | undefined): Promise<string | null | undefined> => {
    const all = '$(clear-all) All';
    const picked = await vscode.window.showQuickPick([all, ...values.map((value) => (value === current ? `$(check) ${value}` : value))], { placeHolder: `Show the talks of which ${what}?` });
    if (picked === undefined) return undefined;
    return picked === all ? null : picked.replace(/^\$\(check\) /, '');
  };

  context.subscriptions.push(
    provider,
    treeView,
    treeView.onDidChangeVisibility((event) => event.visible && followSoon(vscode.window.activeTextEditor)),
    vscode.window.onDidChangeActiveTextEditor(followSoon),
    vscode.window.onDidChangeTextEditorSelection((event) => followSoon(event.textEditor)),
    vscode.workspace.onDidChangeTextDocument((event) => event.contentChanges.length && refreshNoteSoon(event.document)),
    // Notes written by something else (git, sync, another editor) while closed.
    notesChangedOnDisk(context, client)(({ uris }) => {
      for (const uri of uris) provider.refreshNote(uri).then(undefined, report);
    }),
    vscode.commands.registerCommand('vaultlink.talks.refresh', refresh),
    vscode.commands.registerCommand('vaultlink.talks.reveal', async (node?: TalkNode) => {
      const talk = node ?? (await targetTalk(undefined));
      if (talk) await revealHeading(talk.conference.uri, talk.talk.range);
    }),
    vscode.commands.registerCommand('vaultlink.talks.openLink', async (node: LinkNode) => {
      await openLink(vscode.Uri.parse(node.link.url, true));
      return node.link.url;
    }),
    vscode.commands.registerCommand('vaultlink.talks.openSlides', (node?: TalkTreeNode) => openTalkLink(node, 'slides')),
    vscode.commands.registerCommand('vaultlink.talks.openVideo', (node?: TalkTreeNode) => openTalkLink(node, 'video')),
    vscode.commands.registerCommand('vaultlink.talks.openPage', (node?: TalkTreeNode) => openTalkLink(node, 'page')),
    vscode.commands.registerCommand('vaultlink.talks.copyOutline', async (node?: TalkTreeNode) => {
      const exported = await client.sendRequest(TalkExportRequest, { conferences: filterConferences(targetConferences(node), provider.filter), format: 'markdown' });
      await vscode.env.clipboard.writeText(exported.text);
      void vscode.window.setStatusBarMessage(`Vaultlink: copied ${exported.talks} talks as a markdown table`, 3000);
      return exported.text;
    }),
    vscode.commands.registerCommand('vaultlink.talks.export', async (node?: TalkTreeNode, options?: { format?: ExportFormat | 'ics'; target?: vscode.Uri }) => {
      const conferences = targetConferences(node);
      if (!conferences.length) return void vscode.window.showInformationMessage('No conference notes to export.');
      const format =
        options?.format ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'Markdown table', format: 'markdown' as const },
              { label: 'CSV', format: 'csv' as const },
              { label: 'JSON', format: 'json' as const },
              { label: 'Calendar (iCalendar .ics)', description: 'each talk an event', format: 'ics' as const },
            ],
            { placeHolder: 'Export the talk outline as' },
          )
        )?.format;
      if (!format) return undefined;
      const base = conferences.length === 1 ? vscode.Uri.parse(conferences[0].uri) : vscode.workspace.workspaceFolders?.[0]?.uri;
      const extension = format === 'ics' ? 'ics' : EXPORT_EXTENSIONS[format];
      const suggested = base && vscode.Uri.joinPath(base, '..', `${conferences.length === 1 ? conferences[0].title : 'Conferences'} talks.${extension}`);
      const target = options?.target ?? (await vscode.window.showSaveDialog({ defaultUri: suggested, saveLabel: 'Export', title: 'Export talk outline' }));
      if (!target) return undefined;
      if (format === 'ics') {
        // The calendar is written by the server (year and time zone from the notes, else the settings).
        const calendar = await client.sendRequest(TalkCalendarRequest, { conferences: filterConferences(conferences, provider.filter) });
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(calendar.text));
        const skipped = calendar.skipped ? ` ${calendar.skipped} talks have no date (set "year" in the note's front matter, or vaultlink.talks.calendar.year) and were left out.` : '';
        void vscode.window.showInformationMessage(`Exported ${calendar.events} talks as calendar events to ${vscode.workspace.asRelativePath(target)}.${skipped}`);
        return target;
      }
      const exported = await client.sendRequest(TalkExportRequest, { conferences: filterConferences(conferences, provider.filter), format });
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exported.text));
      void vscode.window.showInformationMessage(`Exported ${exported.talks} talks to ${vscode.workspace.asRelativePath(target)}.`);
      return target;
    }),
    // From the view's title bar VS Code passes the selected tree node, not a value: only a string is a day.
    vscode.commands.registerCommand('vaultlink.talks.filterByDay', async (day?: unknown) => {
      const days = [...new Set(provider.conferences().flatMap((c) => c.days.map(dayName)).filter(Boolean))];
      const value = typeof day === 'string' ? day : await pickValue(days, 'day', provider.filter.day);
      if (value !== undefined) showFilter({ ...provider.filter, day: value ?? undefined });
    }),
    vscode.commands.registerCommand('vaultlink.talks.filterByTrack', async (track?: unknown) => {
      const tracks = [...new Set(provider.conferences().flatMap((c) => c.days.flatMap((d) => d.talks.map((t) => t.track ?? ''))).filter(Boolean))].sort();
      const value = typeof track === 'string' ? track : await pickValue(tracks, 'track', provider.filter.track);
      if (value !== undefined) showFilter({ ...provider.filter, track: value ?? undefined });
    }),
    vscode.commands.registerCommand('vaultlink.talks.clearFilter', () => showFilter({})),
    // Talks whose sections have nothing written yet, to pick one and write. `{ show: false }` only lists them (tests, other extensions).
    vscode.commands.registerCommand('vaultlink.talks.listNeedingNotes', async (options?: unknown) => {
      const needing = provider.conferences().flatMap((conference) => provider.talksOf(conference.uri).filter((node) => node.talk.needsNotes));
      const listed = needing.map((node) => ({ title: node.talk.title, conference: node.conference.title, uri: node.conference.uri, line: node.talk.range.start.line }));
      if (isListOnly(options)) return listed;
      if (!needing.length) {
        void vscode.window.showInformationMessage('Every talk has notes.');
        return listed;
      }
      const picked = await vscode.window.showQuickPick(
        needing.map((node) => ({ label: node.talk.title, description: [dayName(node.day), talkDetailOf(node)].filter(Boolean).join(' · '), detail: node.conference.title, node })),
        { placeHolder: `${needing.length} talks have no notes yet: pick one to write`, matchOnDescription: true, matchOnDetail: true },
      );
      if (picked) await revealHeading(picked.node.conference.uri, picked.node.talk.range);
      return listed;
    }),
  );

  const schedule = registerScheduleView(context, provider, revealHeading, (url) => openLink(vscode.Uri.parse(url, true)));

  return {
    provider,
    treeView,
    setLinkOpener: (opener) => (openLink = opener),
    refresh,
    schedule,
  };
}

function isListOnly(options: unknown): boolean {
  return typeof options === 'object' && options !== null && (options as { show?: unknown }).show === false;
}

function talkDetailOf(node: TalkNode): string {
  return [node.talk.time, node.talk.track, node.talk.room].filter(Boolean).join(' · ');
}

/** Opens the note with the talk's heading selected, scrolled to the top. */
export async function revealHeading(uri: string, range: WireRange): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const start = new vscode.Position(range.start.line, range.start.character);
  const end = new vscode.Position(range.end.line, range.end.character);
  const editor = await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(start, start) });
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.AtTop);
}
