/**
 * Issue 14: the previous implementation of each rendering step against the current one, in the same run, on the
 * same machine and on the same input — the input a product run gave the step's activity, read back from that run's
 * history. Both sides are the real activities, called in the bench process (MockActivityEnvironment) with their
 * storage pointed at the stack's files folder and their output under a scratch key prefix; the previous one is
 * selected by the factories' options that keep it (`pagePerFrame`, `previousRender`). The video render's previous side
 * is the default before the render was split into parts: one ffmpeg, x264 `fast`, AAC's two-loop coder.
 * Each pair alternates which side goes first, so drift and a neighbour's burst of CPU weigh on both.
 */
import { performance } from 'node:perf_hooks';
import { defaultPayloadConverter, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createVideoRenderActivities } from '../activities/media';
import { createBrowserPool, createSceneFrameActivities, type BrowserPool } from '../activities/render';
import type { RenderSceneFramesInput } from '../activities/render';
import { createReportRenderActivities, type RenderStoredReportPdfInput } from '../activities/report';
import { createLocalFileStorage } from '../activities/storage';
import type { RenderVideoInput } from '../lib/video/types';
import type { TestStack } from '../test/support/harness';
import { fixed, median, ms, table } from './report';

/** One pair: wall time of the previous implementation and of the current one, in ms. */
export interface AbPair {
  previousMs: number;
  currentMs: number;
}

/** The input the run's first scheduled `activityType` got, decoded from its history. */
export async function scheduledInput<T>(stack: TestStack, workflowId: string, activityType: string): Promise<T> {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== activityType) continue;
    const payload = scheduled.input?.payloads?.[0];
    if (!payload) break;
    return defaultPayloadConverter.fromPayload<T>(payload as Parameters<typeof defaultPayloadConverter.fromPayload>[0]);
  }
  throw new Error(`Run ${workflowId} scheduled no ${activityType}`);
}

/** The activities' info lines would flood the bench's output: only warnings and errors are shown. */
const quiet: Logger = {
  log: (level, message, meta) => {
    if (level === 'WARN' || level === 'ERROR') console.warn(`[${level}] ${message}`, meta ?? '');
  },
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message, meta) => console.warn(`[WARN] ${message}`, meta ?? ''),
  error: (message, meta) => console.warn(`[ERROR] ${message}`, meta ?? ''),
};

const run = <T>(fn: () => Promise<T>): Promise<T> =>
  new MockActivityEnvironment(undefined, { logger: quiet }).run(fn) as Promise<T>;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await run(fn);
  return performance.now() - began;
}

/** Runs both sides once, `previousFirst` deciding the order. */
async function pair(
  previous: () => Promise<unknown>,
  current: () => Promise<unknown>,
  previousFirst: boolean,
): Promise<AbPair> {
  if (previousFirst) {
    const previousMs = await timed(previous);
    return { previousMs, currentMs: await timed(current) };
  }
  const currentMs = await timed(current);
  return { previousMs: await timed(previous), currentMs };
}

export interface RenderAb {
  /** Scene frames: a fresh browser context and page per frame (previous) against warm pages (current). */
  frames(input: RenderSceneFramesInput, previousFirst: boolean): Promise<AbPair>;
  /** The video render: one ffmpeg process (previous, `previousRender`) against the parts encoded at once. */
  video(input: RenderVideoInput, previousFirst: boolean): Promise<AbPair>;
  /** The report PDF: fresh page and two full passes (previous) against a warm page and a light draft. */
  report(input: RenderStoredReportPdfInput, previousFirst: boolean): Promise<AbPair>;
  /** Renders `count` reports with `inFlight` at once in one mode; returns the wall time in ms. */
  reportBatch(
    input: RenderStoredReportPdfInput,
    mode: 'previous' | 'current',
    count: number,
    inFlight: number,
  ): Promise<number>;
  close(): Promise<void>;
}

/**
 * The A/B kit on the stack's files, with its own browser pool of `browserPool` pages (the product's default is 2), so
 * both sides share one Chromium and the stack's browser worker (idle meanwhile) keeps its own.
 */
export function createRenderAb(stack: TestStack, browserPool: number): RenderAb {
  const storage = createLocalFileStorage({ rootDir: stack.config.filesDir, publicBaseUrl: 'http://bench.invalid/' });
  const pool: BrowserPool = createBrowserPool({ executablePath: stack.config.chromiumPath, size: browserPool });
  const frames = {
    previous: createSceneFrameActivities({ pool, storage, pagePerFrame: true }),
    current: createSceneFrameActivities({ pool, storage }),
  };
  const videos = {
    previous: createVideoRenderActivities({ storage, previousRender: true }),
    current: createVideoRenderActivities({ storage }),
  };
  const reports = {
    previous: createReportRenderActivities({ pool, storage, previousRender: true }),
    current: createReportRenderActivities({ pool, storage }),
  };
  let n = 0;
  const prefix = (keyPrefix: string, side: string) => `${keyPrefix}/ab-${side}-${++n}`;
  return {
    frames: (input, previousFirst) =>
      pair(
        () => frames.previous.renderSceneFrames({ ...input, keyPrefix: prefix(input.keyPrefix, 'previous') }),
        () => frames.current.renderSceneFrames({ ...input, keyPrefix: prefix(input.keyPrefix, 'current') }),
        previousFirst,
      ),
    video: (input, previousFirst) =>
      pair(
        () => videos.previous.renderVideo({ ...input, keyPrefix: prefix(input.keyPrefix, 'previous') }),
        () => videos.current.renderVideo({ ...input, keyPrefix: prefix(input.keyPrefix, 'current') }),
        previousFirst,
      ),
    report: (input, previousFirst) =>
      pair(
        () => reports.previous.renderStoredReportPdf({ ...input, keyPrefix: prefix(input.keyPrefix, 'previous') }),
        () => reports.current.renderStoredReportPdf({ ...input, keyPrefix: prefix(input.keyPrefix, 'current') }),
        previousFirst,
      ),
    async reportBatch(input, mode, count, inFlight) {
      const began = performance.now();
      let next = 0;
      const lane = async () => {
        while (next < count) {
          next++;
          await run(() => reports[mode].renderStoredReportPdf({ ...input, keyPrefix: prefix(input.keyPrefix, mode) }));
        }
      };
      await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
      return performance.now() - began;
    },
    close: () => pool.close(),
  };
}

