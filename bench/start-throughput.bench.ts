/**
 * Phase 1: how fast runs start through the API (`POST /api/v1/runs`: API key auth, zod
 * validation, the brand check, search attributes and memo, the start; the 201 built from its answer) against the raw
 * SDK (`client.workflow.start` with the same workflow type, arguments, search attributes and memo) on
 * the same server, connection, concurrency and count. No worker polls: the runs wait for an
 * approval that nobody gives, so only the starts are measured. They are terminated afterwards.
 *
 * The API's callers are a keep-alive HTTP client on a worker thread (bench/http-load.ts), as callers on other hosts
 * would be; `apiFetch` is the earlier way, Node's `fetch` on the API's own thread, kept for comparison.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { startTestStack, waitFor, type TestStack } from '../test/support/harness';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../temporal/search-attributes';
import type { SocialPostInput } from '../workflows/social-post.workflow';
import { runHttpLoad, type HttpLoadRequest } from './http-load';
import { percentile } from './report';

export type StartMode = 'api' | 'apiFetch' | 'hop' | 'raw';
const MODES: StartMode[] = ['api', 'apiFetch', 'hop', 'raw'];

export interface ThroughputOptions {
  count: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  /** Environment for the stack's configuration (e.g. CHROMIUM_PATH). */
  env: Record<string, string>;
}

export interface ModeResult {
  mode: StartMode;
  started: number;
  elapsedMs: number;
  /** Runs started per second over all measured rounds. */
  perSecond: number;
  /** Time of one start as its caller sees it, in ms. */
  latencyMs: { p50: number; p95: number; max: number };
  rounds: { started: number; elapsedMs: number; perSecond: number; busy: number; machineBusy: number }[];
  /** Median share of the time the API's thread (also the SDK client's) was busy, over the rounds. */
  busy: number;
  /** That thread's busy time per start, in ms (median over the rounds). */
  threadMsPerStart: number;
  /** Median share of all cores busy (every process: the Temporal server, this one, the rest), over the rounds. */
  machineBusy: number;
}

export interface ThroughputResult {
  count: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  api: ModeResult;
  /** The API with its callers' `fetch` on its own thread (the method before the separate load generator). */
  apiFetch: ModeResult;
  raw: ModeResult;
  /** The figure of merit: API starts per second / raw SDK starts per second, over all rounds. */
  ratio: number;
  /** The same for `apiFetch`. */
  fetchRatio: number;
  /**
   * A bare `node:http` server that only reads the body and makes the raw start, called as the API is: the share of
   * the raw rate any HTTP service in front of the SDK keeps on this machine, the ceiling of `ratio`.
   */
  hop: ModeResult;
  hopRatio: number;
  /** The same ratio within each round (API and raw back to back): its spread shows how steady the machine was. */
  roundRatios: number[];
  /** Workflows the phase started (warm-up included) and how many the clean-up terminated. */
  cleanup: { started: number; terminated: number; failures: string[] };
}

/** The runs wait for an approval for a day; the phase terminates them long before. */
const WAIT_FOR_APPROVAL = { required: true, timeoutSeconds: 24 * 3600, onTimeout: 'reject' } as const;

