/**
 * The server core's public surface: the CLI, the benchmarks, the tests and the
 * LSP layer all start here. Nothing reachable from this file imports `vscode`,
 * `vscode-languageserver` (the connection) or `node:fs`.
 */
import { VaultService, type VaultServiceOptions } from './vaultService';

export function createVaultService(options: VaultServiceOptions): VaultService {
  return new VaultService(options);
}

export { VaultService, defaultVaultSettings, type IndexStats, type VaultSettings, type VaultServiceOptions } from './vaultService';
export { FileKind, type IFileSystem, type ILogger, type ICancellationToken } from './core/workspace';
export { parseNote } from './core/parser';
export { VaultIndex, type IndexedNote, type VaultFile } from './core/vaultIndex';
export { resolveLink, resolvePath } from './core/linkResolver';
export { DiagnosticCode, defaultDiagnosticOptions, type DiagnosticLevel, type DiagnosticOptions } from './features/diagnostics';
