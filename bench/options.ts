/**
 * Benchmark settings: CLI flags (`npm run bench -- --count 500`) over `BENCH_*` environment
 * variables over defaults. The defaults keep the whole bench under three minutes on two cores.
 */
import { parseArgs } from 'node:util';

export type PhaseName = 'throughput' | 'steps';

export interface BenchOptions {
  /** Workflows started per mode (API and raw SDK) in the measured part of phase 1. */
  count: number;
  /** Starts in flight at once, the same for both modes. */
  concurrency: number;
  /** Unmeasured starts per mode before measuring. */
  warmup: number;
  /** Phase 1 alternates API and raw SDK in this many rounds, so drift hits both alike. */
  rounds: number;
  /** Measured social post runs in phase 2 (after one unmeasured warm-up run). */
  runs: number;
  phases: PhaseName[];
  /** Where the JSON results go. */
  resultsDir: string;
}

const NUMBERS = {
  count: { env: 'BENCH_COUNT', default: 300, min: 1 },
  concurrency: { env: 'BENCH_CONCURRENCY', default: 8, min: 1 },
  warmup: { env: 'BENCH_WARMUP', default: 30, min: 0 },
  rounds: { env: 'BENCH_ROUNDS', default: 6, min: 1 },
  runs: { env: 'BENCH_RUNS', default: 5, min: 1 },
} as const;

const PHASES: PhaseName[] = ['throughput', 'steps'];

export const USAGE = `Usage: npm run bench -- [options]

  --count N         workflows started per mode in phase 1      (BENCH_COUNT, default ${NUMBERS.count.default})
  --concurrency N   starts in flight at once, both modes       (BENCH_CONCURRENCY, default ${NUMBERS.concurrency.default})
  --warmup N        unmeasured starts per mode first           (BENCH_WARMUP, default ${NUMBERS.warmup.default})
  --rounds N        alternating API / raw rounds in phase 1    (BENCH_ROUNDS, default ${NUMBERS.rounds.default})
  --runs N          measured social posts in phase 2           (BENCH_RUNS, default ${NUMBERS.runs.default})
  --only PHASES     comma-separated: throughput,steps          (BENCH_ONLY, default both)
  --results DIR     where the JSON goes                        (BENCH_RESULTS_DIR, default bench/results)
  --help`;

export class UsageError extends Error {}

function integer(name: keyof typeof NUMBERS, flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const spec = NUMBERS[name];
  const raw = flag ?? env[spec.env];
  if (raw === undefined || raw === '') return spec.default;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < spec.min) {
    throw new UsageError(`--${name} (${spec.env}) must be an integer >= ${spec.min}, got "${raw}"`);
  }
  return value;
}

/** Returns the options, or undefined when --help was asked for. */
export function parseOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
  defaultResultsDir: string,
): BenchOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        count: { type: 'string' },
        concurrency: { type: 'string' },
        warmup: { type: 'string' },
        rounds: { type: 'string' },
        runs: { type: 'string' },
        only: { type: 'string' },
        results: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) return undefined;

  const only = values.only ?? env.BENCH_ONLY;
  const phases = only ? only.split(',').map((p) => p.trim()) : PHASES;
  for (const phase of phases) {
    if (!PHASES.includes(phase as PhaseName)) throw new UsageError(`--only takes ${PHASES.join(', ')}; got "${phase}"`);
  }

  const options: BenchOptions = {
    count: integer('count', values.count, env),
    concurrency: integer('concurrency', values.concurrency, env),
    warmup: integer('warmup', values.warmup, env),
    rounds: integer('rounds', values.rounds, env),
    runs: integer('runs', values.runs, env),
    phases: phases as PhaseName[],
    resultsDir: values.results ?? env.BENCH_RESULTS_DIR ?? defaultResultsDir,
  };
  if (options.rounds > options.count)
    throw new UsageError(`--rounds (${options.rounds}) cannot exceed --count (${options.count})`);
  return options;
}
