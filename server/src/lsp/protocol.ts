import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver';
import type { TextEdit } from 'vscode-languageserver-types';
import type { AttachmentPlacement } from '../features/attachmentTarget';
import type { TalkCalendar as FeatureTalkCalendar } from '../features/talkCalendar';
import type { TalkExport as FeatureTalkExport, TalkExportFormat as FeatureTalkExportFormat } from '../features/talkExport';
import type { SearchHit as FeatureSearchHit, SearchKind as FeatureSearchKind } from '../features/vaultSearch';
import type {
  ParameterlessRequestMethod,
  RequestWithParamsMethod,
  VaultlinkNotifications,
  VaultlinkRequests,
  AttachmentTarget,
  SearchHit,
  SearchKind,
  TalkCalendarResult,
  TalkExportFormat,
  TalkExportResult,
  WireTextEdit,
} from '../protocol/vaultlinkProtocol';

/**
 * Vaultlink's own messages as vscode-languageserver objects. Names and shapes
 * come from server/src/protocol/vaultlinkProtocol.ts, which the client shares.
 */

export type { IndexStatus } from '../protocol/vaultlinkProtocol';

function notification<M extends keyof VaultlinkNotifications>(method: M): NotificationType<VaultlinkNotifications[M]> {
  return new NotificationType(method);
}
function request0<M extends ParameterlessRequestMethod>(method: M): RequestType0<VaultlinkRequests[M]['result'], void> {
  return new RequestType0(method);
}
function request<M extends RequestWithParamsMethod>(method: M): RequestType<VaultlinkRequests[M]['params'], VaultlinkRequests[M]['result'], void> {
  return new RequestType(method);
}

export const IndexStatusNotification = notification('vaultlink/status');
export const NotesChangedOnDiskNotification = notification('vaultlink/notesChangedOnDisk');
export const FilesChangedNotification = notification('vaultlink/filesChanged');
export const ReindexRequest = request0('vaultlink/reindex');
export const TalksRequest = request('vaultlink/talks');
export const TableOfContentsRequest = request('vaultlink/tableOfContents');
export const TalkCalendarRequest = request('vaultlink/talkCalendar');
export const TalkExportRequest = request('vaultlink/talkExport');
export const IndexStatsRequest = request0('vaultlink/indexStats');
export const PreviewLinksRequest = request('vaultlink/previewLinks');
export const FollowLinkRequest = request('vaultlink/followLink');
export const AttachmentTargetRequest = request('vaultlink/attachmentTarget');
export const BacklinksRequest = request('vaultlink/backlinks');
export const UnlinkedMentionsRequest = request('vaultlink/unlinkedMentions');
export const SearchRequest = request('vaultlink/search');

// Compile-time checks that what the features build is what the wire promises,
// for the answers a feature declares in its own terms (the talks, backlinks and
// unlinked mentions features build the wire's types themselves): if one drifts
// from the shared shapes, this file, and so `npm run typecheck`, fails.
// (Instantiating `Assignable` checks its constraint.)
type Assignable<Value extends Wire, Wire> = [Value, Wire];
export type FeatureShapesMatchTheWire = [
  Assignable<FeatureTalkCalendar, TalkCalendarResult>,
  Assignable<FeatureTalkExport, TalkExportResult>,
  Assignable<TalkExportFormat, FeatureTalkExportFormat>,
  Assignable<TextEdit, WireTextEdit>,
  Assignable<AttachmentPlacement, AttachmentTarget>,
  Assignable<FeatureSearchHit, SearchHit>,
  Assignable<SearchKind, FeatureSearchKind>,
];
