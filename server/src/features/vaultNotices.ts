import type { VaultNotice } from '../protocol/vaultlinkProtocol';
import type { VaultIndex } from '../core/vaultIndex';

/** The most notes Vaultlink is built and measured for (bench/RESULTS.md); a folder beyond it is likely more than one vault. */
export const LARGE_VAULT_NOTES = 50_000;

/**
 * What a person should know about how their vaults are set up, once indexed:
 * an `.obsidian/app.json` that could not be read as Obsidian would (a broken
 * file, a folder outside the vault), and a vault larger than Vaultlink is
 * measured for. The editor shows each once; the log has them too.
 */
export function provideVaultNotices(vaults: ReadonlyArray<Pick<VaultIndex, 'config' | 'noteCount' | 'rootUri' | 'uriOf'>>): VaultNotice[] {
  const notices: VaultNotice[] = [];
  for (const vault of vaults) {
    for (const warning of vault.config.warnings ?? []) {
      notices.push({ kind: 'appJson', uri: vault.uriOf('.obsidian/app.json'), message: `.obsidian/app.json: ${warning}` });
    }
    if (vault.noteCount > LARGE_VAULT_NOTES) {
      notices.push({
        kind: 'tooLarge',
        uri: vault.rootUri,
        message: `This folder holds ${vault.noteCount.toLocaleString('en-US')} notes, more than the ${LARGE_VAULT_NOTES.toLocaleString('en-US')} Vaultlink is measured for: indexing and vault-wide problems may be slow. If it holds several vaults, open one vault's folder (the one with .obsidian/), or leave folders out with vaultlink.exclude.`,
      });
    }
  }
  return notices;
}
