// The wire shapes of Vaultlink's own LSP messages, as the client sees them.
// They mirror server/src/lsp/protocol.ts and server/src/features/talks.ts; the
// client never imports server code (see ARCHITECTURE.md), and the protocol
// tests check the server's side of each message.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageclient/node';

export interface IndexStatus {
  readonly state: 'indexing' | 'ready';
  readonly notes: number;
  readonly attachments: number;
  readonly milliseconds?: number;
}
export const IndexStatusNotification = new NotificationType<IndexStatus>('vaultlink/status');
/** Notes created, changed or deleted on disk (not edits in the editor): views built from them refresh those notes. */
export const NotesChangedOnDiskNotification = new NotificationType<{ uris: string[] }>('vaultlink/notesChangedOnDisk');

export const ReindexRequest = new RequestType0<IndexStatus, void>('vaultlink/reindex');

export interface WireRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

export type TalkLinkKind = 'slides' | 'video' | 'page';

export interface TalkLink {
  readonly kind: TalkLinkKind;
  readonly url: string;
  readonly label?: string;
}

export interface Talk {
  readonly title: string;
  readonly time?: string;
  readonly track?: string;
  readonly speaker?: string;
  /** The talk's heading line. */
  readonly range: WireRange;
  readonly links: readonly TalkLink[];
  readonly images: number;
  readonly brokenImages: number;
}

export interface TalkDay {
  /** Empty for a note without day lines. */
  readonly label: string;
  readonly date?: string;
  readonly talks: readonly Talk[];
}

export interface Conference {
  readonly uri: string;
  readonly title: string;
  readonly days: readonly TalkDay[];
}

/** One note's outline, or every conference note of the vault when `uri` is absent. */
export const TalksRequest = new RequestType<{ uri?: string }, Conference[], void>('vaultlink/talks');

export interface WireTextEdit {
  readonly range: WireRange;
  readonly newText: string;
}

/** The edits that insert or refresh a note's `[[#Heading|Heading]]` table of contents; none when it is current. */
export const TableOfContentsRequest = new RequestType<{ uri: string }, WireTextEdit[], void>('vaultlink/tableOfContents');
