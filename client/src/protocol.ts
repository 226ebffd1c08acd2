// Vaultlink's own LSP messages as vscode-languageclient objects. Method names and
// wire shapes come from the module the server shares; it is imported with
// `import type` only (lint), so nothing of the server reaches the bundle.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageclient/node';
import type {
  ParameterlessRequestMethod,
  RequestWithParamsMethod,
  VaultlinkNotifications,
  VaultlinkRequests,
} from '../../server/src/protocol/vaultlinkProtocol';

export type {
  AttachmentSource,
  AttachmentTarget,
  Backlinks,
  Conference,
  FollowLinkResult,
  LinkedMention,
  MentioningNote,
  MentionPreview,
  NotesChangedOnDiskParams,
  TalkExportFormat,
  FilesChangedParams,
  OutgoingLink,
  UnlinkedMention,
  UnlinkedMentions,
  IndexStatus,
  PreviewLink,
  PreviewLinks,
  SearchHit,
  SearchKind,
  Talk,
  TalkDay,
  TalkLink,
  TalkLinkKind,
  WireRange,
  WireTextEdit,
} from '../../server/src/protocol/vaultlinkProtocol';

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
/** Notes created, changed or deleted on disk (not edits in the editor): views built from them refresh those notes. */
export const NotesChangedOnDiskNotification = notification('vaultlink/notesChangedOnDisk');
/** Files whose creation, change or deletion the server has taken in: ask again what depends on them. */
export const FilesChangedNotification = notification('vaultlink/filesChanged');
export const ReindexRequest = request0('vaultlink/reindex');
/** One note's outline, or every conference note of the vault when `uri` is absent. */
export const TalksRequest = request('vaultlink/talks');
/** The edits that insert or refresh a note's `[[#Heading|Heading]]` table of contents; none when it is current. */
export const TableOfContentsRequest = request('vaultlink/tableOfContents');
/** What each wiki link and embed of a note leads to, for the markdown preview. */
export const PreviewLinksRequest = request('vaultlink/previewLinks');
/** The note the link at a position leads to, with the edit that creates it when it is missing. */
export const FollowLinkRequest = request('vaultlink/followLink');
/** Where pasted or dropped files go (the attachments folder of `.obsidian/app.json`) and the links to insert for them. */
export const AttachmentTargetRequest = request('vaultlink/attachmentTarget');
/** The notes linking to a note, with each link's line, and the note's links out. */
export const BacklinksRequest = request('vaultlink/backlinks');
/** Where other notes write a note's name or aliases as plain text, each with its "Link it" edit. */
export const UnlinkedMentionsRequest = request('vaultlink/unlinkedMentions');
/** Quick open: notes, headings, talks or link targets matching what the user typed, best first. */
export const SearchRequest = request('vaultlink/search');
/** Outlines as an iCalendar file, written by the server. */
export const TalkCalendarRequest = request('vaultlink/talkCalendar');
/** The outlines as a markdown table, CSV or JSON, formatted by the server as the CLI's `outline` writes them. */
export const TalkExportRequest = request('vaultlink/talkExport');
