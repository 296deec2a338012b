/**
 * Benchmark settings: CLI flags (`npm run bench -- --count 500`) over `BENCH_*` environment
 * variables over defaults. The defaults keep each phase within a few minutes on two cores.
 */
import { parseArgs } from 'node:util';
import { MAX_BATCH_CONCURRENCY, MAX_SELECTED_IDS } from '../lib/leads/batch';
import { MAX_EVENT_BATCH } from '../lib/abtest/experiment';

export type PhaseName =
  | 'throughput'
  | 'steps'
  | 'brand-report'
  | 'video'
  | 'leads'
  | 'reads'
  | 'abtest'
  | 'intake'
  | 'video-length'
  | 'calendar';

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
  /** Measured sequential brand reports in phase 3, part 1 (after `reportWarmup` unmeasured ones). */
  reportRuns: number;
  reportWarmup: number;
  /** Brand reports per mode (1 in flight, `reportParallel` in flight) in phase 3, part 2. */
  reportCount: number;
  reportParallel: number;
  /** Phase 3, part 2 alternates the two modes in this many rounds. */
  reportRounds: number;
  /** BROWSER_POOL_SIZE of phase 3's browser worker (the product's default is 2). */
  browserPool: number;
  /** Measured videos per length in phase 4 (after `videoWarmup` unmeasured ones of the shortest length). */
  videoRuns: number;
  videoWarmup: number;
  /** Target lengths of phase 4's videos, in seconds. */
  videoLengths: number[];
  /** Leads in each batch of phase 5. */
  leadCount: number;
  /** Children in flight in phase 5's parallel mode (the batch's `concurrency`; the baseline is 1). */
  leadParallel: number;
  /** Batches per mode in phase 5, alternating which mode goes first. */
  leadRounds: number;
  /** Concurrent readers of one run in phase 6, and the reads each sends. */
  readers: number;
  reads: number;
  /** Time between two reads of one paced reader in phase 6. */
  readIntervalMs: number;
  /** Phase 6, part 2: live streams opened over `streamRuns` running runs, and the CPU sampling window. */
  streams: number;
  streamRuns: number;
  streamWindowMs: number;
  /** Assignments (each to a new unit) per mode in phase 7, and event batches of `abBatchSize` per mode. */
  abAssignments: number;
  abEventBatches: number;
  abBatchSize: number;
  /** Phase 8: signed deliveries per round (and bare starts per round), senders, alternating rounds, warm-up. */
  intakeCount: number;
  intakeSenders: number;
  intakeRounds: number;
  intakeWarmup: number;
  /** Phase 10: calendar entries due in one minute, spread over this many brands. */
  calendarEntries: number;
  calendarBrands: number;
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
  'report-runs': { env: 'BENCH_REPORT_RUNS', default: 5, min: 1 },
  'report-warmup': { env: 'BENCH_REPORT_WARMUP', default: 1, min: 0 },
  'report-count': { env: 'BENCH_REPORT_COUNT', default: 8, min: 1 },
  'report-parallel': { env: 'BENCH_REPORT_PARALLEL', default: 4, min: 2 },
  'report-rounds': { env: 'BENCH_REPORT_ROUNDS', default: 2, min: 1 },
  'browser-pool': { env: 'BENCH_BROWSER_POOL', default: 2, min: 1 },
  'video-runs': { env: 'BENCH_VIDEO_RUNS', default: 2, min: 1 },
  'video-warmup': { env: 'BENCH_VIDEO_WARMUP', default: 1, min: 0 },
  'lead-count': { env: 'BENCH_LEAD_COUNT', default: 40, min: 1 },
  'lead-parallel': { env: 'BENCH_LEAD_PARALLEL', default: 8, min: 2 },
  'lead-rounds': { env: 'BENCH_LEAD_ROUNDS', default: 2, min: 1 },
  readers: { env: 'BENCH_READERS', default: 100, min: 1 },
  reads: { env: 'BENCH_READS', default: 20, min: 1 },
  'read-interval-ms': { env: 'BENCH_READ_INTERVAL_MS', default: 1000, min: 1 },
  streams: { env: 'BENCH_STREAMS', default: 200, min: 1 },
  'stream-runs': { env: 'BENCH_STREAM_RUNS', default: 10, min: 1 },
  'stream-window-ms': { env: 'BENCH_STREAM_WINDOW_MS', default: 20000, min: 1000 },
  'ab-assignments': { env: 'BENCH_AB_ASSIGNMENTS', default: 2000, min: 2 },
  'ab-event-batches': { env: 'BENCH_AB_EVENT_BATCHES', default: 40, min: 2 },
  'ab-batch-size': { env: 'BENCH_AB_BATCH_SIZE', default: 100, min: 1 },
  'intake-count': { env: 'BENCH_INTAKE_COUNT', default: 800, min: 1 },
  'intake-senders': { env: 'BENCH_INTAKE_SENDERS', default: 16, min: 1 },
  'intake-rounds': { env: 'BENCH_INTAKE_ROUNDS', default: 3, min: 1 },
  'intake-warmup': { env: 'BENCH_INTAKE_WARMUP', default: 200, min: 0 },
  'calendar-entries': { env: 'BENCH_CALENDAR_ENTRIES', default: 200, min: 1 },
  'calendar-brands': { env: 'BENCH_CALENDAR_BRANDS', default: 20, min: 1 },
} as const;

