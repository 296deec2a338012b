/**
 * `npm run chaos` (not in CI's time budget; `test/integration/chaos.test.ts` is its 2-minute version): the chaos run
 * of test/support/chaos.ts for longer — signed deliveries and asynchronous run requests flowing for
 * `CHAOS_MINUTES` (default 10) while the worker is SIGKILLed every minute, the API once, and the Temporal dev server
 * restarts once — against a PostgreSQL and workflow bundle of its own. Prints the invariants table; exits 1 when
 * one does not hold.
 */
import { Cleanup, preflight, startBenchEnvironment } from './environment';
import { invariantsTable, runChaos } from '../test/support/chaos';
import { startTestStack } from '../test/support/harness';

const log = (line: string) => console.log(`› ${line}`);

async function main(): Promise<number> {
  const minutes = Number(process.env.CHAOS_MINUTES ?? 10);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`CHAOS_MINUTES must be a positive number`);
  const durationMs = minutes * 60_000;
  const cleanup = new Cleanup();
  try {
    const { chromiumPath } = preflight(process.env, { chromium: true });
    await startBenchEnvironment(cleanup, chromiumPath, log);
    const stack = await startTestStack('chaos', {
      workers: [],
      env: { CHROMIUM_PATH: chromiumPath, WEBHOOK_DISPATCHER_ENABLED: 'false' },
    });
    cleanup.add('chaos stack', () => stack.stop());
    const report = await runChaos(stack, {
      durationMs,
      senders: 4,
      // About 0.8 runs a second: what one worker on two cores finishes while it is being killed.
      paceMs: 5_000,
      killWorkerEveryMs: 60_000,
      killApiAtMs: durationMs * 0.3,
      restartTemporalAtMs: durationMs * 0.6,
      settleMs: 5 * 60_000,
      log,
    });
    console.log(`\nChaos run — ${minutes} min, ${report.accepted} accepted (${report.retries} sender retries)`);
    console.log(invariantsTable(report));
    return report.invariants.every((i) => i.ok) ? 0 : 1;
  } finally {
    for (const failure of await cleanup.runAll()) console.error(`teardown: ${failure}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
