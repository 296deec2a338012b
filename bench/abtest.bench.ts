/**
 * Phase 7: A/B test intake through the API — sticky assignments (each to a new unit, so each records an exposure) and
 * batches of conversion events — each against the same work done bare (the assignment hash and the repository's
 * `recordEvents`, in this process, no HTTP) measured in the same run. The ratio api/bare is what the API costs on top
 * of the counting itself. No Temporal call is on either path.
 */
import { performance } from 'node:perf_hooks';
import { createExperimentRepository } from '../db/repositories/experiment.repository';
import { assignVariant } from '../lib/abtest/assignment';
import { startTestStack, type TestStack } from '../test/support/harness';
import { percentile } from './report';
import { inParallel } from './start-throughput.bench';

export interface AbTestBenchOptions {
  assignments: number;
  eventBatches: number;
  batchSize: number;
  concurrency: number;
  env: Record<string, string>;
}

export interface Rate {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface AbTestBenchResult {
  concurrency: number;
  assignments: { count: number; api: Rate; bare: Rate; ratio: number };
  events: { batches: number; batchSize: number; api: Rate; bare: Rate; ratio: number };
}

async function timed(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<Rate> {
  const latencies: number[] = [];
  const began = performance.now();
  await inParallel(count, concurrency, async (i) => {
    const t = performance.now();
    await fn(i);
    latencies.push(performance.now() - t);
  });
  const elapsed = performance.now() - began;
  return { perSecond: (count * 1000) / elapsed, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

async function runningExperiment(stack: TestStack, brandId: string, name: string) {
  const res = await stack.request('POST', '/api/v1/experiments', {
    brandId,
    name,
    hypothesis: 'Benchmark',
    kind: 'free',
    variants: [
      { key: 'A', name: 'A', weight: 50, content: { headline: 'A' } },
      { key: 'B', name: 'B', weight: 50, content: { headline: 'B' } },
    ],
  });
  if (res.status !== 201) throw new Error(`POST /experiments answered ${res.status}: ${JSON.stringify(res.body)}`);
  await createExperimentRepository(stack.db).updateState(stack.workspaceId, res.body.id, { status: 'running' });
  return res.body as { id: string; variants: { id: string; key: string; weight: number }[] };
}

export async function runAbTestBench(
  options: AbTestBenchOptions,
  log: (line: string) => void,
): Promise<AbTestBenchResult> {
  const stack = await startTestStack('bench-abtest', { workers: [], env: options.env });
  try {
    const repo = createExperimentRepository(stack.db);
    const brand = (await stack.brand()) as { id: string };
    const [viaApi, bare, warm] = await Promise.all([
      runningExperiment(stack, brand.id, 'bench api'),
      runningExperiment(stack, brand.id, 'bench bare'),
      runningExperiment(stack, brand.id, 'bench warm-up'),
    ]);
    const { concurrency } = options;
    // The API caches an experiment for 2 s: wait so every call below sees it running.
    await new Promise((r) => setTimeout(r, 2_100));

    const assignApi = async (experimentId: string, unit: string) => {
      const res = await stack.request('GET', `/api/v1/experiments/${experimentId}/assignment?unit=${unit}`);
      if (res.status !== 200 || !res.body.recorded) throw new Error(`assignment answered ${res.status}`);
    };
    const assignBare = async (unit: string) => {
      const variant = assignVariant(bare.id, unit, bare.variants);
      const out = await repo.recordEvents(bare.id, [
        { eventId: `exposure:${unit}`, unit, type: 'exposure', metric: 'click', variantId: variant.id },
      ]);
      if (out.counted !== 1) throw new Error('the bare exposure was not counted');
    };
    log(`warm-up: ${concurrency * 10} assignments`);
    await timed(concurrency * 10, concurrency, (i) => assignApi(warm.id, `warm-${i}`));

    // Alternating halves, so neither side runs only on a cooler or hotter machine.
    const half = Math.floor(options.assignments / 2);
    log(`assignments: ${options.assignments} through the API and bare, ${concurrency} in flight`);
    const a1 = await timed(half, concurrency, (i) => assignApi(viaApi.id, `a-${i}`));
    const b1 = await timed(half, concurrency, (i) => assignBare(`b-${i}`));
    const b2 = await timed(half, concurrency, (i) => assignBare(`b2-${i}`));
    const a2 = await timed(half, concurrency, (i) => assignApi(viaApi.id, `a2-${i}`));
    const mean = (x: Rate, y: Rate): Rate => ({
      perSecond: (x.perSecond + y.perSecond) / 2,
      p50Ms: (x.p50Ms + y.p50Ms) / 2,
      p99Ms: Math.max(x.p99Ms, y.p99Ms),
    });
    const assignmentsApi = mean(a1, a2);
    const assignmentsBare = mean(b1, b2);

    const batch = (prefix: string, n: number) =>
      Array.from({ length: options.batchSize }, (_, j) => ({
        eventId: `${prefix}-${n}-${j}`,
        unit: `${prefix}-unit-${n}-${j}`,
        type: 'conversion' as const,
      }));
    const postApi = async (n: number) => {
      const res = await stack.request('POST', `/api/v1/experiments/${viaApi.id}/events`, batch('api', n));
      if (res.status !== 200 || res.body.accepted !== options.batchSize)
        throw new Error(`events answered ${res.status}`);
    };
    const postBare = async (n: number) => {
      const out = await repo.recordEvents(
        bare.id,
        batch('bare', n).map((e) => ({
          ...e,
          metric: 'click',
          variantId: assignVariant(bare.id, e.unit, bare.variants).id,
        })),
      );
      if (out.accepted !== options.batchSize) throw new Error('the bare batch was not accepted');
    };
    log(`events: ${options.eventBatches} batches of ${options.batchSize} through the API and bare`);
    const eventConcurrency = Math.max(1, Math.min(4, concurrency));
    const eHalf = Math.floor(options.eventBatches / 2);
    const e1 = await timed(eHalf, eventConcurrency, (n) => postApi(n));
    const f1 = await timed(eHalf, eventConcurrency, (n) => postBare(n));
    const f2 = await timed(eHalf, eventConcurrency, (n) => postBare(n + eHalf));
    const e2 = await timed(eHalf, eventConcurrency, (n) => postApi(n + eHalf));
    const perEvent = (r: Rate): Rate => ({ ...r, perSecond: r.perSecond * options.batchSize });
    const eventsApi = perEvent(mean(e1, e2));
    const eventsBare = perEvent(mean(f1, f2));
    return {
      concurrency,
      assignments: {
        count: half * 2,
        api: assignmentsApi,
        bare: assignmentsBare,
        ratio: assignmentsApi.perSecond / assignmentsBare.perSecond,
      },
      events: {
        batches: eHalf * 2,
        batchSize: options.batchSize,
        api: eventsApi,
        bare: eventsBare,
        ratio: eventsApi.perSecond / eventsBare.perSecond,
      },
    };
  } finally {
    await stack.stop();
  }
}
