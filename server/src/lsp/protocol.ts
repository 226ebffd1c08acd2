import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver';
import type { TextEdit } from 'vscode-languageserver-types';
import type { Conference } from '../features/talks';

/** Vaultlink's own messages, namespaced `vaultlink/…`; documented in the README. */

export interface IndexStatus {
  readonly state: 'indexing' | 'ready';
  readonly notes: number;
  readonly attachments: number;
  /** How long the last full index took. */
  readonly milliseconds?: number;
}

/** Server → client, whenever indexing starts or ends or the note count changes. */
export const IndexStatusNotification = new NotificationType<IndexStatus>('vaultlink/status');

/**
 * Server → client: notes created, changed or deleted on disk (not edits in the
 * editor, which the client sees itself), so views built from them (the Talks
 * tree) refresh those notes.
 */
export const NotesChangedOnDiskNotification = new NotificationType<{ uris: string[] }>('vaultlink/notesChangedOnDisk');

/** Client → server: forget everything and index the workspace again. */
export const ReindexRequest = new RequestType0<IndexStatus, void>('vaultlink/reindex');

/** Client → server: the talk outline of one note, or of every conference note when `uri` is absent. */
export const TalksRequest = new RequestType<{ uri?: string }, Conference[], void>('vaultlink/talks');

/** Client → server: the edits that insert or refresh a note's `[[#Heading|Heading]]` table of contents. */
export const TableOfContentsRequest = new RequestType<{ uri: string }, TextEdit[], void>('vaultlink/tableOfContents');