const sec = (msValue: number) => `${fixed(msValue / 1000, 2)} s`;

/** Phase 4's A/B and goal lines. */
export function printVideoAb(
  lengths: {
    targetSeconds: number;
    durationSeconds: number;
    clientMedianMs: number;
    renderSpeed: number;
    ratio: number;
    ab: {
      frames: AbPair & { speedup: number };
      video: AbPair & { speedup: number; previousSpeed: number; currentSpeed: number };
    };
  }[],
  goalMs: number,
): void {
  console.log(
    `\nIssue 14 — previous against current implementation, same run, on each video's own inputs (medians; render × real time in brackets)`,
  );
  console.log(
    table(
      ['<length', 'frames previous', 'frames current', 'speedup', 'render previous', 'render current', 'speedup'],
      lengths.map((l) => [
        `${l.targetSeconds} s`,
        sec(l.ab.frames.previousMs),
        sec(l.ab.frames.currentMs),
        `${fixed(l.ab.frames.speedup, 2)}×`,
        `${sec(l.ab.video.previousMs)} (${fixed(l.ab.video.previousSpeed, 2)}×)`,
        `${sec(l.ab.video.currentMs)} (${fixed(l.ab.video.currentSpeed, 2)}×)`,
        `${fixed(l.ab.video.speedup, 2)}×`,
      ]),
    ),
  );
  for (const l of lengths.filter((x) => x.targetSeconds === 30)) {
    console.log(
      `goal, 30 s video: brief → published ${sec(l.clientMedianMs)} (goal ≤ ${sec(goalMs)}), render ${fixed(l.renderSpeed, 2)}× real time ` +
        `(goal ≥ 3×; ${fixed(l.ratio, 2)} of a bare encode)`,
    );
  }
}

/** Phase 3's A/B lines. */
export function printReportAb(ab: ReportAbResult): void {
  console.log(
    `\nIssue 14 — the report PDF render alone, previous against current, same run, on one report's input (in the bench process, pool of ${ab.browserPool})`,
  );
  console.log(
    table(
      ['<mode', 'one render p50', `renders/min, ${ab.inFlight} in flight`],
      [
        ['previous (fresh page, two full passes)', ms(ab.previous.medianMs), fixed(ab.previous.perMinute)],
        ['current (warm page, light draft)', ms(ab.current.medianMs), fixed(ab.current.perMinute)],
      ],
    ),
  );
  console.log(
    `speedup: one render ${fixed(ab.previous.medianMs / ab.current.medianMs, 2)}×, throughput ${fixed(ab.current.perMinute / ab.previous.perMinute, 2)}×`,
  );
}

export interface ReportAbResult {
  browserPool: number;
  inFlight: number;
  pairs: AbPair[];
  previous: { medianMs: number; perMinute: number; batchesMs: number[] };
  current: { medianMs: number; perMinute: number; batchesMs: number[] };
}

/** `pairs` sequential pairs, then `rounds` alternating batches of `count` renders per mode with `inFlight` at once. */
export async function runReportAb(
  ab: RenderAb,
  input: RenderStoredReportPdfInput,
  options: { pairs: number; rounds: number; count: number; inFlight: number; browserPool: number },
): Promise<ReportAbResult> {
  await ab.report(input, true); // warm-up: the kit's Chromium and first pages
  const pairs: AbPair[] = [];
  for (let i = 0; i < options.pairs; i++) pairs.push(await ab.report(input, i % 2 === 0));
  const batches = { previous: [] as number[], current: [] as number[] };
  for (let r = 0; r < options.rounds; r++) {
    const order: ('previous' | 'current')[] = r % 2 === 0 ? ['previous', 'current'] : ['current', 'previous'];
    for (const mode of order) batches[mode].push(await ab.reportBatch(input, mode, options.count, options.inFlight));
  }
  const perMinute = (list: number[]) => (list.length * options.count * 60_000) / list.reduce((a, b) => a + b, 0);
  return {
    browserPool: options.browserPool,
    inFlight: options.inFlight,
    pairs,
    previous: {
      medianMs: median(pairs.map((p) => p.previousMs)),
      perMinute: perMinute(batches.previous),
      batchesMs: batches.previous,
    },
    current: {
      medianMs: median(pairs.map((p) => p.currentMs)),
      perMinute: perMinute(batches.current),
      batchesMs: batches.current,
    },
  };
}
