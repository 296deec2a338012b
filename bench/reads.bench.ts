/**
 * Phase 5: reads under many viewers. `readers` callers at once each send `reads` `GET /api/v1/runs/:id` back to back,
 * for a closed social post and for a running one (waiting for an approval, its worker polling), and the same load of
 * `GET /healthz` on the same server as the floor: what the HTTP round trip alone costs here. Latencies are what each
 * caller sees, from the request to the parsed answer.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { startTestStack, waitFor, type TestStack } from '../test/support/harness';
import { percentile } from './report';
import { inParallel } from './start-throughput.bench';

export interface ReadsOptions {
  readers: number;
  reads: number;
  env: Record<string, string>;
}

export interface ReadLoad {
  target: 'closed' | 'running' | 'healthz';
  requests: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

export interface ReadsResult {
  readers: number;
  reads: number;
  loads: ReadLoad[];
  /** Temporal loads the API made for the running run during its measured reads (one per run at a time, not per reader). */
  runningLoads: number;
}

/** `readers` lanes of `reads` requests each, after one unmeasured request per lane. */
async function load(
  target: ReadLoad['target'],
  readers: number,
  reads: number,
  readOnce: () => Promise<void>,
): Promise<ReadLoad> {
  await inParallel(readers, readers, readOnce);
  const latencies: number[] = [];
  const began = performance.now();
  await inParallel(readers * reads, readers, async () => {
    const t = performance.now();
    await readOnce();
    latencies.push(performance.now() - t);
  });
  const elapsedMs = performance.now() - began;
  return {
    target,
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
    const measure = async (target: ReadLoad['target'], path: string, check: (s: number, b: any) => boolean) => {
      log(`${target}: ${options.readers} readers × ${options.reads} reads of ${path}`);
      loads.push(await load(target, options.readers, options.reads, reader(stack, path, check)));
    };
    await measure('healthz', '/healthz', (s) => s === 200);
    await measure('closed', runPath(closedId), (s, b) => s === 200 && b.status === 'completed' && b.progress !== null);
    const before = stack.server.services.runs.watchStats().loads;
    await measure('running', runPath(runningId), (s, b) => s === 200 && b.status === 'running' && b.progress !== null);
    const runningLoads = stack.server.services.runs.watchStats().loads - before;
    return { readers: options.readers, reads: options.reads, loads, runningLoads };
  } finally {
    if (runningId)
      await stack.client.workflow
        .getHandle(runningId)
        .terminate('benchmark clean-up')
        .catch(() => undefined);
    await stack.stop();
  }
}
