/**
 * The `initialize` capabilities real editors send, transcribed as data so the
 * protocol tests talk to the server as those editors do. Values are facts read
 * from each editor's source (named above each object); nothing is merged in.
 *
 * The points that change how Vaultlink behaves:
 *
 * | | Neovim 0.10 (Linux) | Helix 25.07.1 | Helix master (079a789e8) | script |
 * | --- | --- | --- | --- | --- |
 * | `textDocument.diagnostic` (pull) | yes | no: push only | yes | no |
 * | `workspace.diagnostics.refreshSupport` | absent | absent | absent (sent under `workspace.diagnostic`, singular) | absent |
 * | `workspace.didChangeWatchedFiles.dynamicRegistration` | false (true on macOS and Windows) | true | true | absent |
 * | `workspace.configuration` | true | true | true | absent |
 * | `window.workDoneProgress` | true | true | true | absent |
 * | `textDocument.definition.linkSupport` | true | absent: `Location[]` | absent: `Location[]` | absent |
 * | `workspace.workspaceFolders` | true | true | true | absent |
 */

/** One value per entry of LSP's `CodeActionKind` namespace as both editors list them (sorted). */
const CODE_ACTION_KINDS = ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'];
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Neovim 0.10: `vim.lsp.protocol.make_client_capabilities()` in
 * runtime/lua/vim/lsp/protocol.lua (neovim/neovim, the 0.10 line), as it
 * evaluates on Linux: `didChangeWatchedFiles.dynamicRegistration` is
 * `sysname == 'Darwin' or sysname == 'Windows_NT'` there, so false here.
 * Value sets are that file's `get_value_set` of its constants (sorted values).
 * Read from a stored copy without its commit hash (the full repository was too
 * large to fetch); it is the 0.10 version: it has `textDocument.diagnostic`,
 * `rangeFormatting.rangesSupport` and the sysname-gated watchers (all new in
 * 0.10) and not `textDocument.foldingRange` or the generated `CodeActionKind`
 * values (`refactor.move`, `source.fixAll`, `notebook`) that 0.11 sends.
 *
 * How Neovim 0.10 starts a server (runtime/lua/vim/lsp/client.lua, `Client:initialize`):
 * - `rootUri` is the first workspace folder's URI; `workspaceFolders` is
 *   `[{ uri, name }]` built from `root_dir` with `name` = the root's full path
 *   (not its basename); `rootPath` is that path; all three are `null` with no root.
 * - `initializationOptions` is the user's `init_options`, absent unless set.
 * - After `initialized` it sends `workspace/didChangeConfiguration` with
 *   `config.settings` only when that table is not empty.
 * - It answers `workspace/configuration` from `config.settings`, `null` for a
 *   section it lacks; `client/registerCapability` and
 *   `window/workDoneProgress/create` with `null`.
 * - Pull diagnostics (runtime/lua/vim/lsp/diagnostic.lua): the buffer sends
 *   `textDocument/diagnostic` after `didOpen` and after every `didChange`, and
 *   nothing else; there is no `workspace/diagnostic/refresh` handler in 0.10, so
 *   an early empty answer stays on screen until the user types.
 * - `didOpen` carries `version: 0`.
 */
export const NEOVIM_0_10_CAPABILITIES = {
  general: { positionEncodings: ['utf-8', 'utf-16', 'utf-32'] },
  textDocument: {
    diagnostic: { dynamicRegistration: false },
    inlayHint: { dynamicRegistration: true, resolveSupport: { properties: ['textEdits', 'tooltip', 'location', 'command'] } },
    semanticTokens: {
      dynamicRegistration: false,
      tokenTypes: ['namespace', 'type', 'class', 'enum', 'interface', 'struct', 'typeParameter', 'parameter', 'variable', 'property', 'enumMember', 'event', 'function', 'method', 'macro', 'keyword', 'modifier', 'comment', 'string', 'number', 'regexp', 'operator', 'decorator'],
      tokenModifiers: ['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation', 'defaultLibrary'],
      formats: ['relative'],
      requests: { range: false, full: { delta: true } },
      overlappingTokenSupport: true,
      multilineTokenSupport: false,
      serverCancelSupport: false,
      augmentsSyntaxTokens: true,
    },
    synchronization: { dynamicRegistration: false, willSave: true, willSaveWaitUntil: true, didSave: true },
    codeAction: {
      dynamicRegistration: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: CODE_ACTION_KINDS } },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
    codeLens: { dynamicRegistration: false, resolveSupport: { properties: ['command'] } },
    formatting: { dynamicRegistration: true },
    rangeFormatting: { dynamicRegistration: true, rangesSupport: true },
    completion: {
      dynamicRegistration: false,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: false,
        preselectSupport: false,
        deprecatedSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        resolveSupport: { properties: ['additionalTextEdits'] },
        tagSupport: { valueSet: [1] },
      },
      completionItemKind: { valueSet: range(1, 25) },
      completionList: { itemDefaults: ['editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
      contextSupport: false,
    },
    declaration: { linkSupport: true },
    definition: { linkSupport: true, dynamicRegistration: true },
    implementation: { linkSupport: true },
    typeDefinition: { linkSupport: true },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    signatureHelp: {
      dynamicRegistration: false,
      signatureInformation: { activeParameterSupport: true, documentationFormat: ['markdown', 'plaintext'], parameterInformation: { labelOffsetSupport: true } },
    },
    references: { dynamicRegistration: false },
    documentHighlight: { dynamicRegistration: false },
    documentSymbol: { dynamicRegistration: false, symbolKind: { valueSet: range(1, 26) }, hierarchicalDocumentSymbolSupport: true },
    rename: { dynamicRegistration: true, prepareSupport: true },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] }, dataSupport: true },
    callHierarchy: { dynamicRegistration: false },
  },
  workspace: {
    symbol: { dynamicRegistration: false, symbolKind: { valueSet: range(1, 26) } },
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] },
    semanticTokens: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: false, relativePatternSupport: true },
    inlayHint: { refreshSupport: true },
  },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
};

