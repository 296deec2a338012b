/**
 * Phase 6, part 2: what open live streams cost the worker. A real worker process (`workers/all.worker.ts`, like
 * `npm run start:worker`) runs `runs` social posts that wait for an approval; its CPU (utime + stime from /proc, all
 * its threads) is sampled over a window with no stream open, then with `streams` `GET /runs/:id/events` streams
 * spread over those runs. Each watched run is polled once per interval however many watch it (api/services/
 * run-watch.ts): the worker answers one progress query per run and interval, not one per stream.
 *
 * CPU is in % of one core over the window. The API (and the stream readers) run in this process; its CPU is shown too.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { startTestStack, waitFor } from '../test/support/harness';
import { kill, spawnWorker } from '../test/support/worker-process';
import { fixed, table } from './report';

export interface StreamsCpuOptions {
  streams: number;
  runs: number;
  windowMs: number;
  env: Record<string, string>;
}

interface Window {
  workerCpuPct: number;
  apiCpuPct: number;
  /** Progress events the streams received in the window. */
  events: number;
}

export interface StreamsCpuResult {
  streams: number;
  runs: number;
  windowMs: number;
  idle: Window;
  open: Window;
  /** Worker CPU added by the open streams, in points of one core. */
  addedWorkerPct: number;
  goal: { maxAddedPct: number; met: boolean };
}

const GOAL_PCT = 5;
const CLOCK_TICKS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process, all threads, in seconds (Linux). */
function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export async function runStreamsCpu(
  options: StreamsCpuOptions,
  log: (line: string) => void,
): Promise<StreamsCpuResult> {
  const stack = await startTestStack('bench-streams', {
    workers: [],
    // The product's poll interval (api/app.ts), not the tests' faster one.
    streamIntervalMs: 1000,
    env: { ...options.env, STREAMS_PER_PRINCIPAL: String(options.streams) },
  });
  const worker = spawnWorker('all.worker.ts', {
    ...stack.env,
    TEMPORAL_WORKFLOW_BUNDLE: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE,
    LOG_LEVEL: 'warn',
  });
  const runIds: string[] = [];
  const streams = new AbortController();
  try {
    const brand = (await stack.brand()) as { id: string };
    log(`${options.runs} social posts waiting for an approval, on a worker process (pid ${worker.pid})`);
    for (let i = 0; i < options.runs; i++) {
      const res = await stack.request<{ id: string }>('POST', '/api/v1/runs', {
        automation: 'social-post',
        requestId: `bench-streams-${randomUUID()}`,
        input: {
          brandId: brand.id,
          platform: 'instagram',
          postType: 'educational',
          approval: { required: true, timeoutSeconds: 3600 },
        },
      });
      if (res.status !== 201) throw new Error(`POST /api/v1/runs answered ${res.status}: ${JSON.stringify(res.body)}`);
      runIds.push(res.body.id);
    }
    for (const id of runIds)
      await waitFor(
        `run ${id} to wait for its approval`,
        async () =>
          (await stack.request('GET', `/api/v1/runs/${encodeURIComponent(id)}`)).body?.progress?.approvals?.length ===
          1,
        120_000,
        500,
      );

    let events = 0;
    const measure = async (): Promise<Window> => {
      const before = { worker: processCpuSeconds(worker.pid!), api: process.cpuUsage(), events, t: performance.now() };
      await sleep(options.windowMs);
      const seconds = (performance.now() - before.t) / 1000;
      const api = process.cpuUsage(before.api);
      return {
        workerCpuPct: ((processCpuSeconds(worker.pid!) - before.worker) / seconds) * 100,
        apiCpuPct: ((api.user + api.system) / 1e6 / seconds) * 100,
        events: events - before.events,
      };
    };

    await sleep(3_000);
    log(`worker CPU with no stream open, ${options.windowMs / 1000} s`);
    const idle = await measure();

    log(`opening ${options.streams} live streams over the ${options.runs} runs`);
    const firstEvents = new Set<number>();
    for (let i = 0; i < options.streams; i++) {
      const id = runIds[i % runIds.length];
      void (async () => {
        const res = await fetch(`${stack.baseUrl}/api/v1/runs/${encodeURIComponent(id)}/events`, {
          headers: { authorization: `Bearer ${stack.keys.admin}`, accept: 'text/event-stream' },
          signal: streams.signal,
        });
        if (res.status !== 200) throw new Error(`stream ${i} answered ${res.status}`);
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const n = Buffer.from(chunk).toString('utf8').split('event: run').length - 1;
          if (n > 0) firstEvents.add(i);
          events += n;
        }
      })().catch((err: Error) => {
        if (err.name !== 'AbortError') log(`stream ${i}: ${err.message}`);
      });
    }
    await waitFor('every stream to get its first event', async () => firstEvents.size === options.streams, 60_000);
    await sleep(2_000);
    log(`worker CPU with ${options.streams} streams open, ${options.windowMs / 1000} s`);
    const open = await measure();
    const addedWorkerPct = open.workerCpuPct - idle.workerCpuPct;
    return {
      streams: options.streams,
      runs: options.runs,
      windowMs: options.windowMs,
      idle,
      open,
      addedWorkerPct,
      goal: { maxAddedPct: GOAL_PCT, met: addedWorkerPct < GOAL_PCT },
    };
  } finally {
    streams.abort();
    for (const id of runIds)
      await stack.client.workflow
        .getHandle(id)
        .terminate('benchmark clean-up')
        .catch(() => undefined);
    await kill(worker);
    await stack.stop();
  }
}

export function printStreamsCpu(r: StreamsCpuResult): void {
  console.log(
    `\nLive streams — ${r.streams} GET /runs/:id/events streams over ${r.runs} running runs (waiting for approval), ` +
      `CPU over ${r.windowMs / 1000} s windows, % of one core`,
  );
  const row = (label: string, w: Window) => [label, fixed(w.workerCpuPct, 1), fixed(w.apiCpuPct, 1), String(w.events)];
  console.log(
    table(
      ['<streams', 'worker process CPU %', 'API + readers CPU %', 'events received'],
      [row('none', r.idle), row(String(r.streams), r.open)],
    ),
  );
  console.log(
    `worker CPU added by ${r.streams} streams: ${fixed(r.addedWorkerPct, 1)} points (goal < ${r.goal.maxAddedPct}): ${r.goal.met ? 'met' : 'NOT met'}`,
  );
}
