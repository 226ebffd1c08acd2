// @ts-check
// `npm test`: every check, in the order a failure is cheapest to find. It never
// reports success without having run each suite, the real-editor ones included.
import { spawn } from 'node:child_process';

/** @type {Array<{ name: string, command: string[], counts: boolean }>} */
const steps = [
  { name: 'build', command: ['node', 'scripts/build.mjs'], counts: false },
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'], counts: false },
  { name: 'lint', command: ['npx', 'eslint', '.'], counts: false },
  { name: 'unit', command: ['npx', 'mocha', '--config', 'test/.mocharc.unit.json'], counts: true },
  { name: 'protocol', command: ['npx', 'mocha', '--config', 'test/.mocharc.protocol.json'], counts: true },
  { name: 'neovim', command: ['node', 'test/neovim/run.mjs'], counts: true },
  { name: 'integration', command: ['node', 'scripts/runIntegration.mjs'], counts: true },
  // The packaged .vsix, installed into code-server, under the same suite.
  { name: 'integration-installed', command: ['node', 'scripts/runIntegration.mjs', '--installed'], counts: true },
  { name: 'ui', command: ['node', 'test/ui/run.mjs'], counts: true },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
/** @type {string[]} */
const failures = [];

for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  console.log(`\n=== ${step.name}: ${step.command.join(' ')}`);
  const started = Date.now();
  const { code, output } = await run(step.command);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (step.counts) {
    const counted = countResults(output);
    if (!counted) {
      failures.push(`${step.name}: ran no test (no result line in its output)`);
      failed++;
    } else {
      passed += counted.passed;
      failed += counted.failed;
      if (counted.passed === 0) failures.push(`${step.name}: no test passed`);
    }
  }
  if (code !== 0) {
    failures.push(`${step.name}: exited with ${code} after ${seconds} s`);
    for (const line of failedTests(output)) failures.push(`  ${line}`);
    if (!step.counts) failed++;
  }
  console.log(`=== ${step.name}: ${code === 0 ? 'ok' : 'FAILED'} in ${seconds} s`);
}

if (failures.length) {
  console.log('\nFailures:');
  for (const failure of failures) console.log(`- ${failure}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);

/**
 * Runs a command, streaming its output, and returns its exit code and output.
 * @param {string[]} command
 * @returns {Promise<{ code: number, output: string }>}
 */
function run(command) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', (error) => resolve({ code: 127, output: output + String(error) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/**
 * Reads mocha's "N passing / N failing" or a runner's "name: N passed, N failed".
 * @param {string} output
 */
function countResults(output) {
  const mochaPassing = /^\s*(\d+) passing/m.exec(output);
  if (mochaPassing) {
    const failing = /^\s*(\d+) failing/m.exec(output);
    return { passed: Number(mochaPassing[1]), failed: failing ? Number(failing[1]) : 0 };
  }
  const plain = /^(?:[\w-]+: )?(\d+) passed, (\d+) failed/m.exec(output);
  return plain ? { passed: Number(plain[1]), failed: Number(plain[2]) } : undefined;
}

/**
 * The failed tests' titles and first lines of error, so the summary at the end
 * of a long CI log says what failed without scrolling back: mocha's numbered
 * failure list ("  1) suite" … up to the stack), and the runners' "FAIL name".
 * @param {string} output
 * @returns {string[]}
 */
function failedTests(output) {
  const lines = output.split('\n');
  /** @type {string[]} */
  const digest = [];
  const failingAt = lines.findIndex((line) => /^\s*\d+ failing\s*$/.test(line));
  if (failingAt >= 0) {
    for (const line of lines.slice(failingAt + 1)) {
      if (/^\s+at /.test(line)) continue; // stack frames: the first line of the error says enough
      if (line.trim()) digest.push(line.trim());
      if (digest.length >= 40) break;
    }
  }
  for (const line of lines) if (/^\s*(?:FAIL|not ok)\b/.test(line)) digest.push(line.trim());
  return digest.slice(0, 60);
}
