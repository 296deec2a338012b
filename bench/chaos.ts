/**
 * `npm run chaos` (not in CI's time budget; `test/integration/chaos.test.ts` is its short version): the chaos run of
 * test/support/chaos.ts for longer — signed deliveries and asynchronous run requests for social posts and brand
 * reports flowing for `CHAOS_MINUTES` (default 10) while the worker is SIGKILLed every minute, the API once,
 * PostgreSQL stops for 30 s once and the Temporal dev server restarts once — on a PostgreSQL, Temporal dev server and
 * workflow bundle of its own. Prints the events and the invariants table; exits 1 when one does not hold.
 * `npm run soak` (bench/soak.ts) is the same load for an hour without the kills.
 */
import { Cleanup, preflight, startBenchEnvironment } from './environment';
import { invariantsTable, runChaos } from '../test/support/chaos';
import { startChaosStack } from '../test/support/chaos-stack';

const log = (line: string) => console.log(`› ${line}`);

async function main(): Promise<number> {
  const minutes = Number(process.env.CHAOS_MINUTES ?? 10);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`CHAOS_MINUTES must be a positive number`);
  const durationMs = minutes * 60_000;
  const cleanup = new Cleanup();
  try {
    const { chromiumPath } = preflight(process.env, { chromium: true });
    await startBenchEnvironment(cleanup, chromiumPath, log);
    const chaos = await startChaosStack('chaos', { env: { CHROMIUM_PATH: chromiumPath } });
    cleanup.add('chaos stack', () => chaos.stop());
    const report = await runChaos(chaos, {
      durationMs,
      senders: 4,
      // About 0.8 runs a second: what one worker on two cores finishes while it is being killed.
      paceMs: 5_000,
      killWorkerEveryMs: 60_000,
      killApiAtMs: durationMs * 0.2,
      stopPostgresAtMs: durationMs * 0.4,
      postgresDownMs: 30_000,
      restartTemporalAtMs: durationMs * 0.7,
      settleMs: 5 * 60_000,
      log,
    });
    console.log(`\nChaos run — ${minutes} min, ${report.accepted} accepted (${report.retries} sender retries)`);
    console.log(invariantsTable(report));
    return report.invariants.every((i) => i.ok) ? 0 : 1;
  } finally {
    for (const failure of await cleanup.runAll(30_000)) console.error(`teardown: ${failure}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
