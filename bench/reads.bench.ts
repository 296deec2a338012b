/**
 * Phase 5: reads under many viewers, of a closed social post and of a running one (waiting for an approval, its worker
 * polling), and of `GET /healthz` on the same server as the floor: what the HTTP round trip alone costs here.
 *
 * - paced: `readers` viewers each read once every `intervalMs` (a run page refreshing; the UI's live stream polls at
 *   1 s), starts spread over the interval — the goal's load (p99 ≤ 30 ms closed, ≤ 100 ms running).
 * - saturated: the same readers send their reads back to back, so the latency is mostly queueing: with N in flight it
 *   cannot be below N / (requests per second), whatever a read costs; this shows the requests per second.
 *
 * Latencies are what each caller sees, from the request to the parsed answer; callers and API share one process.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { startTestStack, waitFor, type TestStack } from '../test/support/harness';
import { percentile } from './report';
import { inParallel } from './start-throughput.bench';

export interface ReadsOptions {
  readers: number;
  reads: number;
  /** Time between two reads of one paced reader. */
  intervalMs: number;
  env: Record<string, string>;
}

export interface ReadLoad {
  target: 'closed' | 'running' | 'healthz';
  mode: 'paced' | 'saturated';
  requests: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

export interface ReadsResult {
  readers: number;
  reads: number;
  intervalMs: number;
  loads: ReadLoad[];
  /**
   * Temporal loads the API made during the measured reads (all of them of the running run: the closed one is served
   * from its snapshot), against the reads of the running run.
   */
  runningLoads: number;
  runningReads: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** `readers` lanes of `reads` requests each, paced or back to back. */
async function load(
  target: ReadLoad['target'],
  mode: ReadLoad['mode'],
  options: ReadsOptions,
  readOnce: () => Promise<void>,
): Promise<ReadLoad> {
  const { readers, reads, intervalMs } = options;
  const latencies: number[] = [];
  const timed = async () => {
    const t = performance.now();
    await readOnce();
    latencies.push(performance.now() - t);
  };
  const began = performance.now();
  if (mode === 'saturated') await inParallel(readers * reads, readers, timed);
  else
    await Promise.all(
      Array.from({ length: readers }, async (_, lane) => {
        const offset = (lane * intervalMs) / readers;
        for (let i = 0; i < reads; i++) {
          await sleep(began + offset + i * intervalMs - performance.now());
          await timed();
        }
      }),
    );
  const elapsedMs = performance.now() - began;
  return {
    target,
    mode,
    requests: latencies.length,
    perSecond: (latencies.length * 1000) / elapsedMs,
    latencyMs: {
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      max: Math.max(...latencies),
    },
  };
}

function reader(stack: TestStack, path: string, check: (status: number, body: any) => boolean) {
  return async () => {
    const res = await stack.request('GET', path);
    if (!check(res.status, res.body))
      throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
}

export async function runReads(options: ReadsOptions, log: (line: string) => void): Promise<ReadsResult> {
  const stack = await startTestStack('bench-reads', { workers: ['main', 'browser'], env: options.env });
  let runningId: string | undefined;
  try {
    const brand = (await stack.brand()) as { id: string };
    const start = async (approval: Record<string, unknown>) => {
      const res = await stack.request<{ id: string }>('POST', '/api/v1/runs', {
        automation: 'social-post',
        requestId: `bench-reads-${randomUUID()}`,
        input: { brandId: brand.id, platform: 'instagram', postType: 'educational', approval },
      });
      if (res.status !== 201) throw new Error(`POST /api/v1/runs answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.id;
    };
    log('a closed social post and a running one (waiting for approval)');
    const closedId = await start({ required: false });
    await stack.client.workflow.getHandle(closedId).result();
    runningId = await start({ required: true, timeoutSeconds: 3600 });
    const runPath = (id: string) => `/api/v1/runs/${encodeURIComponent(id)}`;
    await waitFor(
      'the running post to wait for its approval',
      async () => (await stack.request('GET', runPath(runningId!))).body?.progress?.approvals?.length === 1,
      60_000,
      250,
    );

    const loads: ReadLoad[] = [];
    const targets: [ReadLoad['target'], string, (s: number, b: any) => boolean][] = [
      ['healthz', '/healthz', (s) => s === 200],
      ['closed', runPath(closedId), (s, b) => s === 200 && b.status === 'completed' && b.progress !== null],
      ['running', runPath(runningId), (s, b) => s === 200 && b.status === 'running' && b.progress !== null],
    ];
    // Unmeasured: every reader's connection open, the closed run's snapshot written, the code warm.
    for (const [, path, check] of targets)
      await inParallel(options.readers * 3, options.readers, reader(stack, path, check));
    const before = stack.server.services.runs.watchStats?.().loads ?? Number.NaN;
    let runningReads = 0;
    for (const mode of ['paced', 'saturated'] as const) {
      for (const [target, path, check] of targets) {
        log(`${mode}, ${target}: ${options.readers} readers × ${options.reads} reads of ${path}`);
        loads.push(await load(target, mode, options, reader(stack, path, check)));
        if (target === 'running') runningReads += options.readers * options.reads;
      }
    }
    const runningLoads = (stack.server.services.runs.watchStats?.().loads ?? Number.NaN) - before;
    return {
      readers: options.readers,
      reads: options.reads,
      intervalMs: options.intervalMs,
      loads,
      runningLoads,
      runningReads,
    };
  } finally {
    if (runningId)
      await stack.client.workflow
        .getHandle(runningId)
        .terminate('benchmark clean-up')
        .catch(() => undefined);
    await stack.stop();
  }
}