/**
 * Helix 25.07.1 (tag 25.07.1, a05c151bb6e8e9c65ec390b0ae2afe7a5efd619b):
 * `Client::initialize` in helix-lsp/src/client.rs, as its lsp-types serialize it
 * (camelCase, `None` left out); `snippetSupport` is the editor's `lsp.snippets`,
 * true by default. No `textDocument.diagnostic`: this release only takes pushed
 * diagnostics. No `textDocument.definition` at all, so no `linkSupport`.
 *
 * How Helix starts a server (same file, and helix-term/src/application.rs):
 * - `rootUri` is the detected workspace root; `workspaceFolders` is
 *   `[{ uri, name }]` with `name` = the root's last path segment; `rootPath` too.
 * - `initializationOptions` is the language's `config` from languages.toml,
 *   absent when there is none; after `initialized` the same `config` is sent
 *   as `workspace/didChangeConfiguration` `settings` when set.
 * - `workspace/configuration` is answered from that same `config` (each item's
 *   `section` looked up by dots; `null` when missing); `client/registerCapability`
 *   with `null` (watchers kept, other registrations ignored);
 *   `window/workDoneProgress/create` with `null`.
 */
export const HELIX_25_07_CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    workspaceFolders: true,
    applyEdit: true,
    symbol: { dynamicRegistration: false },
    executeCommand: { dynamicRegistration: false },
    inlayHint: { refreshSupport: false },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'], failureHandling: 'abort', normalizesLineEndings: false },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: false },
    fileOperations: { willRename: true, didRename: true },
  },
  textDocument: {
    completion: {
      completionItem: {
        snippetSupport: true,
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
        insertReplaceSupport: true,
        deprecatedSupport: true,
        tagSupport: { valueSet: [1] },
      },
      completionItemKind: {},
    },
    hover: { contentFormat: ['markdown'] },
    signatureHelp: { signatureInformation: { documentationFormat: ['markdown'], parameterInformation: { labelOffsetSupport: true }, activeParameterSupport: true } },
    rename: { dynamicRegistration: false, prepareSupport: true, honorsChangeAnnotations: false },
    formatting: { dynamicRegistration: false },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: CODE_ACTION_KINDS } },
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit', 'command'] },
    },
    publishDiagnostics: { versionSupport: true, tagSupport: { valueSet: [1, 2] } },
    inlayHint: { dynamicRegistration: false },
  },
  window: { workDoneProgress: true },
  general: { positionEncodings: ['utf-8', 'utf-32', 'utf-16'] },
};

/**
 * Helix master at 079a789e8cb08ead67f19e1971a1b7438b37354b (helix-lsp/src/client.rs,
 * after "Support textDocument/diagnostic specification (Pull diagnostics)",
 * a5d0a0e1c): what 25.07.1 sends plus pull diagnostics. It pulls at `didOpen`,
 * when the server is initialized, and after edits (helix-term/src/handlers/diagnostics.rs),
 * and handles `workspace/diagnostic/refresh`; but its lsp-types field for the
 * refresh capability serializes as `workspace.diagnostic` (singular), so a server
 * reading the spec's `workspace.diagnostics.refreshSupport` sees no refresh support.
 */
export const HELIX_MASTER_CAPABILITIES = {
  ...HELIX_25_07_CAPABILITIES,
  workspace: {
    ...HELIX_25_07_CAPABILITIES.workspace,
    symbol: { dynamicRegistration: false, symbolKind: { valueSet: range(1, 26) } },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    fileOperations: { willCreate: true, didCreate: true, willRename: true, didRename: true, willDelete: true, didDelete: true },
    diagnostic: { refreshSupport: true },
  },
  textDocument: {
    ...HELIX_25_07_CAPABILITIES.textDocument,
    codeAction: {
      ...HELIX_25_07_CAPABILITIES.textDocument.codeAction,
      codeActionLiteralSupport: { codeActionKind: { valueSet: [...CODE_ACTION_KINDS, 'source.fixAll'] } },
    },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: true },
    documentLink: { dynamicRegistration: false, tooltipSupport: false },
    callHierarchy: { dynamicRegistration: false },
    documentSymbol: { dynamicRegistration: false, symbolKind: { valueSet: range(1, 26) }, hierarchicalDocumentSymbolSupport: false },
  },
  window: { showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, workDoneProgress: true, showDocument: { support: true } },
};

/** A script that speaks just enough LSP: no capabilities at all, push diagnostics. */
export const SCRIPT_CAPABILITIES = {};

/**
 * Whether the server offers this client pull diagnostics, as it decides: only
 * a client that pulls and can be asked to pull again (`refreshSupport`). One
 * that cannot (Neovim 0.10, Helix master under its misspelt key) would never
 * see a change on disk or in another note: it gets them pushed.
 */
export function pullsDiagnostics(capabilities: { textDocument?: { diagnostic?: unknown }; workspace?: { diagnostics?: { refreshSupport?: boolean } } }): boolean {
  return !!capabilities.textDocument?.diagnostic && !!capabilities.workspace?.diagnostics?.refreshSupport;
}