/** Calls `fn(0..count-1)` with at most `concurrency` calls in flight; stops taking new work after a failure. */
export async function inParallel(
  count: number,
  concurrency: number,
  fn: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        await fn(index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** Busy and total CPU time of all cores so far (ms), from the kernel's per-core counters. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Splits `count` into `parts` near-equal shares. */
const shares = (count: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0));

/** How each mode starts `count` runs from `firstIndex` on: elapsed time and each start's latency. */
type Batch = (
  count: number,
  concurrency: number,
  firstIndex: number,
) => Promise<{ elapsedMs: number; latencies: number[] }>;

/** The raw SDK start of one run, with the arguments, search attributes, memo and id policies the API builds. */
export function rawStarter(stack: TestStack, brandId: string) {
  const rawInput: SocialPostInput = {
    workspaceId: stack.workspaceId,
    brandId,
    platform: 'instagram',
    postType: 'educational',
    language: 'en',
    approval: { ...WAIT_FOR_APPROVAL },
  };
  return (workflowId: string) =>
    stack.client.workflow.start('socialPostWorkflow', {
      taskQueue: stack.config.temporal.taskQueues.main,
      workflowId,
      args: [rawInput],
      typedSearchAttributes: [
        { key: WorkspaceIdKey, value: stack.workspaceId },
        { key: AutomationKey, value: 'social-post' },
        { key: BrandIdKey, value: brandId },
      ],
      // What the API stores with every run (its input and who started it), so both modes ask the same of Temporal.
      memo: { startedBy: 'admin', automation: 'social-post', input: API_INPUT(brandId) },
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
}

const API_INPUT = (brandId: string) => ({
  brandId,
  platform: 'instagram',
  postType: 'educational',
  approval: WAIT_FOR_APPROVAL,
});

/** The bare HTTP hop: POST `{ workflowId }` → the raw start → 201 `{ id }`; nothing else. */
async function startHop(
  rawStart: (workflowId: string) => Promise<unknown>,
): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { workflowId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { workflowId: string };
      rawStart(workflowId).then(
        () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: workflowId })),
        (err: unknown) => res.writeHead(500).end(JSON.stringify({ error: String(err) })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

function starters(
  stack: TestStack,
  brandId: string,
  tag: string,
  startedIds: string[],
  hopUrl: string,
): Record<StartMode, Batch> {
  const rawStart = rawStarter(stack, brandId);
  const apiInput = API_INPUT(brandId);
  const body = (mode: StartMode, index: number) => ({
    automation: 'social-post',
    requestId: `bench-${mode}-${tag}-${index}`,
    input: apiInput,
  });
  const accepted = (res: { status: number; body: unknown }) => {
    if (res.status !== 201) throw new Error(`POST /api/v1/runs answered ${res.status}: ${JSON.stringify(res.body)}`);
    startedIds.push((res.body as { id: string }).id);
  };
  const oneByOne =
    (startOne: (index: number) => Promise<void>): Batch =>
    (count, concurrency, firstIndex) =>
      measure(count, concurrency, startOne, firstIndex);
  return {
    async api(count, concurrency, firstIndex) {
      const requests: HttpLoadRequest[] = Array.from({ length: count }, (_, i) => ({
        method: 'POST',
        path: '/api/v1/runs',
        headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body('api', firstIndex + i)),
      }));
      const { elapsedMs, latenciesMs, responses } = await runHttpLoad(stack.baseUrl, requests, concurrency);
      for (const res of responses) accepted({ status: res.status, body: JSON.parse(res.body) });
      return { elapsedMs, latencies: latenciesMs };
    },
    apiFetch: oneByOne(async (index) => {
      accepted(await stack.request<{ id: string }>('POST', '/api/v1/runs', body('apiFetch', index)));
    }),
    async hop(count, concurrency, firstIndex) {
      const requests: HttpLoadRequest[] = Array.from({ length: count }, (_, i) => ({
        method: 'POST',
        path: '/start',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflowId: `social-post/${brandId}/bench-hop-${tag}-${firstIndex + i}` }),
      }));
      const { elapsedMs, latenciesMs, responses } = await runHttpLoad(hopUrl, requests, concurrency);
      for (const res of responses) accepted({ status: res.status, body: JSON.parse(res.body) });
      return { elapsedMs, latencies: latenciesMs };
    },
    raw: oneByOne(async (index) => {
      const workflowId = `social-post/${brandId}/bench-raw-${tag}-${index}`;
      await rawStart(workflowId);
      startedIds.push(workflowId);
    }),
  };
}

async function measure(
  count: number,
  concurrency: number,
  startOne: (index: number) => Promise<void>,
  firstIndex: number,
) {
  const latencies: number[] = [];
  const began = performance.now();
  await inParallel(count, concurrency, async (i) => {
    const t = performance.now();
    await startOne(firstIndex + i);
    latencies.push(performance.now() - t);
  });
  return { elapsedMs: performance.now() - began, latencies };
}

async function terminateAll(
  stack: TestStack,
  ids: string[],
  concurrency: number,
): Promise<{ terminated: number; failures: string[] }> {
  let terminated = 0;
  const failures: string[] = [];
  await inParallel(ids.length, concurrency, async (i) => {
    try {
      await stack.client.workflow.getHandle(ids[i]).terminate('benchmark clean-up');
      terminated += 1;
    } catch (err) {
      if (failures.length < 5) failures.push(`${ids[i]}: ${(err as Error).message}`);
    }
  });
  return { terminated, failures };
}

