/**
 * Asynchronous `POST /runs` (issue 16, durable intake): with `Prefer: respond-async` a start is accepted once it is in
 * the inbox — while Temporal is unreachable too — and started once by the dispatcher when Temporal answers, across
 * an API restart; a retried requestId finds the first request; bad input is still a 400 at once and recorded nowhere.
 * "Unreachable" is a client pointed at a port nobody listens on (the shared dev server is never stopped here).
 */
import { Client, Connection } from '@temporalio/client';
import { QueryTypes } from 'sequelize';
import { startServer, stopServer, type RunningServer } from '../../api/server';
import type { Config } from '../../lib/config';
import { freePort } from '../../temporal/dev-server';
import { startTestStack, waitFor, type TestStack } from '../support/harness';

let stack: TestStack;
let brandId: string;
const started: string[] = [];

const config = (): Config => ({
  ...stack.config,
  webhooks: {
    ...stack.config.webhooks,
    dispatcher: { ...stack.config.webhooks.dispatcher, enabled: true, pollMs: 200, startTimeoutMs: 1_000 },
  },
});

/** A POST /runs to `server`, with the stack's editor key. */
async function post(server: RunningServer, body: unknown, prefer: string | null = 'respond-async') {
  const res = await fetch(`${server.url}/api/v1/runs`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.keys.editor}`,
      'content-type': 'application/json',
      ...(prefer ? { prefer } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const startBody = (requestId: string, input: Record<string, unknown> = {}) => ({
  automation: 'social-post',
  requestId,
  input: { brandId, platform: 'linkedin', postType: 'tips', ...input },
});

async function executions(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
}

beforeAll(async () => {
  // The stack's own dispatcher is off: each test uses the servers it starts. No worker: the runs stay running.
  stack = await startTestStack('run-requests', { workers: [], env: { WEBHOOK_DISPATCHER_ENABLED: 'false' } });
  brandId = (await stack.brand({ name: 'Async Roasters' })).id;
});
afterAll(async () => {
  for (const id of started)
    await stack.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await stack?.stop();
});

describe('POST /runs with Prefer: respond-async', () => {
  it('accepts while Temporal is unreachable, then a new API process starts each request once', async () => {
    const deadClient = new Client({
      connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }),
      namespace: stack.config.temporal.namespace,
    });
    const down = await startServer({ config: config(), db: stack.db, temporal: deadClient }, { port: 0 });
    const ids = ['async-down-1', 'async-down-2', 'async-down-3'];
    const accepted = [];
    try {
      for (const id of ids) accepted.push(await post(down, startBody(id)));
      expect(accepted.map((r) => r.status)).toEqual([202, 202, 202]);
      const first = accepted[0];
      expect(first.headers.get('location')).toBe('/api/v1/run-requests/async-down-1');
      expect(first.headers.get('preference-applied')).toBe('respond-async');
      expect(first.body).toMatchObject({
        deliveryId: 'async-down-1',
        automation: 'social-post',
        state: 'pending',
        duplicate: false,
        runId: `social-post/${brandId}/async-down-1`,
      });
      started.push(...accepted.map((r) => r.body.runId as string));

      // Still refused at once, and recorded nowhere: bad input, a brand that is not there, a bad requestId.
      const bad = await post(down, startBody('async-bad', { postType: 'rant' }));
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('input.postType');
      expect(
        (await post(down, startBody('async-nobrand', { brandId: '00000000-0000-4000-8000-000000000000' }))).status,
      ).toBe(404);
      const badId = await post(down, startBody('has spaces'));
      expect(badId.status).toBe(400);
      expect(badId.body.errors.map((e: { field: string }) => e.field)).toContain('requestId');
      // A viewer may read, not start.
      const viewer = await fetch(`${down.url}/api/v1/runs`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${stack.keys.viewer}`,
          'content-type': 'application/json',
          prefer: 'respond-async',
        },
        body: JSON.stringify(startBody('async-viewer')),
      });
      expect(viewer.status).toBe(403);

      // The same requestId again: the first request, not a second row.
      const again = await post(down, startBody('async-down-1', { postType: 'announcement' }));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ deliveryId: 'async-down-1', duplicate: true, input: { postType: 'tips' } });

      // The dispatcher tried: Temporal unreachable keeps the request pending, its attempt not counted.
      await waitFor(
        'a failed start',
        async () => (await stack.request('GET', '/api/v1/run-requests/async-down-1')).body.lastError,
      );
    } finally {
      await stopServer(down);
      await deadClient.connection.close().catch(() => undefined);
    }
    const pending = await stack.request('GET', '/api/v1/run-requests/async-down-1');
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ state: 'pending', attempts: 0, dispatchedAt: null });
    expect(pending.body.lastError).toMatch(/Temporal unreachable/);
    const [{ count }] = await stack.db.sequelize.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM webhook_deliveries WHERE endpoint_id IS NULL AND workspace_id = :ws`,
      { replacements: { ws: stack.workspaceId }, type: QueryTypes.SELECT },
    );
    expect(count).toBe(ids.length);
    for (const r of accepted) expect((await stack.request('GET', r.body.url)).status).toBe(404);

    // A new API process on the same database, with Temporal there: the backlog drains on its own.
    const up = await startServer({ config: config(), db: stack.db, temporal: stack.client }, { port: 0 });
    try {
      await waitFor('the requests dispatched', async () => {
        const states = await Promise.all(
          ids.map(async (id) => (await stack.request('GET', `/api/v1/run-requests/${id}`)).body.state),
        );
        return states.every((s) => s === 'dispatched');
      });
    } finally {
      await stopServer(up);
    }
    for (const r of accepted) {
      expect(
        await waitFor(`visibility of ${r.body.runId}`, async () => (await executions(r.body.runId)) || undefined),
      ).toBe(1);
    }
    const run = await stack.request('GET', accepted[0].body.url);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ automation: 'social-post', status: 'running', input: { postType: 'tips' } });
    expect(run.body.startedBy).toEqual(expect.any(String));
  });

  it('without the preference starts at once; a request of a requestId already started is dispatched to that run', async () => {
    const server = await startServer({ config: config(), db: stack.db, temporal: stack.client }, { port: 0 });
    try {
      const sync = await post(server, startBody('sync-then-async'), null);
      expect(sync.status).toBe(201);
      expect(sync.body).toMatchObject({ status: 'running' });
      started.push(sync.body.id);
      const firstRun = sync.body.runId;
      // Other preferences around it are fine.
      const async = await post(server, startBody('sync-then-async'), 'return=minimal, respond-async; wait=5');
      expect(async.status).toBe(202);
      expect(async.body.runId).toBe(sync.body.id);
      await waitFor(
        'the request dispatched',
        async () => (await stack.request('GET', '/api/v1/run-requests/sync-then-async')).body.state === 'dispatched',
      );
      expect((await stack.client.workflow.getHandle(sync.body.id).describe()).runId).toBe(firstRun);
      expect(await waitFor('visibility', async () => (await executions(sync.body.id)) || undefined)).toBe(1);

      // Without a requestId one is made: it names the request.
      const anonymous = await post(server, { automation: 'social-post', input: startBody('x').input });
      expect(anonymous.status).toBe(202);
      expect(anonymous.headers.get('location')).toBe(`/api/v1/run-requests/${anonymous.body.deliveryId}`);
      started.push(anonymous.body.runId);
      await waitFor(
        'the anonymous request dispatched',
        async () => (await stack.request('GET', anonymous.headers.get('location')!)).body.state === 'dispatched',
      );
    } finally {
      await stopServer(server);
    }
    expect((await stack.request('GET', '/api/v1/run-requests/never-sent')).status).toBe(404);
    expect((await stack.request('GET', '/api/v1/run-requests/has%20space')).status).toBe(400);
  });
});
