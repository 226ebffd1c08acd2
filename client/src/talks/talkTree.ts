// The Talks view: vault → conference → day → talk → slides / video / page /
// broken images, from the server's `vaultlink/talks` outlines. It keeps the
// outlines it was given and asks again for one note as it changes, so typing
// in a conference note updates its branch without re-reading the vault.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TalksRequest, type Conference, type Talk, type TalkDay, type TalkLink } from '../protocol';
import { dayName, filterConference, talkDetail, type TalkFilter } from './talkFormat';

export type TalkTreeNode = VaultNode | ConferenceNode | DayNode | TalkNode | LinkNode | BrokenImagesNode;

interface BaseNode {
  readonly id: string;
  readonly parent?: TalkTreeNode;
}
export interface VaultNode extends BaseNode {
  readonly kind: 'vault';
  readonly folder: vscode.WorkspaceFolder;
  readonly children: ConferenceNode[];
}
export interface ConferenceNode extends BaseNode {
  readonly kind: 'conference';
  readonly conference: Conference;
  readonly children: Array<DayNode | TalkNode>;
}
export interface DayNode extends BaseNode {
  readonly kind: 'day';
  readonly conference: Conference;
  readonly day: TalkDay;
  readonly children: TalkNode[];
}
export interface TalkNode extends BaseNode {
  readonly kind: 'talk';
  readonly conference: Conference;
  readonly day: TalkDay;
  readonly talk: Talk;
  readonly children: Array<LinkNode | BrokenImagesNode>;
}
export interface LinkNode extends BaseNode {
  readonly kind: 'link';
  readonly talk: TalkNode;
  readonly link: TalkLink;
}
export interface BrokenImagesNode extends BaseNode {
  readonly kind: 'brokenImages';
  readonly talk: TalkNode;
}

const LINK_LABELS: Record<TalkLink['kind'], string> = { slides: 'Slides', video: 'Video', page: 'Session page' };
const LINK_ICONS: Record<TalkLink['kind'], string> = { slides: 'preview', video: 'play-circle', page: 'link-external' };

export class TalkTreeProvider implements vscode.TreeDataProvider<TalkTreeNode>, vscode.Disposable {
  readonly #client: LanguageClient;
  readonly #extensionUri: vscode.Uri;
  readonly #changed = new vscode.EventEmitter<TalkTreeNode | undefined>();
  readonly onDidChangeTreeData = this.#changed.event;
  /** Outlines by note URI, as the server last gave them. */
  readonly #conferences = new Map<string, Conference>();
  #filter: TalkFilter = {};
  #roots: TalkTreeNode[] = [];
  readonly #talksByNote = new Map<string, TalkNode[]>();
  readonly #conferenceNodes = new Map<string, ConferenceNode>();

  constructor(client: LanguageClient, extensionUri: vscode.Uri) {
    this.#client = client;
    this.#extensionUri = extensionUri;
  }

  dispose(): void {
    this.#changed.dispose();
  }

  get filter(): TalkFilter {
    return this.#filter;
  }

  setFilter(filter: TalkFilter): void {
    this.#filter = filter;
    this.#rebuild();
  }