export async function runStartThroughput(
  options: ThroughputOptions,
  log: (line: string) => void,
): Promise<ThroughputResult> {
  const stack = await startTestStack('bench-throughput', { workers: [], env: options.env });
  const startedIds: string[] = [];
  let stopHop = () => undefined as void;
  try {
    const brand = (await stack.brand()) as { id: string };
    const tag = randomUUID().slice(0, 8);
    const hopServer = await startHop(rawStarter(stack, brand.id));
    stopHop = hopServer.close;
    const start = starters(stack, brand.id, tag, startedIds, hopServer.url);
    const next: Record<StartMode, number> = { api: 0, apiFetch: 0, hop: 0, raw: 0 };

    if (options.warmup > 0) {
      log(`warming up: ${options.warmup} starts per mode`);
      for (const mode of MODES) {
        await start[mode](options.warmup, options.concurrency, next[mode]);
        next[mode] += options.warmup;
      }
    }

    type Tally = { rounds: ModeResult['rounds']; latencies: number[] };
    const tally = (): Tally => ({ rounds: [], latencies: [] });
    const perMode: Record<StartMode, Tally> = { api: tally(), apiFetch: tally(), hop: tally(), raw: tally() };
    const roundCounts = shares(options.count, options.rounds);
    for (const [round, count] of roundCounts.entries()) {
      // Rotate which mode goes first, so a server that slows as runs pile up weighs on all.
      const order = MODES.map((_, k) => MODES[(k + round) % MODES.length]);
      for (const mode of order) {
        const idle = performance.eventLoopUtilization();
        const cpu = cpuTimes();
        const { elapsedMs, latencies } = await start[mode](count, options.concurrency, next[mode]);
        // How busy the thread that runs the API and the SDK client was: near 1, that thread is the limit.
        const busy = performance.eventLoopUtilization(idle).utilization;
        const cpuAfter = cpuTimes();
        // Near 1, the two cores are the limit, and every ms of CPU anywhere costs starts.
        const machineBusy = (cpuAfter.busy - cpu.busy) / Math.max(1, cpuAfter.total - cpu.total);
        next[mode] += count;
        perMode[mode].rounds.push({
          started: count,
          elapsedMs,
          perSecond: (count * 1000) / elapsedMs,
          busy,
          machineBusy,
        });
        perMode[mode].latencies.push(...latencies);
        log(
          `round ${round + 1}/${roundCounts.length} ${mode}: ${count} starts in ${Math.round(elapsedMs)} ms, ` +
            `API thread ${Math.round(busy * 100)} % busy, cores ${Math.round(machineBusy * 100)} % busy`,
        );
      }
    }

    const summarise = (mode: StartMode): ModeResult => {
      const { rounds, latencies } = perMode[mode];
      const started = rounds.reduce((sum, r) => sum + r.started, 0);
      const elapsedMs = rounds.reduce((sum, r) => sum + r.elapsedMs, 0);
      const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      return {
        mode,
        started,
        elapsedMs,
        perSecond: (started * 1000) / elapsedMs,
        busy: middle(rounds.map((r) => r.busy)),
        threadMsPerStart: middle(rounds.map((r) => (r.busy * r.elapsedMs) / r.started)),
        machineBusy: middle(rounds.map((r) => r.machineBusy)),
        latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: Math.max(...latencies) },
        rounds,
      };
    };
    const api = summarise('api');
    const apiFetch = summarise('apiFetch');
    const hop = summarise('hop');
    const raw = summarise('raw');

    // Both modes must have started real runs of this workspace: count them in visibility.
    const expected = startedIds.length;
    const query = `WorkspaceId = '${stack.workspaceId}' AND ExecutionStatus = 'Running'`;
    await waitFor(
      `${expected} running workflows in visibility`,
      async () => (await stack.client.workflow.count(query)).count === expected,
      20_000,
      250,
    );

    log(`terminating the ${expected} started workflows`);
    const cleanup = await terminateAll(stack, startedIds, options.concurrency);
    return {
      count: options.count,
      concurrency: options.concurrency,
      warmup: options.warmup,
      rounds: options.rounds,
      api,
      apiFetch,
      raw,
      ratio: api.perSecond / raw.perSecond,
      fetchRatio: apiFetch.perSecond / raw.perSecond,
      hop,
      hopRatio: hop.perSecond / raw.perSecond,
      roundRatios: api.rounds.map((r, i) => r.perSecond / raw.rounds[i].perSecond),
      cleanup: { started: expected, ...cleanup },
    };
  } finally {
    stopHop();
    await stack.stop();
  }
}
