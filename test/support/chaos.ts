/**
 * The chaos run of issue 16: signed webhook deliveries and asynchronous run requests (`Prefer: respond-async`) flow
 * from several senders into a real API process and a real worker process, on a Temporal dev server of the run's own
 * (persistent, so it can be restarted), while the worker is SIGKILLed and started again, the API is SIGKILLed and
 * started again, and the Temporal dev server is stopped and started again on the same port and database file.
 * Senders retry a delivery (same id) until it is answered 200/202, as Standard Webhooks senders do.
 *
 * Afterwards: every delivery answered 2xx is in the inbox and dispatched (none lost); its workflow id has exactly
 * one execution (none started twice); each run completed; each published exactly one post (no side effect
 * repeated). `test/integration/chaos.test.ts` runs a short version in CI; `npm run chaos` a longer one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { QueryTypes } from 'sequelize';
import { Webhook } from 'standardwebhooks';
import { ensureTemporalCli } from '../../temporal/cli';
import { freePort, startDevServer, type DevServer } from '../../temporal/dev-server';
import { waitFor, type TestStack } from './harness';
import { kill, spawnWorker } from './worker-process';

export interface ChaosOptions {
  /** How long deliveries keep coming. */
  durationMs: number;
  senders: number;
  /** Pause between two deliveries of one sender. */
  paceMs: number;
  /** A SIGKILL of the worker (started again 1 s later) every this often. */
  killWorkerEveryMs: number;
  /** When the API is SIGKILLed (and started again), and when the Temporal dev server restarts, from the start. */
  killApiAtMs: number;
  restartTemporalAtMs: number;
  /** How long the runs get to finish after the last delivery. */
  settleMs: number;
  log?: (line: string) => void;
}

export interface ChaosInvariant {
  name: string;
  expected: number;
  actual: number;
  ok: boolean;
}

