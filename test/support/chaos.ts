/**
 * The chaos run of issue 16: signed webhook deliveries and asynchronous run requests for social posts and brand
 * reports (test/support/chaos-traffic.ts) flow into a real API process and a real worker process, on a PostgreSQL and
 * a Temporal dev server of the run's own (test/support/chaos-stack.ts), while the worker is SIGKILLed and started
 * again, the API is SIGKILLed and started again, PostgreSQL is stopped for a while and started again, and the Temporal
 * dev server is stopped and started again on the same port and database file. Nothing else restarts anything: the
 * API, the dispatcher and the worker must recover on their own.
 *
 * Afterwards the invariants of test/support/chaos-invariants.ts. `test/integration/chaos.test.ts` runs a short
 * version in CI; `npm run chaos` a longer one.
 */
import type { ChaosStack } from './chaos-stack';
import { checkInvariants, type ChaosInvariant } from './chaos-invariants';
import { prepareTraffic } from './chaos-traffic';

export type { ChaosInvariant };

export interface ChaosOptions {
  /** How long deliveries keep coming. */
  durationMs: number;
  senders: number;
  /** Pause between two deliveries of one sender. */
  paceMs: number;
  /** A SIGKILL of the worker (started again 1 s later) every this often. */
  killWorkerEveryMs: number;
  /** When, from the start, the API is SIGKILLed (and started again) and the Temporal dev server restarts. */
  killApiAtMs: number;
  restartTemporalAtMs: number;
  /** When PostgreSQL is stopped, and for how long. */
  stopPostgresAtMs: number;
  postgresDownMs: number;
  /** How long the runs get to finish after the last delivery. */
  settleMs: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  accepted: number;
  byAutomation: Record<string, number>;
  retries: number;
  /** Refusals the senders retried, by answer (`500`, `503`, `network`). */
  refusals: Record<string, number>;
  events: string[];
  invariants: ChaosInvariant[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const PREFIX = 'chaos-';

export async function runChaos(chaos: ChaosStack, options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const events: string[] = [];
  let began = Date.now();
  const note = (e: string) => {
    events.push(`${((Date.now() - began) / 1000).toFixed(1)} s ${e}`);
    log(e);
  };
  const { processes } = chaos;
  const traffic = await prepareTraffic(chaos.stack, processes.base);
  note('processes up, brands and endpoints ready');
  // The clock of the schedule starts once the setup is done.
  began = Date.now();

  let stopChaos = false;
  const plan: [number, () => Promise<void>][] = [];
  for (let t = options.killWorkerEveryMs; t < options.durationMs; t += options.killWorkerEveryMs)
    plan.push([
      t,
      async () => {
        note('SIGKILL the worker');
        await processes.restartWorker(1_000);
        note('worker started again');
      },
    ]);
  plan.push([
    options.killApiAtMs,
    async () => {
      note('SIGKILL the API');
      await processes.restartApi();
      note('API started again');
    },
  ]);
  plan.push([
    options.stopPostgresAtMs,
    async () => {
      note('stop PostgreSQL');
      await chaos.database.stop();
      await sleep(options.postgresDownMs);
      await chaos.database.start();
      note('PostgreSQL started again');
    },
  ]);
  plan.push([
    options.restartTemporalAtMs,
    async () => {
      note('stop the Temporal dev server');
      await chaos.temporal.stop();
      await sleep(1_000);
      await chaos.temporal.start();
      note('Temporal dev server started again');
    },
  ]);
  plan.sort((a, b) => a[0] - b[0]);
  // One act at a time, in order: one that runs long (PostgreSQL down) delays the next rather than overlapping it.
  const acts = (async () => {
    for (const [at, act] of plan) {
      await sleep(began + at - Date.now());
      if (stopChaos) return;
      await act();
    }
  })();
  await traffic.run({
    senders: options.senders,
    paceMs: options.paceMs,
    prefix: PREFIX,
    done: () => Date.now() - began >= options.durationMs,
  });
  stopChaos = true;
  await acts;
  const accepted = [...traffic.accepted.values()];
  note(`${accepted.length} accepted (${traffic.retries()} retries); waiting for every run to finish`);

  const invariants = await checkInvariants(chaos, chaos.stack.client, accepted, PREFIX, options.settleMs, (...l) =>
    l.forEach((line) => note(`not completed: ${line}`)),
  );
  const byAutomation: Record<string, number> = {};
  for (const a of accepted) byAutomation[a.automation] = (byAutomation[a.automation] ?? 0) + 1;
  return {
    accepted: accepted.length,
    byAutomation,
    retries: traffic.retries(),
    refusals: Object.fromEntries(traffic.refusals),
    events,
    invariants,
  };
}

export function invariantsTable(report: ChaosReport): string {
  const rows = report.invariants.map((i) => `${i.ok ? 'ok  ' : 'FAIL'}  ${i.name}: ${i.actual} of ${i.expected}`);
  const mix = Object.entries(report.byAutomation).map(([a, n]) => `${n} ${a}`);
  const refusals = Object.entries(report.refusals).map(([why, n]) => `${why} ×${n}`);
  return [
    ...report.events.map((e) => `      ${e}`),
    `      accepted: ${mix.join(', ')}; refusals retried: ${refusals.join(', ') || 'none'}`,
    ...rows,
  ].join('\n');
}