  /** Every outline the view knows, unfiltered, sorted by title. */
  conferences(): Conference[] {
    return [...this.#conferences.values()].sort((a, b) => a.title.localeCompare(b.title));
  }

  conferenceOf(uri: string): Conference | undefined {
    return this.#conferences.get(uri);
  }

  /** Asks the server for every conference note of the vault. */
  async refreshAll(): Promise<void> {
    const conferences = await this.#client.sendRequest(TalksRequest, {});
    this.#conferences.clear();
    for (const conference of conferences) this.#conferences.set(conference.uri, conference);
    this.#rebuild();
  }

  /** Asks again for one note, after an edit; it may have stopped or started being a conference note. */
  async refreshNote(uri: string): Promise<void> {
    const [conference] = await this.#client.sendRequest(TalksRequest, { uri });
    const before = this.#conferences.get(uri);
    if (!conference && !before) return;
    if (conference) this.#conferences.set(uri, conference);
    else this.#conferences.delete(uri);
    if (JSON.stringify(before) !== JSON.stringify(conference)) this.#rebuild();
  }

  /** The talk whose section holds `line` of the note, for following the cursor. */
  talkAt(uri: string, line: number): TalkNode | undefined {
    let found: TalkNode | undefined;
    for (const node of this.#talksByNote.get(uri) ?? []) {
      if (node.talk.range.start.line <= line && (!found || node.talk.range.start.line > found.talk.range.start.line)) found = node;
    }
    return found;
  }

  conferenceNode(uri: string): ConferenceNode | undefined {
    return this.#conferenceNodes.get(uri);
  }

  talksOf(uri: string): readonly TalkNode[] {
    return this.#talksByNote.get(uri) ?? [];
  }

  getParent(node: TalkTreeNode): TalkTreeNode | undefined {
    return node.parent;
  }

  getChildren(node?: TalkTreeNode): TalkTreeNode[] {
    if (!node) return this.#roots;
    return 'children' in node ? node.children : [];
  }

  getTreeItem(node: TalkTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'vault': {
        const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = vscode.ThemeIcon.Folder;
        item.description = count(node.children.length, 'conference');
        return withId(item, node, 'vault');
      }
      case 'conference': {
        const talks = node.conference.days.reduce((sum, day) => sum + day.talks.length, 0);
        const item = new vscode.TreeItem(node.conference.title, vscode.TreeItemCollapsibleState.Expanded);
        item.description = count(talks, 'talk');
        item.tooltip = vscode.Uri.parse(node.conference.uri).fsPath;
        item.iconPath = {
          light: vscode.Uri.joinPath(this.#extensionUri, 'media', 'conference-light.svg'),
          dark: vscode.Uri.joinPath(this.#extensionUri, 'media', 'conference-dark.svg'),
        };
        item.command = { command: 'vscode.open', title: 'Open Note', arguments: [vscode.Uri.parse(node.conference.uri)] };
        return withId(item, node, 'conference');
      }
      case 'day': {
        const item = new vscode.TreeItem(dayName(node.day), vscode.TreeItemCollapsibleState.Expanded);
        item.description = count(node.children.length, 'talk');
        item.iconPath = new vscode.ThemeIcon('calendar');
        return withId(item, node, 'day');
      }
      case 'talk':
        return this.#talkItem(node);
      case 'link': {
        const item = new vscode.TreeItem(LINK_LABELS[node.link.kind]);
        item.description = node.link.label ? `${node.link.label} · ${hostOf(node.link.url)}` : hostOf(node.link.url);
        item.tooltip = node.link.url;
        item.iconPath = new vscode.ThemeIcon(LINK_ICONS[node.link.kind]);
        item.command = { command: 'vaultlink.talks.openLink', title: `Open ${LINK_LABELS[node.link.kind]}`, arguments: [node] };
        return withId(item, node, `link ${node.link.kind}`);
      }
      case 'brokenImages': {
        const item = new vscode.TreeItem(count(node.talk.talk.brokenImages, 'broken image'));
        item.description = `of ${node.talk.talk.images}`;
        item.tooltip = 'Embedded images whose files are not in the vault; the Problems panel lists each with its fixes.';
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.command = revealCommand(node.talk);
        return withId(item, node, 'brokenImages');
      }
    }
  }

  #talkItem(node: TalkNode): vscode.TreeItem {
    const { talk } = node;
    const hasSlidesOrVideo = talk.links.some((link) => link.kind === 'slides' || link.kind === 'video');
    const item = new vscode.TreeItem(talk.title, node.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const marks: string[] = [];
    if (talk.needsNotes) marks.push('needs notes');
    if (!hasSlidesOrVideo) marks.push('no slides or video');
    if (talk.brokenImages) marks.push(count(talk.brokenImages, 'broken image'));
    item.description = [talkDetail(talk), ...marks].filter(Boolean).join(' · ');
    item.iconPath = talk.brokenImages
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : talk.needsNotes
        ? new vscode.ThemeIcon('edit', new vscode.ThemeColor('list.warningForeground'))
      : hasSlidesOrVideo
        ? new vscode.ThemeIcon('mic')
        : new vscode.ThemeIcon('mic', new vscode.ThemeColor('disabledForeground'));
    // Everything the server read from the note, so that a wrong guess shows.
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(talk.title)}**\n\n`);
    const day = node.day.label || node.day.date ? [node.day.label, node.day.date ?? (node.day.monthDay && `${node.day.monthDay}, no year`)].filter(Boolean).join(' · ') : undefined;
    const facts: Array<[string, string | undefined]> = [
      ['Day', day],
      ['Time', talk.time && (talk.endTime ? `${talk.time}–${talk.endTime}` : talk.time)],
      ['Track', talk.track],
      ['Room', talk.room],
      ['Speaker', talk.speaker],
    ];
    for (const [label, value] of facts) if (value) tooltip.appendMarkdown(`${label}: ${escapeMarkdown(value)}  \n`);
    for (const link of talk.links) tooltip.appendMarkdown(`${LINK_LABELS[link.kind]}${link.label ? ` (${escapeMarkdown(link.label)})` : ''}: ${escapeMarkdown(link.url)}  \n`);
    if (talk.images) tooltip.appendMarkdown(`Images: ${talk.images}, broken: ${talk.brokenImages}  \n`);
    if (talk.needsNotes) tooltip.appendMarkdown(`\n$(edit) No notes written under this talk yet  \n`);
    const conference = node.conference;
    if (conference.year !== undefined || conference.timeZone) tooltip.appendMarkdown(`\nNote: ${[conference.year, conference.timeZone].filter(Boolean).join(' · ')}  \n`);
    item.tooltip = tooltip;
    item.command = revealCommand(node);
    // Flags for the context menu's `viewItem =~ /slides/` clauses.
    const flags = ['talk', ...new Set(talk.links.map((link) => link.kind))];
    if (talk.brokenImages) flags.push('broken');
    if (talk.needsNotes) flags.push('needsNotes');
    return withId(item, node, flags.join(' '));
  }

  #rebuild(): void {
    this.#talksByNote.clear();
    this.#conferenceNodes.clear();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const conferences = this.conferences()
      .map((conference) => filterConference(conference, this.#filter))
      .filter((conference) => conference.days.length > 0);
    if (folders.length > 1) {
      // The vault level only where there is more than one vault to tell apart.
      this.#roots = folders
        .map((folder) => {
          const vault: VaultNode = { kind: 'vault', id: `vault:${folder.uri.toString()}`, folder, children: [] };
          for (const conference of conferences) {
            if (vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(conference.uri))?.uri.toString() === folder.uri.toString()) {
              vault.children.push(this.#conferenceNode(conference, vault));
            }
          }
          return vault;
        })
        .filter((vault) => vault.children.length > 0);
    } else {
      this.#roots = conferences.map((conference) => this.#conferenceNode(conference, undefined));
    }
    this.#changed.fire(undefined);
  }

  #conferenceNode(conference: Conference, parent: VaultNode | undefined): ConferenceNode {
    const node: ConferenceNode = { kind: 'conference', id: `conference:${conference.uri}`, parent, conference, children: [] };
    this.#conferenceNodes.set(conference.uri, node);
    const talks: TalkNode[] = [];
    // A note without day lines has one unnamed day: its talks hang from the conference.
    const flat = conference.days.length === 1 && !dayName(conference.days[0]);
    conference.days.forEach((day, index) => {
      const dayNode: DayNode | undefined = flat ? undefined : { kind: 'day', id: `${node.id}#day${index}:${dayName(day)}`, parent: node, conference, day, children: [] };
      if (dayNode) node.children.push(dayNode);
      for (const talk of day.talks) {
        const parentNode = dayNode ?? node;
        const talkNode: TalkNode = { kind: 'talk', id: `${node.id}#L${talk.range.start.line}:${talk.title}`, parent: parentNode, conference, day, talk, children: [] };
        talk.links.forEach((link, linkIndex) => talkNode.children.push({ kind: 'link', id: `${talkNode.id}#link${linkIndex}`, parent: talkNode, talk: talkNode, link }));
        if (talk.brokenImages) talkNode.children.push({ kind: 'brokenImages', id: `${talkNode.id}#broken`, parent: talkNode, talk: talkNode });
        parentNode.children.push(talkNode);
        talks.push(talkNode);
      }
    });
    this.#talksByNote.set(conference.uri, talks);
    return node;
  }
}

function withId(item: vscode.TreeItem, node: TalkTreeNode, contextValue: string): vscode.TreeItem {
  item.id = node.id;
  item.contextValue = contextValue;
  return item;
}

function revealCommand(node: TalkNode): vscode.Command {
  return { command: 'vaultlink.talks.reveal', title: 'Go to Talk', arguments: [node] };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
