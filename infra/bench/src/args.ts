/** The bench's command line, checked: unknown flags and unknown benchmark names are refused. */
export const BENCHES = ['sdk', 'collector', 'kafka', 'loader', 'queries', 'freshness'] as const;
export type BenchName = (typeof BENCHES)[number];

export interface BenchArgs {
  /** A short run (< 10 min on 2 cores): fewer events, shorter durations. */
  quick: boolean;
  only: readonly BenchName[];
  /** Repetitions per measurement; the report shows medians. */
  runs: number;
  /** Rewrite the tables between the bench markers (bench README: full; root README: summary). */
  updateReadme: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only ${BENCHES.join(',')}] [--runs N] [--no-readme]
  --quick       short run (fewer events, shorter durations; < 10 minutes)
  --only LIST   comma-separated subset of: ${BENCHES.join(', ')}
  --runs N      repetitions per measurement, 3..15 (default 3); medians are reported
  --no-readme   do not rewrite the README tables (infra/bench/README.md, README.md)`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: BENCHES, runs: 3, updateReadme: true };
  const rest = [...argv];
  while (rest.length > 0) {
    const flag = rest.shift() ?? '';
    const [name, inline] = flag.split('=', 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? rest.shift();
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '--quick') args.quick = true;
    else if (name === '--no-readme') args.updateReadme = false;
    else if (name === '--only') {
      const names = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = names.filter((n) => !(BENCHES as readonly string[]).includes(n));
      if (unknown.length > 0 || names.length === 0) {
        throw new UsageError(`--only: unknown benchmark ${unknown.join(', ') || '(none given)'}`);
      }
      args.only = BENCHES.filter((b) => names.includes(b));
    } else if (name === '--runs') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 3 || n > 15) throw new UsageError('--runs: an integer 3..15');
      args.runs = n;
    } else throw new UsageError(`unknown argument ${flag}`);
  }
  return args;
}
