// The Backlinks view's tree, for the active note: linked mentions by linking
// note, unlinked mentions (asked for only when that group is expanded: they
// cost a search of the vault), and the note's links out. Everything comes from
// the server (`vaultlink/backlinks`, `vaultlink/unlinkedMentions`); the tree
// only arranges it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  BacklinksRequest,
  UnlinkedMentionsRequest,
  type Backlinks,
  type LinkedMention,
  type MentioningNote,
  type MentionPreview,
  type OutgoingLink,
  type UnlinkedMention,
  type UnlinkedMentions,
} from '../protocol';

export type BacklinkTreeNode = GroupNode | NoteNode | MentionNode | OutgoingNode | MessageNode;

interface BaseNode {
  readonly id: string;
}
export interface GroupNode extends BaseNode {
  readonly kind: 'group';
  readonly group: 'linked' | 'unlinked' | 'outgoing';
}
export interface NoteNode extends BaseNode {
  readonly kind: 'note';
  readonly linked: boolean;
  readonly note: MentioningNote<LinkedMention | UnlinkedMention>;
}
export interface MentionNode extends BaseNode {
  readonly kind: 'mention';
  /** The note the mention is in. */
  readonly uri: string;
  readonly linked: boolean;
  readonly mention: LinkedMention | UnlinkedMention;
}
export interface OutgoingNode extends BaseNode {
  readonly kind: 'outgoing';
  /** The note the link is in (the active one). */
  readonly uri: string;
  readonly link: OutgoingLink;
}
export interface MessageNode extends BaseNode {
  readonly kind: 'message';
  readonly text: string;
}

export class BacklinkTreeProvider implements vscode.TreeDataProvider<BacklinkTreeNode>, vscode.Disposable {
  readonly #client: LanguageClient;
  readonly #changed = new vscode.EventEmitter<BacklinkTreeNode | undefined>();
  readonly onDidChangeTreeData = this.#changed.event;
  #uri: string | undefined;
  #backlinks: Backlinks | null | undefined;
  /** The unlinked mentions of the current note once asked for (the group was expanded). */
  #unlinked: Promise<UnlinkedMentions | null> | undefined;
  /** Cancels the requests for a note the view no longer shows. */
  #cancel = new vscode.CancellationTokenSource();
  /** Bumped on every refresh: an answer for an older one is dropped. */
  #generation = 0;

  constructor(client: LanguageClient) {
    this.#client = client;
  }

  dispose(): void {
    this.#cancel.cancel();
    this.#cancel.dispose();
    this.#changed.dispose();
  }

  /** The note the view shows, if any. */
  get uri(): string | undefined {
    return this.#uri;
  }

  get backlinks(): Backlinks | null | undefined {
    return this.#backlinks;
  }