export interface ChaosReport {
  accepted: number;
  retries: number;
  events: string[];
  invariants: ChaosInvariant[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = path.resolve(__dirname, '..', '..');

export async function runChaos(stack: TestStack, options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const events: string[] = [];
  // The clock of the schedule starts once the API serves (set again below).
  let began = Date.now();
  const note = (e: string) => {
    events.push(`${((Date.now() - began) / 1000).toFixed(1)} s ${e}`);
    log(e);
  };
  const dir = fs.mkdtempSync(path.join(stack.env.DATA_DIR, 'chaos-'));
  const cli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, () => undefined);
  const temporalPort = await freePort();
  const devServer = () =>
    startDevServer({
      cliPath: cli,
      port: temporalPort,
      headless: true,
      dbFile: path.join(dir, 'temporal.db'),
      namespace: stack.config.temporal.namespace,
      logFile: path.join(dir, 'temporal.log'),
    });
  let temporal: DevServer = await devServer();
  const queuePrefix = `${stack.name}-chaos-`;
  const apiPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const env = {
    ...stack.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE_PREFIX: queuePrefix,
    API_PORT: String(apiPort),
    PUBLIC_URL: base,
    // The stack's own API has its dispatcher off; this one's does the dispatching.
    WEBHOOK_DISPATCHER_ENABLED: 'true',
    WEBHOOK_DISPATCH_POLL_MS: '200',
    WEBHOOK_DISPATCH_START_TIMEOUT_MS: '2000',
    WORKER_SHUTDOWN_GRACE_SECONDS: '1',
    LOG_LEVEL: 'error',
  };
  const startApi = () =>
    spawn(process.execPath, ['--import', 'tsx', path.join('api', 'main.ts')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  const startWorker = () =>
    spawnWorker('all.worker.ts', { ...env, TEMPORAL_WORKFLOW_BUNDLE: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE });
  let api: ChildProcess = startApi();
  let worker: ChildProcess = startWorker();
  const client = new Client({
    connection: Connection.lazy({ address: temporal.address }),
    namespace: stack.config.temporal.namespace,
  });

  try {
    await waitFor('the API', async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 90_000, 250);
    const brand = await stack.brand({ name: 'Chaos Roasters' });
    const endpoint = await stack.request('POST', '/api/v1/webhook-endpoints', {
      name: 'Chaos CRM',
      automation: 'social-post',
      inputMapping: { brandId: brand.id, platform: 'linkedin', postType: 'tips', approval: { required: false } },
    });
    if (endpoint.status !== 201) throw new Error(`endpoint: ${endpoint.status}`);
    const signer = new Webhook(endpoint.body.secret);
    began = Date.now();

    const accepted = new Map<string, string>(); // delivery or request id → run id
    let retries = 0;
    /** Sends until answered 200/202 (a sender's retries, the same id each time). */
    const send = async (kind: 'hook' | 'request', id: string) => {
      for (;;) {
        try {
          const body = JSON.stringify(
            kind === 'hook'
              ? { n: id }
              : {
                  automation: 'social-post',
                  requestId: id,
                  input: { brandId: brand.id, platform: 'x', postType: 'tips', approval: { required: false } },
                },
          );
          const res = await fetch(
            kind === 'hook' ? `${base}/api/v1/hooks/${endpoint.body.id}` : `${base}/api/v1/runs`,
            {
              method: 'POST',
              headers:
                kind === 'hook'
                  ? {
                      'content-type': 'application/json',
                      'webhook-id': id,
                      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
                      'webhook-signature': signer.sign(id, new Date(), body),
                    }
                  : {
                      'content-type': 'application/json',
                      authorization: `Bearer ${stack.keys.editor}`,
                      prefer: 'respond-async',
                    },
              body,
              signal: AbortSignal.timeout(10_000),
            },
          );
          const answer = (await res.json()) as { runId?: string };
          if (res.status === 200 || res.status === 202) {
            accepted.set(`${kind}:${id}`, answer.runId!);
            return;
          }
          if (res.status < 500 && res.status !== 429)
            throw new Error(`${kind} ${id}: ${res.status} ${JSON.stringify(answer)}`);
        } catch (err) {
          if ((err as Error).message.startsWith(`${kind} ${id}:`)) throw err;
        }
        retries++;
        await sleep(300);
      }
    };

    const senders = Array.from({ length: options.senders }, async (_, s) => {
      for (let i = 0; Date.now() - began < options.durationMs; i++) {
        await send(i % 3 === 2 ? 'request' : 'hook', `chaos-${s}-${i}`);
        await sleep(options.paceMs);
      }
    });

    let stopChaos = false;
    const chaos = (async () => {
      const plan: [number, () => Promise<void>][] = [];
      for (let t = options.killWorkerEveryMs; t < options.durationMs; t += options.killWorkerEveryMs)
        plan.push([
          t,
          async () => {
            note('SIGKILL the worker');
            await kill(worker);
            await sleep(1_000);
            worker = startWorker();
            note('worker started again');
          },
        ]);
      plan.push([
        options.killApiAtMs,
        async () => {
          note('SIGKILL the API');
          await kill(api);
          api = startApi();
          note('API started again');
        },
      ]);
      plan.push([
        options.restartTemporalAtMs,
        async () => {
          note('stop the Temporal dev server');
          await temporal.stop();
          await sleep(1_000);
          temporal = await devServer();
          note('Temporal dev server started again');
        },
      ]);
      plan.sort((a, b) => a[0] - b[0]);
      for (const [at, act] of plan) {
        await sleep(began + at - Date.now());
        if (stopChaos) return;
        await act();
      }
    })();
    await Promise.all(senders);
    stopChaos = true;
    await chaos;
    note(`${accepted.size} accepted (${retries} retries); waiting for every run to finish`);

    const ids = [...accepted.values()];
    const inbox = async () =>
      stack.db.sequelize.query<{ state: string; n: number }>(
        `SELECT state, count(*)::int AS n FROM webhook_deliveries
          WHERE workspace_id = :ws AND delivery_id LIKE 'chaos-%' GROUP BY state`,
        { replacements: { ws: stack.workspaceId }, type: QueryTypes.SELECT },
      );
    const statuses = async () =>
      Promise.all(
        ids.map(async (id) => {
          try {
            return (await client.workflow.getHandle(id).describe()).status.name;
          } catch {
            return 'NOT_FOUND';
          }
        }),
      );
    await waitFor(
      'every run to complete',
      async () => (await statuses()).every((s) => s === 'COMPLETED'),
      options.settleMs,
      1_000,
    ).catch(() => undefined);

    const count = (rows: { state: string; n: number }[], state: string) => rows.find((r) => r.state === state)?.n ?? 0;
    const rows = await inbox();
    const final = await statuses();
    const executions = await Promise.all(
      ids.map(async (id) => {
        let n = 0;
        for await (const _ of client.workflow.list({ query: `WorkflowId = '${id}'` })) n++;
        return n;
      }),
    );
    const posts = await Promise.all(ids.map((id) => stack.server.services.postRepo.countByWorkflow(id)));
    const check = (name: string, expected: number, actual: number): ChaosInvariant => ({
      name,
      expected,
      actual,
      ok: expected === actual,
    });
    return {
      accepted: accepted.size,
      retries,
      events,
      invariants: [
        check(
          'accepted deliveries and requests in the inbox',
          ids.length,
          rows.reduce((s, r) => s + r.n, 0),
        ),
        check('… dispatched', ids.length, count(rows, 'dispatched')),
        check('runs with exactly one execution', ids.length, executions.filter((n) => n === 1).length),
        check('runs completed', ids.length, final.filter((s) => s === 'COMPLETED').length),
        check('runs that published exactly one post', ids.length, posts.filter((n) => n === 1).length),
        check(
          'posts published in all',
          ids.length,
          posts.reduce((s, n) => s + n, 0),
        ),
        // Apart from runs not finished yet: a side effect repeated.
        check('runs that published more than once', 0, posts.filter((n) => n > 1).length),
      ],
    };
  } finally {
    await kill(worker);
    await kill(api);
    await client.connection.close().catch(() => undefined);
    await temporal.stop();
  }
}

export function invariantsTable(report: ChaosReport): string {
  const rows = report.invariants.map((i) => `${i.ok ? 'ok  ' : 'FAIL'}  ${i.name}: ${i.actual} of ${i.expected}`);
  return [...report.events.map((e) => `      ${e}`), ...rows].join('\n');
}