const DEFAULT_VIDEO_LENGTHS = [30, 120];

const PHASES: PhaseName[] = [
  'throughput',
  'steps',
  'brand-report',
  'video',
  'leads',
  'reads',
  'abtest',
  'intake',
  'video-length',
  'calendar',
];

export const USAGE = `Usage: npm run bench -- [options]

  --count N              workflows started per mode in phase 1        (BENCH_COUNT, default ${NUMBERS.count.default})
  --concurrency N        starts in flight at once, both modes         (BENCH_CONCURRENCY, default ${NUMBERS.concurrency.default})
  --warmup N             unmeasured starts per mode first             (BENCH_WARMUP, default ${NUMBERS.warmup.default})
  --rounds N             alternating API / raw rounds in phase 1      (BENCH_ROUNDS, default ${NUMBERS.rounds.default})
  --runs N               measured social posts in phase 2             (BENCH_RUNS, default ${NUMBERS.runs.default})
  --report-runs N        measured sequential brand reports, phase 3   (BENCH_REPORT_RUNS, default ${NUMBERS['report-runs'].default})
  --report-warmup N      unmeasured brand reports before them         (BENCH_REPORT_WARMUP, default ${NUMBERS['report-warmup'].default})
  --report-count N       brand reports per mode for reports/min       (BENCH_REPORT_COUNT, default ${NUMBERS['report-count'].default})
  --report-parallel N    reports in flight in the parallel mode       (BENCH_REPORT_PARALLEL, default ${NUMBERS['report-parallel'].default})
  --report-rounds N      alternating 1 / N-in-flight rounds, phase 3  (BENCH_REPORT_ROUNDS, default ${NUMBERS['report-rounds'].default})
  --browser-pool N       BROWSER_POOL_SIZE of phase 3's worker        (BENCH_BROWSER_POOL, default ${NUMBERS['browser-pool'].default})
  --video-runs N         measured videos per length, phase 4          (BENCH_VIDEO_RUNS, default ${NUMBERS['video-runs'].default})
  --video-warmup N       unmeasured shortest videos first, phase 4    (BENCH_VIDEO_WARMUP, default ${NUMBERS['video-warmup'].default})
  --video-lengths S,S    target lengths in seconds, 15 to 180         (BENCH_VIDEO_LENGTHS, default ${DEFAULT_VIDEO_LENGTHS.join(',')})
  --lead-count N         leads in each batch, phase 5                 (BENCH_LEAD_COUNT, default ${NUMBERS['lead-count'].default})
  --lead-parallel N      children in flight in the parallel batches   (BENCH_LEAD_PARALLEL, default ${NUMBERS['lead-parallel'].default}, at most ${MAX_BATCH_CONCURRENCY})
  --lead-rounds N        batches per mode (1 / N in flight), phase 5  (BENCH_LEAD_ROUNDS, default ${NUMBERS['lead-rounds'].default})
  --readers N            concurrent readers of one run, phase 6       (BENCH_READERS, default ${NUMBERS.readers.default})
  --reads N              reads each reader sends per mode, phase 6    (BENCH_READS, default ${NUMBERS.reads.default})
  --read-interval-ms N   between two reads of a paced reader          (BENCH_READ_INTERVAL_MS, default ${NUMBERS['read-interval-ms'].default})
  --streams N            live streams whose worker CPU is measured, 6  (BENCH_STREAMS, default ${NUMBERS.streams.default})
  --stream-runs N        running runs the streams watch, phase 6      (BENCH_STREAM_RUNS, default ${NUMBERS['stream-runs'].default})
  --stream-window-ms N   CPU sampling window, phase 6                 (BENCH_STREAM_WINDOW_MS, default ${NUMBERS['stream-window-ms'].default})
  --ab-assignments N     assignments per mode (API / bare), phase 7   (BENCH_AB_ASSIGNMENTS, default ${NUMBERS['ab-assignments'].default})
  --ab-event-batches N   event batches per mode, phase 7              (BENCH_AB_EVENT_BATCHES, default ${NUMBERS['ab-event-batches'].default})
  --ab-batch-size N      events in each batch, at most 500            (BENCH_AB_BATCH_SIZE, default ${NUMBERS['ab-batch-size'].default})
  --intake-count N       signed deliveries (and bare starts) per round, phase 8  (BENCH_INTAKE_COUNT, default ${NUMBERS['intake-count'].default})
  --intake-senders N     senders (one endpoint each), phase 8         (BENCH_INTAKE_SENDERS, default ${NUMBERS['intake-senders'].default})
  --intake-rounds N      alternating intake / bare rounds, phase 8    (BENCH_INTAKE_ROUNDS, default ${NUMBERS['intake-rounds'].default})
  --intake-warmup N      unmeasured deliveries and starts first       (BENCH_INTAKE_WARMUP, default ${NUMBERS['intake-warmup'].default})
  --calendar-entries N   calendar entries due in one minute, phase 10  (BENCH_CALENDAR_ENTRIES, default ${NUMBERS['calendar-entries'].default})
  --calendar-brands N    brands the entries are spread over, phase 10  (BENCH_CALENDAR_BRANDS, default ${NUMBERS['calendar-brands'].default})
  --only PHASES          comma-separated: throughput,steps,brand-report,video,leads,reads,abtest,intake,
                         video-length,calendar  (BENCH_ONLY, default all ten)
  --results DIR          where the JSON goes                          (BENCH_RESULTS_DIR, default bench/results)
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

function videoLengths(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_VIDEO_LENGTHS;
  const lengths = raw.split(',').map((p) => Number(p.trim()));
  if (lengths.some((n) => !Number.isInteger(n) || n < 15 || n > 180))
    throw new UsageError(`--video-lengths (BENCH_VIDEO_LENGTHS) takes whole seconds from 15 to 180; got "${raw}"`);
  return lengths;
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
        'report-runs': { type: 'string' },
        'report-warmup': { type: 'string' },
        'report-count': { type: 'string' },
        'report-parallel': { type: 'string' },
        'report-rounds': { type: 'string' },
        'browser-pool': { type: 'string' },
        'video-runs': { type: 'string' },
        'video-warmup': { type: 'string' },
        'video-lengths': { type: 'string' },
        'lead-count': { type: 'string' },
        'lead-parallel': { type: 'string' },
        'lead-rounds': { type: 'string' },
        readers: { type: 'string' },
        reads: { type: 'string' },
        'read-interval-ms': { type: 'string' },
        streams: { type: 'string' },
        'stream-runs': { type: 'string' },
        'stream-window-ms': { type: 'string' },
        'ab-assignments': { type: 'string' },
        'ab-event-batches': { type: 'string' },
        'ab-batch-size': { type: 'string' },
        'intake-count': { type: 'string' },
        'intake-senders': { type: 'string' },
        'intake-rounds': { type: 'string' },
        'intake-warmup': { type: 'string' },
        'calendar-entries': { type: 'string' },
        'calendar-brands': { type: 'string' },
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
    reportRuns: integer('report-runs', values['report-runs'], env),
    reportWarmup: integer('report-warmup', values['report-warmup'], env),
    reportCount: integer('report-count', values['report-count'], env),
    reportParallel: integer('report-parallel', values['report-parallel'], env),
    reportRounds: integer('report-rounds', values['report-rounds'], env),
    browserPool: integer('browser-pool', values['browser-pool'], env),
    videoRuns: integer('video-runs', values['video-runs'], env),
    videoWarmup: integer('video-warmup', values['video-warmup'], env),
    videoLengths: videoLengths(values['video-lengths'] ?? env.BENCH_VIDEO_LENGTHS),
    leadCount: integer('lead-count', values['lead-count'], env),
    leadParallel: integer('lead-parallel', values['lead-parallel'], env),
    leadRounds: integer('lead-rounds', values['lead-rounds'], env),
    readers: integer('readers', values.readers, env),
    reads: integer('reads', values.reads, env),
    readIntervalMs: integer('read-interval-ms', values['read-interval-ms'], env),
    streams: integer('streams', values.streams, env),
    streamRuns: integer('stream-runs', values['stream-runs'], env),
    streamWindowMs: integer('stream-window-ms', values['stream-window-ms'], env),
    abAssignments: integer('ab-assignments', values['ab-assignments'], env),
    abEventBatches: integer('ab-event-batches', values['ab-event-batches'], env),
    abBatchSize: integer('ab-batch-size', values['ab-batch-size'], env),
    intakeCount: integer('intake-count', values['intake-count'], env),
    intakeSenders: integer('intake-senders', values['intake-senders'], env),
    intakeRounds: integer('intake-rounds', values['intake-rounds'], env),
    intakeWarmup: integer('intake-warmup', values['intake-warmup'], env),
    calendarEntries: integer('calendar-entries', values['calendar-entries'], env),
    calendarBrands: integer('calendar-brands', values['calendar-brands'], env),
    phases: phases as PhaseName[],
    resultsDir: values.results ?? env.BENCH_RESULTS_DIR ?? defaultResultsDir,
  };
  if (options.rounds > options.count)
    throw new UsageError(`--rounds (${options.rounds}) cannot exceed --count (${options.count})`);
  if (options.reportRounds > options.reportCount)
    throw new UsageError(
      `--report-rounds (${options.reportRounds}) cannot exceed --report-count (${options.reportCount})`,
    );
  if (options.leadParallel > MAX_BATCH_CONCURRENCY)
    throw new UsageError(
      `--lead-parallel (${options.leadParallel}) cannot exceed a batch's concurrency limit (${MAX_BATCH_CONCURRENCY})`,
    );
  if (options.leadCount > MAX_SELECTED_IDS)
    throw new UsageError(
      `--lead-count (${options.leadCount}) cannot exceed the ids one request names (${MAX_SELECTED_IDS})`,
    );
  if (options.abBatchSize > MAX_EVENT_BATCH)
    throw new UsageError(
      `--ab-batch-size (${options.abBatchSize}) cannot exceed an events request (${MAX_EVENT_BATCH})`,
    );
  if (options.calendarBrands > options.calendarEntries)
    throw new UsageError(
      `--calendar-brands (${options.calendarBrands}) cannot exceed --calendar-entries (${options.calendarEntries})`,
    );
  return options;
}
