// The document paste API (`registerDocumentPasteEditProvider`, `DocumentPasteEdit`,
// `DocumentDropOrPasteEditKind`), final since VS Code 1.97 but missing from
// @types/vscode 1.90, the lowest version the extension claims. Declared here with
// the shapes of vscode.d.ts 1.97 and looked up at run time, so on older versions
// paste is simply not offered (drop, in the 1.90 API, still is).
import * as vscode from 'vscode';

/** `vscode.DocumentDropOrPasteEditKind`: a hierarchical kind such as `markdown.link.image`. */
export interface EditKind {
  readonly value: string;
  append(...parts: string[]): EditKind;
}

/** `vscode.DocumentPasteEdit`. */
export interface PasteEdit {
  title: string;
  kind: EditKind;
  insertText: string | vscode.SnippetString;
  additionalEdit?: vscode.WorkspaceEdit;
  yieldTo?: readonly EditKind[];
}

/** `vscode.DocumentPasteEditContext`. */
export interface PasteEditContext {
  readonly only: EditKind | undefined;
  /** 0: an ordinary paste; 1: "Paste As…". */
  readonly triggerKind: number;
}

/** `vscode.DocumentPasteEditProvider`, the part Vaultlink implements. */
export interface PasteEditProvider {
  provideDocumentPasteEdits(document: vscode.TextDocument, ranges: readonly vscode.Range[], dataTransfer: vscode.DataTransfer, context: PasteEditContext, token: vscode.CancellationToken): Promise<PasteEdit[] | undefined>;
}

export interface PasteApi {
  readonly emptyKind: EditKind;
  createEdit(insertText: string, title: string, kind: EditKind): PasteEdit;
  register(selector: vscode.DocumentSelector, provider: PasteEditProvider, metadata: { providedPasteEditKinds: readonly EditKind[]; pasteMimeTypes: readonly string[] }): vscode.Disposable;
}

type PasteNamespace = {
  DocumentPasteEdit?: new (insertText: string, title: string, kind: EditKind) => PasteEdit;
  DocumentDropOrPasteEditKind?: { readonly Empty: EditKind };
  languages: { registerDocumentPasteEditProvider?: PasteApi['register'] };
};

/** The paste API of the running VS Code, or undefined where it is not final (before 1.97). */
export function pasteApi(): PasteApi | undefined {
  const api = vscode as unknown as PasteNamespace;
  const Edit = api.DocumentPasteEdit;
  const Kind = api.DocumentDropOrPasteEditKind;
  const register = api.languages.registerDocumentPasteEditProvider;
  if (typeof Edit !== 'function' || !Kind?.Empty || typeof register !== 'function') return undefined;
  return {
    emptyKind: Kind.Empty,
    createEdit: (insertText, title, kind) => new Edit(insertText, title, kind),
    register: (selector, provider, metadata) => register.call(api.languages, selector, provider, metadata),
  };
}
