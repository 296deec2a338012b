/**
 * Inbound webhooks signed by the official `standardwebhooks` client: every rejection,
 * the input mapping, and a replayed delivery that starts nothing new. The inbox and its dispatcher are
 * exercised in webhook-inbox.test.ts.
 */
import { Webhook } from 'standardwebhooks';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';

let stack: TestStack;
let brand: { id: string };
let endpoint: { id: string; secret: string; url: string };

const deliver = (body: string, headers: Record<string, string>, id = endpoint.id) =>
  stack.request('POST', `/api/v1/hooks/${id}`, undefined, {
    key: null,
    raw: body,
    headers: { 'content-type': 'application/json', ...headers },
  });

function sign(body: string, options: { id?: string; at?: Date; secret?: string } = {}) {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? endpoint.secret).sign(id, at, body);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

beforeAll(async () => {
  stack = await startTestStack('webhooks', { workers: ['main', 'browser'] });
  brand = await stack.brand({ name: 'Northwind Bikes', keywords: ['gravel', 'commuting'] });
  const res = await stack.request('POST', '/api/v1/webhook-endpoints', {
    name: 'CMS brief form',
    automation: 'social-post',
    inputMapping: {
      brandId: brand.id,
      platform: { from: '/channel', default: 'linkedin' },
      postType: { from: '/kind' },
      topic: { from: '/brief/title' },
      approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' },
    },
  });
  expect(res.status).toBe(201);
  expect(res.body.secret).toMatch(/^whsec_/);
  endpoint = res.body;
});
afterAll(async () => {
  await stack?.stop();
});

describe('inbound webhooks', () => {
  it('starts the mapped automation for a signed delivery, once per webhook-id', async () => {
    const body = JSON.stringify({ kind: 'announcement', brief: { title: 'Spring gravel rides' } });
    const headers = sign(body, { id: 'msg_delivery_1' });
    const first = await deliver(body, headers);
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    expect(first.body.runId).toMatch(new RegExp(`^social-post/${brand.id}/hook-`));
    // Accepted into the inbox; the dispatcher starts the run right after.
    expect(first.body).toMatchObject({ deliveryId: 'msg_delivery_1', state: 'pending' });

    const replay = await deliver(body, headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ runId: first.body.runId, duplicate: true });

    // Concurrent duplicates also converge on one run.
    const concurrentBody = JSON.stringify({ kind: 'tips' });
    const concurrentHeaders = sign(concurrentBody, { id: 'msg_concurrent' });
    const both = await Promise.all([
      deliver(concurrentBody, concurrentHeaders),
      deliver(concurrentBody, concurrentHeaders),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 202]);
    expect(both[0].body.runId).toBe(both[1].body.runId);

    const run = await waitForRun(stack, first.body.runId, (r) => r.progress?.approvals?.length === 1);
    expect(run.automation).toBe('social-post');
    expect(run.brandId).toBe(brand.id);
    for (const id of [first.body.runId, both[0].body.runId])
      await stack.request('POST', `/api/v1/runs/${encodeURIComponent(id)}/cancel`);
  });

  it('rejects missing and bad signatures with 401', async () => {
    const body = JSON.stringify({ kind: 'tips' });
    expect((await deliver(body, {})).status).toBe(401);
    const headers = sign(body);
    const tampered = await deliver(JSON.stringify({ kind: 'promotional' }), headers);
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('content-type')).toContain('application/problem+json');
    const wrongSecret = await deliver(
      body,
      sign(body, { secret: `whsec_${Buffer.from('another-secret-of-24-bytes!').toString('base64')}` }),
    );
    expect(wrongSecret.status).toBe(401);
  });

  it('rejects timestamps outside the 5-minute tolerance with 401', async () => {
    const body = JSON.stringify({ kind: 'tips' });
    const stale = await deliver(body, sign(body, { at: new Date(Date.now() - 6 * 60_000) }));
    expect(stale.status).toBe(401);
    expect(stale.body.detail).toMatch(/timestamp/);
    const future = await deliver(body, sign(body, { at: new Date(Date.now() + 6 * 60_000) }));
    expect(future.status).toBe(401);
  });

  it('rejects bodies over 1 MiB with 413 and malformed JSON with 400', async () => {
    const big = JSON.stringify({ kind: 'tips', padding: 'x'.repeat(1024 * 1024) });
    const tooBig = await deliver(big, sign(big));
    expect(tooBig.status).toBe(413);
    const malformed = '{"kind": "tips"';
    const res = await deliver(malformed, sign(malformed));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('body');
  });

  it('answers a delivery whose mapped input is invalid with 400 naming the field, and unknown endpoints with 404', async () => {
    const body = JSON.stringify({ kind: 'rant' });
    const res = await deliver(body, sign(body));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field)).toContain('input.postType');
    const unknown = await deliver(body, sign(body), '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });

  it('only admins manage endpoints, and the secret is shown once', async () => {
    const editor = await stack.request(
      'POST',
      '/api/v1/webhook-endpoints',
      { name: 'x', automation: 'social-post', inputMapping: {} },
      { key: stack.keys.editor },
    );
    expect(editor.status).toBe(403);
    const list = await stack.request('GET', '/api/v1/webhook-endpoints');
    expect(list.body.items.find((e: any) => e.id === endpoint.id)).toBeDefined();
    expect(JSON.stringify(list.body)).not.toContain(endpoint.secret);
    const badAutomation = await stack.request('POST', '/api/v1/webhook-endpoints', {
      name: 'x',
      automation: 'nope',
      inputMapping: {},
    });
    expect(badAutomation.status).toBe(400);
    expect(badAutomation.body.errors[0].field).toBe('automation');
  });
});
