/**
 * The chaos run's short version (issue 16; the long one is `npm run chaos`): deliveries and asynchronous run requests
 * for social posts and brand reports flow while the worker is SIGKILLed, the API is SIGKILLed, PostgreSQL stops for a
 * few seconds and the Temporal dev server restarts; afterwards none is lost, none started twice, every run completed,
 * each post published once and each report rendered and mailed once. test/support/chaos.ts does the work, on a
 * PostgreSQL and Temporal of its own (test/support/chaos-stack.ts), so stopping them does not touch other files.
 */
import { invariantsTable, runChaos } from '../support/chaos';
import { startChaosStack, type ChaosStack } from '../support/chaos-stack';

// The file took 166 s on 2 cores at load ≈ 20 (43 s of setup, 20 s of traffic with the senders held up by the
// outages, the runs finishing); the limit leaves room for a slower machine.
jest.setTimeout(240_000);

let chaos: ChaosStack;

beforeAll(async () => {
  const t0 = Date.now();
  chaos = await startChaosStack('chaos');
  process.stderr.write(`chaos: stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
});
afterAll(async () => {
  await chaos?.stop();
});

it('loses no delivery, starts no run twice and repeats no side effect through kills and restarts', async () => {
  const report = await runChaos(chaos, {
    durationMs: 20_000,
    senders: 2,
    paceMs: 1_500,
    // In this order so that each outage meets warm processes: PostgreSQL first (the API is up and answering).
    stopPostgresAtMs: 2_000,
    postgresDownMs: 5_000,
    killWorkerEveryMs: 9_000,
    killApiAtMs: 12_000,
    restartTemporalAtMs: 15_000,
    settleMs: 90_000,
    // As it happens: a run that times out still shows how far it got.
    log: (line) => process.stderr.write(`chaos: ${line}\n`),
  });
  const table = invariantsTable(report);
  console.log(`chaos run:\n${table}`);
  expect(report.accepted).toBeGreaterThanOrEqual(6);
  expect(report.byAutomation['brand-report']).toBeGreaterThanOrEqual(1);
  for (const event of ['API started again', 'PostgreSQL started again', 'Temporal dev server started again'])
    expect(report.events.some((e) => e.includes(event))).toBe(true);
  expect({ table, failed: report.invariants.filter((i) => !i.ok).map((i) => i.name) }).toEqual({ table, failed: [] });
});
