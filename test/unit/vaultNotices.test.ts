import * as assert from 'node:assert/strict';
import { parseVaultConfig, defaultVaultConfig } from '../../server/src/core/vaultConfig';
import { VaultIndex } from '../../server/src/core/vaultIndex';
import { LARGE_VAULT_NOTES, provideVaultNotices } from '../../server/src/features/vaultNotices';
import { openVault } from '../kit/vault';

/**
 * What a person is told about a vault set up oddly (issue 16, first run): a
 * broken .obsidian/app.json is named, with why, instead of being silently
 * replaced by defaults; a folder larger than Vaultlink is measured for says so.
 */
describe('vault notices', () => {
  it('names a .obsidian/app.json that is not valid JSON, and keeps Obsidian\'s defaults', async () => {
    const vault = await openVault({ 'a.md': '[[b]]\n', 'b.md': '# B\n', '.obsidian/app.json': '{ "newLinkFormat": "relative", }' });
    const notices = vault.service.notices;
    assert.equal(notices.length, 1, JSON.stringify(notices));
    assert.equal(notices[0].kind, 'appJson');
    assert.equal(notices[0].uri, vault.uri('.obsidian/app.json'));
    assert.match(notices[0].message, /^\.obsidian\/app\.json: not valid JSON \(.+\): Obsidian's defaults are used until it is fixed\.$/);
    // The vault still works: the link resolves, with the default link format.
    assert.equal(vault.service.vaults[0].config.newLinkFormat, 'shortest');
    assert.equal(vault.service.stats.notes, 2);
  });

  it('names an app.json that holds something other than an object', () => {
    for (const text of ['[]', '42', 'null', '"shortest"']) {
      const config = parseVaultConfig(text);
      assert.equal(config.newLinkFormat, defaultVaultConfig.newLinkFormat);
      assert.match(config.warnings?.[0] ?? '', /^not a JSON object of settings \(it holds .+\): Obsidian's defaults are used\.$/, text);
    }
  });

  it('says nothing about a vault without app.json, an empty one, or a valid one', async () => {
    for (const files of [{} as Record<string, string>, { '.obsidian/app.json': '' }, { '.obsidian/app.json': '{}' }, { '.obsidian/app.json': '{"useMarkdownLinks":true}' }]) {
      const vault = await openVault({ 'a.md': '# A\n', ...files });
      assert.deepEqual(vault.service.notices, [], JSON.stringify(files));
    }
  });

  it('passes on app.json settings pointing outside the vault', async () => {
    const vault = await openVault({ 'a.md': '# A\n', '.obsidian/app.json': '{"newFileLocation":"folder","newFileFolderPath":"../../elsewhere"}' });
    assert.equal(vault.service.notices.length, 1);
    assert.match(vault.service.notices[0].message, /newFileFolderPath "\.\.\/\.\.\/elsewhere" is outside the vault/);
  });

  it('says a vault is larger than Vaultlink is measured for only past that size', () => {
    // Counted, not built: a vault of 50,001 notes is the benchmark's business.
    const vault = new VaultIndex('file:///vault');
    const sized = (noteCount: number) => provideVaultNotices([{ noteCount, config: vault.config, rootUri: vault.rootUri, uriOf: (path: string) => vault.uriOf(path) }]);
    assert.deepEqual(sized(LARGE_VAULT_NOTES), []);
    const [notice] = sized(LARGE_VAULT_NOTES + 1);
    assert.equal(notice.kind, 'tooLarge');
    assert.equal(notice.uri, 'file:///vault');
    assert.match(notice.message, /holds 50,001 notes, more than the 50,000 .*vaultlink\.exclude/);
  });
});
