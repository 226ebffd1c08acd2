/** `npm run bench -- [options]`; see `--help`. */
export interface BenchArgs {
  readonly sizes: readonly number[];
  readonly seed: number;
  /** Requests per latency figure (completion, definition); fewer for references and edits. */
  readonly requests: number;
  /** Cold and warm starts per size; the median is reported. */
  readonly startups: number;
  /** Sizes to also run the vscode-markdown-languageservice comparison at. */
  readonly compareSizes: readonly number[];
  /** Run the server under `--cpu-prof`, profiles in bench/results/profiles. */
  readonly profile: boolean;
  /** Where the JSON goes; default bench/results/<date>-<sizes>.json. */
  readonly out: string | undefined;
  /** The server bundle to measure, to compare builds; default this checkout's dist/server/main.js. */
  readonly server: string | undefined;
  readonly help: boolean;
}

export const USAGE = `npm run bench -- [options]

  --sizes 1000,10000     vault sizes in notes (default 1000,10000; 50000 on request)
  --seed 1               generator seed (same seed, same vault)
  --requests 200         requests per latency figure
  --startups 3           cold and warm starts per size (median reported)
  --compare 1000,10000   sizes to run vscode-markdown-languageservice at too:
                         a list, "all" or "none" (default: the sizes up to 10000)
  --profile              run the server with --cpu-prof (bench/results/profiles)
  --out FILE             write the JSON here (default bench/results/<date>-<sizes>.json)
  --server FILE          measure another build's dist/server/main.js (before and after)
`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    if (index >= 0) return argv[index + 1];
    return argv.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  const numbers = (text: string) =>
    text
      .split(',')
      .map((part) => Number(part.trim().replace(/k$/i, '000')))
      .filter((n) => Number.isInteger(n) && n > 0);
  const sizes = numbers(value('--sizes') ?? '1000,10000');
  if (sizes.length === 0) throw new Error(`--sizes needs a list of note counts, like 1000,10000\n\n${USAGE}`);
  const compare = value('--compare');
  const compareSizes = compare === 'all' ? sizes : compare === 'none' ? [] : compare ? numbers(compare) : sizes.filter((size) => size <= 10000);
  return {
    sizes,
    seed: Number(value('--seed') ?? 1),
    requests: Number(value('--requests') ?? 200),
    startups: Number(value('--startups') ?? 3),
    compareSizes,
    profile: argv.includes('--profile'),
    out: value('--out'),
    server: value('--server'),
    help: argv.includes('--help') || argv.includes('-h'),
  };
}