  /** Shows `uri`'s links (undefined: no note) and asks the server for them again. */
  async show(uri: string | undefined): Promise<void> {
    if (uri !== this.#uri) {
      this.#cancel.cancel();
      this.#cancel.dispose();
      this.#cancel = new vscode.CancellationTokenSource();
    }
    this.#uri = uri;
    const generation = ++this.#generation;
    const token = this.#cancel.token;
    const backlinks = uri === undefined ? undefined : await this.#client.sendRequest(BacklinksRequest, { uri }, token);
    if (generation !== this.#generation || token.isCancellationRequested) return;
    this.#backlinks = backlinks;
    this.#unlinked = undefined;
    this.#changed.fire(undefined);
  }

  /** The unlinked mentions of the note shown, asked for once per refresh. */
  unlinkedMentions(): Promise<UnlinkedMentions | null> {
    const uri = this.#uri;
    if (uri === undefined) return Promise.resolve(null);
    this.#unlinked ??= Promise.resolve(this.#client.sendRequest(UnlinkedMentionsRequest, { uri }, this.#cancel.token)).catch(() => null);
    return this.#unlinked;
  }

  getTreeItem(node: BacklinkTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.#groupItem(node);
      case 'note': {
        const item = new vscode.TreeItem(node.note.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        const folder = node.note.relativePath.includes('/') ? node.note.relativePath.slice(0, node.note.relativePath.lastIndexOf('/')) : '';
        item.description = [folder, `${node.note.mentions.length}`].filter(Boolean).join(' · ');
        item.tooltip = node.note.relativePath;
        item.resourceUri = vscode.Uri.parse(node.note.uri);
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = node.linked ? 'linkingNote' : 'mentioningNote';
        return item;
      }
      case 'mention': {
        const item = new vscode.TreeItem(labelOf(node.mention.preview), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.mention.preview.text;
        item.iconPath = new vscode.ThemeIcon(node.linked ? 'link' : 'symbol-text');
        item.contextValue = node.linked ? 'linkedMention' : 'unlinkedMention';
        item.command = { command: 'vaultlink.backlinks.open', title: 'Open', arguments: [node.uri, node.mention.range] };
        return item;
      }
      case 'outgoing': {
        const link = node.link;
        const item = new vscode.TreeItem(link.target, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = link.state === 'broken' ? 'broken' : undefined;
        item.tooltip = link.preview.text;
        item.iconPath = new vscode.ThemeIcon(link.state === 'broken' ? 'warning' : link.embed ? 'file-media' : 'link');
        item.contextValue = link.state === 'broken' ? 'brokenLink' : 'outgoingLink';
        // A resolved link opens its target (at the heading or block); a broken one shows where it is written.
        item.command = link.targetUri
          ? { command: 'vaultlink.backlinks.open', title: 'Open', arguments: [link.targetUri, link.targetRange] }
          : { command: 'vaultlink.backlinks.open', title: 'Open', arguments: [node.uri, link.range] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        return item;
      }
    }
  }

  #groupItem(node: GroupNode): vscode.TreeItem {
    const backlinks = this.#backlinks;
    const labels = { linked: 'Linked mentions', unlinked: 'Unlinked mentions', outgoing: 'Outgoing links' };
    // Unlinked mentions cost a search of the vault: collapsed, and searched once opened, as in Obsidian.
    const item = new vscode.TreeItem(labels[node.group], node.group === 'unlinked' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    if (node.group === 'linked' && backlinks) item.description = `${backlinks.linkCount} in ${backlinks.linked.length} ${backlinks.linked.length === 1 ? 'note' : 'notes'}`;
    if (node.group === 'outgoing' && backlinks) {
      const broken = backlinks.outgoing.filter((link) => link.state === 'broken').length;
      item.description = `${backlinks.outgoing.length}${broken ? ` · ${broken} broken` : ''}`;
    }
    item.contextValue = `group-${node.group}`;
    return item;
  }

  async getChildren(node?: BacklinkTreeNode): Promise<BacklinkTreeNode[]> {
    const backlinks = this.#backlinks;
    const uri = this.#uri;
    if (!backlinks || uri === undefined) return [];
    if (!node) {
      return (['linked', 'unlinked', 'outgoing'] as const).map((group) => ({ kind: 'group', group, id: `${uri}#${group}` }));
    }
    if (node.kind === 'group' && node.group === 'linked') {
      if (!backlinks.linked.length) return [{ kind: 'message', id: `${node.id}/none`, text: 'No other note links here.' }];
      return backlinks.linked.map((note) => ({ kind: 'note', linked: true, note, id: `${node.id}/${note.uri}` }));
    }
    if (node.kind === 'group' && node.group === 'unlinked') {
      const unlinked = await this.unlinkedMentions();
      if (!unlinked) return [{ kind: 'message', id: `${node.id}/failed`, text: 'Could not search for mentions.' }];
      if (!unlinked.notes.length) return [{ kind: 'message', id: `${node.id}/none`, text: `No note mentions ${unlinked.names.join(' or ')} without a link.` }];
      const notes: BacklinkTreeNode[] = unlinked.notes.map((note) => ({ kind: 'note', linked: false, note, id: `${node.id}/${note.uri}` }));
      if (!unlinked.complete) notes.push({ kind: 'message', id: `${node.id}/more`, text: 'More mentions not listed: the search stops at its limit.' });
      return notes;
    }
    if (node.kind === 'group' && node.group === 'outgoing') {
      if (!backlinks.outgoing.length) return [{ kind: 'message', id: `${node.id}/none`, text: 'This note links to no other file.' }];
      return backlinks.outgoing.map((link, index) => ({ kind: 'outgoing', uri, link, id: `${node.id}/${index}` }));
    }
    if (node.kind === 'note') {
      return node.note.mentions.map((mention, index) => ({ kind: 'mention', uri: node.note.uri, linked: node.linked, mention, id: `${node.id}/${index}` }));
    }
    return [];
  }
}

/** A preview line as a tree label, the link or mention highlighted. */
function labelOf(preview: MentionPreview): vscode.TreeItemLabel {
  const [start, end] = preview.highlight;
  return { label: preview.text || '(empty line)', highlights: end > start ? [[start, end]] : [] };
}
