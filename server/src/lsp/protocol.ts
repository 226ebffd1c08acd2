import { NotificationType, RequestType0 } from 'vscode-languageserver';

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

/** Client → server: forget everything and index the workspace again. */
export const ReindexRequest = new RequestType0<IndexStatus, void>('vaultlink/reindex');
