import { setBackgroundTurnScheduler } from '../core/cancellation';
import { packageVersion } from '../node/vaultFiles';
import { parseCommandLine, USAGE, UsageError } from './args';
import { runCheck } from './check';
import { runOutline } from './outline';
import type { CliIo } from './vaults';

/**
 * `vaultlink`: the command line (see USAGE in args.ts). Exit codes as CI tools
 * have them (ESLint, markdownlint-cli2, lychee): 0 clean, 1 problems, 2 bad
 * usage (with a one-line reason on stderr) or a check that could not run.
 */
async function main(args: string[]): Promise<number> {
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
  try {
    const command = parseCommandLine(args);
    switch (command.kind) {
      case 'help':
        io.out(USAGE + '\n');
        return 0;
      case 'version':
        io.out(packageVersion() + '\n');
        return 0;
      case 'check':
        return await runCheck(command, io, packageVersion());
      case 'outline':
        return await runOutline(command, io);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`vaultlink: ${error.message}\n`);
    return 2;
  }
}

// The bulk index's turns with setImmediate: a timer would add a millisecond between every two.
setBackgroundTurnScheduler((run) => setImmediate(run));

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (error: unknown) => {
    process.stderr.write(`vaultlink: ${error instanceof Error ? error.message : String(error)}\n`);
    exitWhenFlushed(2);
  },
);

/**
 * Exits with `code` once stdout and stderr have taken everything written to
 * them. `process.exit` right after the writes cut a pipe (what CI reads) at
 * 64 KiB, the pipe's buffer: the rest was still queued. An empty write's
 * callback runs after the writes before it; exiting there, not when the event
 * loop empties, means nothing left running can keep the check from ending.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let open = 2;
  for (const stream of [process.stdout, process.stderr]) {
    // A reader that stops early (`| head`) is no failure of the check: its exit code stands.
    stream.on('error', () => undefined);
    stream.write('', () => --open === 0 && process.exit(code));
  }
}
