/**
 * The API process (`api/main.ts`, spawned as `npm start` runs it) started while Temporal is unreachable: it serves,
 * accepts signed webhook deliveries into the inbox, and once Temporal answers at that address (a TCP proxy to the
 * shared dev server, opened later; the dev server itself is never stopped) its dispatcher starts each delivery
 * once. SIGTERM then stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Webhook } from 'standardwebhooks';
import { maintenanceScheduleId } from '../../api/maintenance-schedule';
import { freePort } from '../../temporal/dev-server';
import { startTestStack, waitFor, type TestStack } from '../support/harness';

jest.setTimeout(180_000);

let stack: TestStack;
let api: ChildProcess | undefined;
let proxy: net.Server | undefined;
const prefix = () => `${stack.name}-proc-`;

/** Forwards every connection on `port` to Temporal's real address: Temporal "comes back" there. */
function openProxy(port: number, target: string): Promise<net.Server> {
  const [host, targetPort] = [target.slice(0, target.lastIndexOf(':')), Number(target.split(':').pop())];
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, host);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function exists(workflowId: string): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

beforeAll(async () => {
  stack = await startTestStack('api-no-temporal', { workers: [] });
});
afterAll(async () => {
  if (api && api.exitCode === null) api.kill('SIGKILL');
  await stack?.client.schedule
    .getHandle(maintenanceScheduleId(`${prefix()}main`))
    .delete()
    .catch(() => undefined);
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await stack?.stop();
});

it('starts and accepts deliveries with Temporal unreachable, starts each once when it answers, stops on SIGTERM', async () => {
  const brand = await stack.brand({ name: 'Offline Roasters' });
  const endpoint = await stack.request('POST', '/api/v1/webhook-endpoints', {
    name: 'Offline CRM',
    automation: 'social-post',
    inputMapping: { brandId: brand.id, platform: 'linkedin', postType: 'tips' },
  });
  expect(endpoint.status).toBe(201);

  const [temporalPort, apiPort] = [await freePort(), await freePort()];
  api = spawn(process.execPath, ['--import', 'tsx', path.join('api', 'main.ts')], {
    cwd: path.resolve(__dirname, '..', '..'),
    // The stack's database and data directory (its sealing key opens the endpoint's secret), a Temporal nobody is at.
    env: {
      ...process.env,
      ...stack.env,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_TASK_QUEUE_PREFIX: prefix(),
      API_PORT: String(apiPort),
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      WEBHOOK_DISPATCH_POLL_MS: '200',
      WEBHOOK_DISPATCH_START_TIMEOUT_MS: '1000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => api!.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${apiPort}`;
  await waitFor('the API', async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 60_000, 250);

  const runIds: string[] = [];
  for (const id of ['msg_offline_1', 'msg_offline_2', 'msg_offline_3']) {
    const body = JSON.stringify({ id });
    const res = await fetch(`${base}/api/v1/hooks/${endpoint.body.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': new Webhook(endpoint.body.secret).sign(id, new Date(), body),
      },
      body,
    });
    expect(res.status).toBe(202);
    runIds.push(((await res.json()) as { runId: string }).runId);
  }
  const deliveries = async () =>
    (await stack.request('GET', `/api/v1/webhook-endpoints/${endpoint.body.id}/deliveries`)).body.items as {
      state: string;
      lastError: string | null;
    }[];
  await waitFor('a start the dispatcher could not make', async () =>
    (await deliveries()).some((d) => d.lastError?.includes('Temporal unreachable')),
  );
  expect((await deliveries()).map((d) => d.state)).toEqual(['pending', 'pending', 'pending']);
  for (const id of runIds) expect(await exists(id)).toBe(false);

  proxy = await openProxy(temporalPort, stack.config.temporal.address);
  await waitFor(
    'the inbox drained',
    async () => (await deliveries()).every((d) => d.state === 'dispatched'),
    90_000,
    250,
  );
  for (const id of runIds) {
    const description = await stack.client.workflow.getHandle(id).describe();
    expect(description.taskQueue).toBe(`${prefix()}main`);
    await stack.client.workflow.getHandle(id).terminate('test over');
  }

  api.kill('SIGTERM');
  expect(await exited).toBe(0);
});
