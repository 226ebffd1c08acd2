import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATOR_VERSION, planVault, writeVault, type VaultFlavor, type VaultPlan, type VaultSummary } from './vaultGenerator';

/** Generated vaults live here, outside git (see .gitignore); they are rebuilt only when the generator changes. */
export const VAULTS_DIR = path.resolve(__dirname, '.vaults');

export interface GeneratedVault {
  readonly directory: string;
  readonly summary: VaultSummary;
  /** Seconds spent writing it in this run; 0 when an earlier run's copy was reused. */
  readonly generatedSeconds: number;
}

interface Manifest {
  readonly version: number;
  readonly size: number;
  readonly seed: number;
  readonly summary: VaultSummary;
}

/** The vault of `plan` in `flavor`, written now or reused from an earlier run with the same generator. */
export function ensureVault(plan: VaultPlan, flavor: VaultFlavor): GeneratedVault {
  const name = `${flavor}-${plan.size}-seed${plan.seed}`;
  const directory = path.join(VAULTS_DIR, name);
  // The manifest sits next to the vault, not in it: the vault holds only notes and attachments.
  const manifestPath = path.join(VAULTS_DIR, `${name}.json`);
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.version === GENERATOR_VERSION && fs.existsSync(directory)) return { directory, summary: manifest.summary, generatedSeconds: 0 };
  } catch {
    // No manifest or an unreadable one: write the vault again.
  }
  const started = performance.now();
  fs.rmSync(manifestPath, { force: true });
  const summary = writeVault(plan, directory, flavor);
  const manifest: Manifest = { version: GENERATOR_VERSION, size: plan.size, seed: plan.seed, summary };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { directory, summary, generatedSeconds: (performance.now() - started) / 1000 };
}

export { planVault };
