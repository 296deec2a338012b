/**
 * The Temporal dev server (its own, on a SQLite file) stopped while a brand's calendar has entries pending, one of
 * which falls due while it is down, and started again: none is missed, each publishes once. The API's client and the
 * in-process workers reconnect by themselves.
 */
import path from 'node:path';
import { findTemporalCli } from '../../temporal/cli';
import { freePort, startDevServer, type DevServer } from '../../temporal/dev-server';
import { endCalendars, entryOf, localIn, postsOf, waitForEntry } from '../support/calendar-helpers';
import { startTestStack, type TestStack } from '../support/harness';

let server: DevServer;
let stack: TestStack;
let port: number;
const dbFile = path.join(process.env.STUDIOFLOW_TEST_WORK_DIR!, `calendar-restart-${Date.now()}`, 'temporal.db');
const brands: string[] = [];

const startServer = () =>
  startDevServer({
    cliPath: findTemporalCli()!,
    port,
    headless: true,
    dbFile,
    logFile: path.join(path.dirname(dbFile), 'temporal.log'),
  });

beforeAll(async () => {
  port = await freePort();
  server = await startServer();
  stack = await startTestStack('calendar-restart', {
    workers: ['main', 'browser'],
    env: { TEMPORAL_ADDRESS: server.address, CALENDAR_CHECK_LEAD_SECONDS: '2' },
  });
});
afterAll(async () => {
  if (stack) await endCalendars(stack, brands);
  await stack?.stop();
  await server?.stop();
});

it('misses no entry when the Temporal server restarts with entries pending', async () => {
  const brand = await stack.brand({ name: `Restart ${Date.now()}` });
  brands.push(brand.id);
  const create = async (seconds: number, topic: string) => {
    const res = await stack.request('POST', '/api/v1/calendar/entries', {
      brandId: brand.id,
      localAt: localIn('UTC', seconds),
      topic,
      status: 'scheduled',
    });
    expect(res.status).toBe(201);
    expect(res.body.armed).toBe(true);
    return res.body;
  };
  const duringOutage = await create(8, 'Due while the server is down');
  const afterRestart = await create(25, 'Due after the restart');

  await server.stop();
  // Past the first entry's time with no server.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(duringOutage.dueAt) - Date.now()) + 3_000));
  expect((await entryOf(stack, duringOutage.id)).status).toBe('scheduled');
  server = await startServer();

  const [a, b] = await Promise.all([
    waitForEntry(stack, duringOutage.id, 'published', 120_000),
    waitForEntry(stack, afterRestart.id, 'published', 120_000),
  ]);
  const posts = await postsOf(stack, brand.id);
  expect(posts).toHaveLength(2);
  expect(posts.map((p) => p.workflow_id).sort()).toEqual([...a.runs, ...b.runs].sort());
});
