/**
 * The webhook inbox (issue 16, durable intake): deliveries are accepted with Temporal unreachable and started
 * once it answers, after an API restart; two dispatchers, or a second dispatch of one row, start one run; a failed
 * delivery is queued again by hand; the listing pages newest first. The stack's own dispatcher is off: each test
 * dispatches through the dispatchers and servers it makes, against the shared Temporal dev server (never stopped
 * here: "unreachable" is a client pointed at a port nobody listens on).
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { QueryTypes } from 'sequelize';
import { Webhook } from 'standardwebhooks';
import { startServer, stopServer } from '../../api/server';
import { createDeliveryDispatcher } from '../../api/services/delivery-dispatcher';
import { createRunService } from '../../api/services/run.service';
import { createDeliveryInboxRepository } from '../../db/repositories/delivery-inbox.repository';
import type { Config } from '../../lib/config';
import { freePort } from '../../temporal/dev-server';
import { startTestStack, waitFor, type TestStack } from '../support/harness';

let stack: TestStack;
let endpoint: { id: string; secret: string };
const started: string[] = [];

const signed = (body: string, id: string, secret = endpoint.secret) => ({
  'content-type': 'application/json',
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
  'webhook-signature': new Webhook(secret).sign(id, new Date(), body),
});

/** Delivers to `baseUrl` (the stack's server unless another is given). */
async function deliver(id: string, body: unknown = { kind: 'tips' }, baseUrl = stack.baseUrl) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${baseUrl}/api/v1/hooks/${endpoint.id}`, {
    method: 'POST',
    headers: signed(raw, id),
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const listing = async (query = '') =>
  (await stack.request('GET', `/api/v1/webhook-endpoints/${endpoint.id}/deliveries${query}`)).body;

const deliveryOf = async (deliveryId: string) =>
  (await listing('?limit=100')).items.find((d: { deliveryId: string }) => d.deliveryId === deliveryId);

/** How many executions Temporal has under a workflow id (0 when it never started). */
async function executions(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
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

const dispatcherConfig = (overrides: Partial<Config['webhooks']['dispatcher']> = {}): Config => ({
  ...stack.config,
  webhooks: {
    ...stack.config.webhooks,
    dispatcher: { ...stack.config.webhooks.dispatcher, enabled: true, pollMs: 200, ...overrides },
  },
});

/** A dispatcher of the test's own, not looping: `drain()` claims and starts until nothing is due. */
function dispatcherWith(client: Client, maxAttempts = 5) {
  const runs = createRunService({
    client,
    namespace: stack.config.temporal.namespace,
    taskQueue: stack.config.temporal.taskQueues.main,
    temporalUiUrl: stack.config.temporal.uiUrl,
    automations: stack.server.services.automations,
  });
  return createDeliveryDispatcher({
    inbox: createDeliveryInboxRepository(stack.db),
    runs,
    client,
    taskQueue: stack.config.temporal.taskQueues.main,
    batchSize: 10,
    pollMs: 200,
    maxAttempts,
    retentionDays: 14,
    startTimeoutMs: 1_000,
    retryBaseMs: 60_000,
  });
}

beforeAll(async () => {
  // No worker: the runs stay running on the stack's queue and are terminated at the end.
  stack = await startTestStack('webhook-inbox', { workers: [], env: { WEBHOOK_DISPATCHER_ENABLED: 'false' } });
  const brand = await stack.brand({ name: 'Inbox Roasters' });
  const res = await stack.request('POST', '/api/v1/webhook-endpoints', {
    name: 'CRM',
    automation: 'social-post',
    inputMapping: { brandId: brand.id, platform: 'linkedin', postType: { from: '/kind' } },
  });
  expect(res.status).toBe(201);
  endpoint = res.body;
});
afterAll(async () => {
  for (const id of started)
    await stack.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await stack?.stop();
});

describe('the webhook inbox', () => {
  it('accepts deliveries while Temporal is unreachable and starts each once after it returns, across an API restart', async () => {
    const deadClient = new Client({
      connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }),
      namespace: stack.config.temporal.namespace,
    });
    const down = await startServer(
      { config: dispatcherConfig({ startTimeoutMs: 1_000 }), db: stack.db, temporal: deadClient },
      { port: 0, host: '127.0.0.1' },
    );
    const ids = ['msg_down_1', 'msg_down_2', 'msg_down_3', 'msg_down_4'];
    const accepted = [];
    for (const id of ids) accepted.push(await deliver(id, { kind: 'tips' }, down.url));
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    for (const r of accepted) expect(r.body).toMatchObject({ state: 'pending', duplicate: false });
    const runIds = accepted.map((r) => r.body.runId as string);
    started.push(...runIds);

    // The dispatcher tried: Temporal unreachable keeps the rows pending, the attempt not counted.
    await waitFor('a failed start', async () => (await deliveryOf('msg_down_1'))?.lastError);
    await stopServer(down);
    await deadClient.connection.close().catch(() => undefined);
    for (const id of runIds) expect(await exists(id)).toBe(false);
    const first = await deliveryOf('msg_down_1');
    expect(first).toMatchObject({ state: 'pending', attempts: 0 });
    expect(first.lastError).toMatch(/Temporal unreachable/);
    for (const id of ids) expect((await deliveryOf(id)).state).toBe('pending');

    // A new API process on the same database, with Temporal there: the backlog drains on its own.
    const up = await startServer({ config: dispatcherConfig(), db: stack.db, temporal: stack.client }, { port: 0 });
    try {
      await waitFor('the backlog dispatched', async () => {
        const items = (await listing('?limit=100')).items.filter((d: any) => ids.includes(d.deliveryId));
        return items.every((d: any) => d.state === 'dispatched');
      });
    } finally {
      await stopServer(up);
    }
    for (const id of runIds) {
      expect(await exists(id)).toBe(true);
      expect(await waitFor(`visibility of ${id}`, async () => (await executions(id)) || undefined)).toBe(1);
    }
    const run = await stack.request('GET', `/api/v1/runs/${encodeURIComponent(runIds[0])}`);
    expect(run.body).toMatchObject({ automation: 'social-post', startedBy: 'webhook:CRM', status: 'running' });
    expect(run.body.input).toMatchObject({ postType: 'tips', platform: 'linkedin' });
  });

  it('starts one run when two dispatchers race, and when a dispatched row is dispatched again', async () => {
    const ids = ['msg_race_1', 'msg_race_2', 'msg_race_3'];
    const runIds: string[] = [];
    for (const id of ids) {
      const res = await deliver(id);
      expect(res.status).toBe(202);
      runIds.push(res.body.runId);
    }
    started.push(...runIds);
    const [a, b] = [dispatcherWith(stack.client), dispatcherWith(stack.client)];
    const claimed = await Promise.all([a.drain(), b.drain()]);
    expect(claimed[0] + claimed[1]).toBe(ids.length);
    for (const id of ids) expect((await deliveryOf(id)).state).toBe('dispatched');
    const firstRun = (await stack.client.workflow.getHandle(runIds[0]).describe()).runId;

    // The same row once more (a dispatcher that died before marking it, its lease over): Temporal refuses the id,
    // and the row is done.
    await stack.db.sequelize.query(
      `UPDATE webhook_deliveries SET state = 'pending', dispatched_at = NULL, next_attempt_at = now()
        WHERE endpoint_id = :endpointId AND delivery_id = :deliveryId`,
      { replacements: { endpointId: endpoint.id, deliveryId: ids[0] }, type: QueryTypes.UPDATE },
    );
    expect(await a.drain()).toBe(1);
    expect((await deliveryOf(ids[0])).state).toBe('dispatched');
    expect((await stack.client.workflow.getHandle(runIds[0]).describe()).runId).toBe(firstRun);
    for (const id of runIds)
      expect(await waitFor(`visibility of ${id}`, async () => (await executions(id)) || undefined)).toBe(1);

    // A replayed delivery adds nothing and answers with the first.
    const replay = await deliver(ids[1]);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ duplicate: true, state: 'dispatched', runId: runIds[1] });
  });

  it('marks a delivery failed after its attempts, and dispatches it again by hand', async () => {
    const res = await deliver('msg_fail_1', { kind: 'announcement' });
    expect(res.status).toBe(202);
    started.push(res.body.runId);
    // A start Temporal refuses (not unreachable): a namespace that does not exist.
    const refused = dispatcherWith(
      new Client({ connection: stack.client.connection, namespace: `missing-${stack.name}` }),
      1,
    );
    await refused.drain();
    const failed = await deliveryOf('msg_fail_1');
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.lastError).toMatch(/namespace/i);
    expect(await exists(res.body.runId)).toBe(false);
    const onlyFailed = await listing('?state=failed');
    expect(onlyFailed.items.map((d: any) => d.deliveryId)).toEqual(['msg_fail_1']);

    const url = `/api/v1/webhook-endpoints/${endpoint.id}/deliveries/msg_fail_1/dispatch`;
    expect((await stack.request('POST', url, undefined, { key: stack.keys.editor })).status).toBe(403);
    const again = await stack.request('POST', url);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ deliveryId: 'msg_fail_1', state: 'pending', attempts: 0 });
    // Only a failed delivery goes back: a pending one is a conflict, an unknown one is not there.
    expect((await stack.request('POST', url)).status).toBe(409);
    const unknown = `/api/v1/webhook-endpoints/${endpoint.id}/deliveries/msg_nobody_sent/dispatch`;
    expect((await stack.request('POST', unknown)).status).toBe(404);

    expect(await dispatcherWith(stack.client).drain()).toBe(1);
    expect(await deliveryOf('msg_fail_1')).toMatchObject({ state: 'dispatched', lastError: null });
    expect(await exists(res.body.runId)).toBe(true);
  });

  it("keeps an endpoint's order: a later delivery waits while an earlier one backs off; other endpoints do not", async () => {
    const other = await stack.request('POST', '/api/v1/webhook-endpoints', {
      name: 'Second CRM',
      automation: 'social-post',
      inputMapping: { brandId: (await stack.brand({ name: 'Order Roasters' })).id, platform: 'x', postType: 'tips' },
    });
    expect(other.status).toBe(201);
    const first = await deliver('msg_order_1');
    const second = await deliver('msg_order_2');
    const raw = JSON.stringify({});
    const elsewhere = await fetch(`${stack.baseUrl}/api/v1/hooks/${other.body.id}`, {
      method: 'POST',
      headers: signed(raw, 'msg_order_other', other.body.secret),
      body: raw,
    });
    expect([first.status, second.status, elsewhere.status]).toEqual([202, 202, 202]);
    const otherRun = ((await elsewhere.json()) as { runId: string }).runId;
    started.push(first.body.runId, second.body.runId, otherRun);

    // The first is refused once (an attempt counted, retried in a minute): the second must not overtake it.
    const refused = dispatcherWith(
      new Client({ connection: stack.client.connection, namespace: `missing-${stack.name}` }),
      5,
    );
    await refused.drain();
    expect(await deliveryOf('msg_order_1')).toMatchObject({ state: 'pending', attempts: 1 });
    expect(await deliveryOf('msg_order_2')).toMatchObject({ state: 'pending', attempts: 0 });
    // The other endpoint's delivery was refused too; its backoff cut short, it starts on its own.
    await stack.db.sequelize.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now()
        WHERE endpoint_id = :endpointId AND delivery_id = 'msg_order_other'`,
      { replacements: { endpointId: other.body.id }, type: QueryTypes.UPDATE },
    );
    const real = dispatcherWith(stack.client);
    expect(await real.drain()).toBe(1);
    expect(await exists(otherRun)).toBe(true);
    expect(await exists(second.body.runId)).toBe(false);

    // Its backoff over, the first starts, then the second.
    await stack.db.sequelize.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now()
        WHERE endpoint_id = :endpointId AND delivery_id = 'msg_order_1'`,
      { replacements: { endpointId: endpoint.id }, type: QueryTypes.UPDATE },
    );
    expect(await real.drain()).toBe(2);
    const [a, b] = await Promise.all(
      [first.body.runId, second.body.runId].map((id) => stack.client.workflow.getHandle(id).describe()),
    );
    expect(a.startTime.getTime()).toBeLessThanOrEqual(b.startTime.getTime());
    expect(await deliveryOf('msg_order_1')).toMatchObject({ state: 'dispatched', attempts: 2, lastError: null });
  });

  it('lists deliveries newest first with a state filter and cursor pages; bad input is recorded nowhere', async () => {
    const bad = await deliver('msg_bad_input', { kind: 'rant' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toContain('input.postType');
    for (const id of ['msg_page_1', 'msg_page_2', 'msg_page_3']) {
      expect((await deliver(id)).status).toBe(202);
      await new Promise((r) => setTimeout(r, 5));
    }
    const pending = await listing('?state=pending&limit=2');
    expect(pending.items.map((d: any) => d.deliveryId)).toEqual(['msg_page_3', 'msg_page_2']);
    expect(pending.items[0]).toMatchObject({ state: 'pending', automation: 'social-post', attempts: 0 });
    expect(pending.nextCursor).toEqual(expect.any(String));
    const next = await listing(`?state=pending&limit=2&cursor=${pending.nextCursor}`);
    expect(next.items.map((d: any) => d.deliveryId)).toEqual(['msg_page_1']);
    expect(next.nextCursor).toBeNull();

    const all = await listing('?limit=100');
    const ids = all.items.map((d: any) => d.deliveryId);
    expect(ids).not.toContain('msg_bad_input');
    const times = all.items.map((d: any) => d.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);

    expect((await listing('?cursor=not-a-cursor')).errors?.[0]?.field).toBe('cursor');
    const base = `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`;
    expect((await stack.request('GET', base, undefined, { key: stack.keys.editor })).status).toBe(403);
    const other = '/api/v1/webhook-endpoints/00000000-0000-4000-8000-000000000000/deliveries';
    expect((await stack.request('GET', other)).status).toBe(404);

    started.push(...all.items.map((d: any) => d.runId));
    await dispatcherWith(stack.client).drain();
  });

  it('prunes dispatched rows older than the retention', async () => {
    await stack.db.sequelize.query(
      `UPDATE webhook_deliveries SET dispatched_at = now() - interval '20 days'
        WHERE endpoint_id = :endpointId AND delivery_id = 'msg_page_1'`,
      { replacements: { endpointId: endpoint.id }, type: QueryTypes.UPDATE },
    );
    expect(await createDeliveryInboxRepository(stack.db).prune(14)).toBeGreaterThanOrEqual(1);
    const ids = (await listing('?limit=100')).items.map((d: any) => d.deliveryId);
    expect(ids).not.toContain('msg_page_1');
    expect(ids).toContain('msg_page_2');
  });
});
