/**
 * The chaos run's short version (issue 16; the long one is `npm run chaos`): deliveries and asynchronous run requests
 * flow while the worker is SIGKILLed, the API is SIGKILLed and the Temporal dev server restarts; afterwards none is
 * lost, none started twice, every run completed and published exactly once. test/support/chaos.ts does the work.
 */
import { invariantsTable, runChaos } from '../support/chaos';
import { startTestStack, type TestStack } from '../support/harness';

// The file takes ~110 s on a 2-core machine at load 10–16 (setup, 24 s of traffic, the runs finishing).
jest.setTimeout(170_000);

let stack: TestStack;

beforeAll(async () => {
  // The stack serves only the setup (brand, endpoint, keys) and reads the database: the chaos run brings its own
  // API, worker and Temporal dev server.
  stack = await startTestStack('chaos', { workers: [], env: { WEBHOOK_DISPATCHER_ENABLED: 'false' } });
});
afterAll(async () => {
  await stack?.stop();
});

it('loses no delivery, starts no run twice and repeats no side effect through kills and a Temporal restart', async () => {
  const report = await runChaos(stack, {
    durationMs: 24_000,
    senders: 2,
    paceMs: 1_500,
    killWorkerEveryMs: 10_000,
    killApiAtMs: 6_000,
    restartTemporalAtMs: 14_000,
    settleMs: 90_000,
  });
  const table = invariantsTable(report);
  console.log(`chaos run:\n${table}`);
  expect(report.accepted).toBeGreaterThanOrEqual(10);
  expect(report.events.some((e) => e.includes('SIGKILL the API'))).toBe(true);
  expect(report.events.some((e) => e.includes('Temporal dev server started again'))).toBe(true);
  expect({ table, failed: report.invariants.filter((i) => !i.ok).map((i) => i.name) }).toEqual({ table, failed: [] });
});
