// The schedule view: a webview panel drawing a conference note as a printed
// programme (days × time × track), one panel per note. It redraws whenever the
// Talks view's outlines change (typing, files changed on disk), and a click on
// a talk opens its heading. Strict content security policy: only this
// extension's own script (with a nonce) and stylesheet, no remote content.
import * as vscode from 'vscode';
import type { Conference } from '../protocol';
import { scheduleModel, talkOfCell, type ScheduleModel } from './scheduleModel';
import type { TalkTreeNode, TalkTreeProvider } from './talkTree';

/** What a panel last showed, and what its script said it drew: for tests. */
export interface ScheduleState {
  readonly model: ScheduleModel | undefined;
  /** Reported by the webview's script after each draw: the talk cells it made. */
  readonly rendered?: { readonly cells: number; readonly days: number };
}

export interface ScheduleViews {
  /** The state of the panel showing a note, if one is open. */
  stateOf(uri: string): ScheduleState | undefined;
}

interface OpenSchedule {
  readonly panel: vscode.WebviewPanel;
  model: ScheduleModel | undefined;
  rendered?: { cells: number; days: number };
}

const VIEW_TYPE = 'vaultlink.schedule';

export function registerScheduleView(
  context: vscode.ExtensionContext,
  provider: TalkTreeProvider,
  reveal: (uri: string, range: Conference['days'][number]['talks'][number]['range']) => Promise<void>,
  openLink: (url: string) => Thenable<unknown>,
): ScheduleViews {
  const open = new Map<string, OpenSchedule>();
  const media = vscode.Uri.joinPath(context.extensionUri, 'media');

  const post = (uri: string) => {
    const schedule = open.get(uri);
    if (!schedule) return;
    const conference = provider.conferenceOf(uri);
    schedule.model = conference && scheduleModel(conference);
    schedule.panel.title = `Schedule: ${conference?.title ?? 'not a conference note'}`;
    // A hidden panel has no page to draw in: it draws when shown again (its script asks on load).
    if (!schedule.panel.visible) schedule.rendered = undefined;
    void schedule.panel.webview.postMessage({ type: 'schedule', model: schedule.model ?? null });
  };

  const show = async (node?: unknown): Promise<ScheduleState | undefined> => {
    const uri = await conferenceToShow(provider, node);
    if (!uri) return undefined;
    const existing = open.get(uri);
    if (existing) {
      existing.panel.reveal(undefined, false);
      post(uri);
      return { model: existing.model, rendered: existing.rendered };
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Schedule', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    const schedule: OpenSchedule = { panel, model: undefined };
    open.set(uri, schedule);
    panel.iconPath = { light: vscode.Uri.joinPath(media, 'conference-light.svg'), dark: vscode.Uri.joinPath(media, 'conference-dark.svg') };
    panel.webview.html = html(panel.webview, media);
    panel.webview.onDidReceiveMessage(async (message: unknown) => {
      if (!message || typeof message !== 'object') return;
      const { type, id, url, cells, days } = message as { type?: unknown; id?: unknown; url?: unknown; cells?: unknown; days?: unknown };
      if (type === 'ready') post(uri);
      else if (type === 'rendered' && typeof cells === 'number' && typeof days === 'number') schedule.rendered = { cells, days };
      else if (type === 'reveal' && typeof id === 'string') {
        const conference = provider.conferenceOf(uri);
        const talk = conference && talkOfCell(conference, id);
        if (talk) await reveal(uri, talk.range);
      } else if (type === 'openLink' && typeof url === 'string') {
        // Only a link the outline has: the webview cannot make the host open anything else.
        const conference = provider.conferenceOf(uri);
        if (conference?.days.some((day) => day.talks.some((talk) => talk.links.some((link) => link.url === url)))) await openLink(url);
      }
    });
    panel.onDidDispose(() => open.delete(uri));
    post(uri);
    return { model: schedule.model };
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('vaultlink.talks.showSchedule', show),
    // The Talks view's outlines changed: redraw each open schedule from them.
    provider.onDidChangeTreeData(() => {
      for (const uri of open.keys()) post(uri);
    }),
  );
  return {
    stateOf: (uri) => {
      const schedule = open.get(uri);
      return schedule && { model: schedule.model, rendered: schedule.rendered };
    },
  };
}

/** The note to show: the tree node's, a URI given, else the active editor's, else the only one, else one the user picks. */
async function conferenceToShow(provider: TalkTreeProvider, node: unknown): Promise<string | undefined> {
  const fromNode = nodeConference(node);
  if (fromNode) return fromNode;
  if (typeof node === 'string' && provider.conferenceOf(node)) return node;
  if (node instanceof vscode.Uri && provider.conferenceOf(node.toString())) return node.toString();
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  if (active && provider.conferenceOf(active)) return active;
  const all = provider.conferences();
  if (all.length <= 1) {
    if (!all.length) void vscode.window.showInformationMessage('No conference notes in this vault yet.');
    return all[0]?.uri;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((conference) => ({ label: conference.title, description: vscode.workspace.asRelativePath(vscode.Uri.parse(conference.uri)), uri: conference.uri })),
    { placeHolder: 'Show the schedule of which conference?' },
  );
  return picked?.uri;
}

function nodeConference(node: unknown): string | undefined {
  if (!node || typeof node !== 'object' || !('kind' in node)) return undefined;
  const tree = node as TalkTreeNode;
  if ('conference' in tree) return tree.conference.uri;
  if (tree.kind === 'link' || tree.kind === 'brokenImages') return tree.talk.conference.uri;
  if (tree.kind === 'vault') return tree.children[0]?.conference.uri;
  return undefined;
}

function html(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = nonceOf();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'schedule.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'schedule.css'));
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource}`, `font-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Schedule</title>
</head>
<body>
<main id="schedule" aria-live="polite"><p class="empty">Loading the schedule…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function nonceOf(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let nonce = '';
  for (let i = 0; i < 32; i++) nonce += alphabet[Math.floor(Math.random() * alphabet.length)];
  return nonce;
}
