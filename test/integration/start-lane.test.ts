/**
 * The start lane (api/start-lane.ts) against the Express route it stands in for: the same requests sent to
 * `POST /api/v1/runs` (the lane) and `POST /api/v1/runs?via=express` (a query string sends it down the full chain)
 * must get the same status, problem document, security headers and run; the lane takes only what it can answer.
 */
import { startTestStack, type TestStack } from '../support/harness';

let stack: TestStack;
let limited: TestStack;
let brandId: string;
const started: { stack: TestStack; id: string }[] = [];

beforeAll(async () => {
  [stack, limited] = await Promise.all([
    startTestStack('start-lane', { workers: [] }),
    startTestStack('start-lane-limit', { workers: [], env: { API_REQUESTS_PER_KEY_PER_MINUTE: '2' } }),
  ]);
  brandId = ((await stack.brand()) as { id: string }).id;
});
afterAll(async () => {
  for (const run of started)
    await run.stack.client.workflow
      .getHandle(run.id)
      .terminate('test clean-up')
      .catch(() => undefined);
  await Promise.all([stack?.stop(), limited?.stop()]);
});

const LANE = '/api/v1/runs';
const EXPRESS = '/api/v1/runs?via=express';
const input = () => ({
  brandId,
  platform: 'instagram',
  postType: 'educational',
  approval: { required: true, timeoutSeconds: 3600, onTimeout: 'reject' },
});

type Sent = { status: number; headers: Headers; body: any };

/** What must agree between the two routes: status, type, problem (its `instance` names the URL asked) and headers. */
function comparable(res: Sent) {
  const { instance: _instance, ...problem } = (res.body ?? {}) as Record<string, unknown>;
  const security = [
    'content-security-policy',
    'x-frame-options',
    'referrer-policy',
    'x-content-type-options',
    'cross-origin-opener-policy',
    'origin-agent-cluster',
    'x-dns-prefetch-control',
    'x-download-options',
    'x-permitted-cross-domain-policies',
    'x-xss-protection',
    'retry-after',
  ].map((name) => [name, res.headers.get(name)]);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    security,
    problem: res.headers.get('content-type')?.startsWith('application/problem+json') ? problem : undefined,
  };
}

async function both(
  target: TestStack,
  send: (path: string) => Promise<Sent>,
): Promise<{ lane: Sent; express: Sent; laneServed: number }> {
  const before = target.server.lane.served();
  const lane = await send(LANE);
  const laneServed = target.server.lane.served() - before;
  const express = await send(EXPRESS);
  expect(target.server.lane.served() - before).toBe(laneServed);
  for (const res of [lane, express]) if (res.status === 201) started.push({ stack: target, id: res.body.id });
  expect(comparable(lane)).toEqual(comparable(express));
  return { lane, express, laneServed };
}

describe('the start lane', () => {
  it('starts a run as the Express route does, and finds it again by its requestId', async () => {
    const first = await both(stack, (path) =>
      stack.request(
        'POST',
        path,
        { automation: 'social-post', requestId: `lane-${path.length}`, input: input() },
        {
          headers: { 'x-request-id': 'trace-me' },
        },
      ),
    );
    expect(first.laneServed).toBe(1);
    expect(first.lane.status).toBe(201);
    for (const res of [first.lane, first.express]) {
      expect(res.headers.get('x-request-id')).toBe('trace-me');
      expect(res.headers.get('location')).toBe(`/api/v1/runs/${encodeURIComponent(res.body.id)}`);
    }
    const shape = (run: Record<string, unknown>) => ({
      ...run,
      id: expect.stringMatching(/^social-post\//),
      runId: expect.any(String),
      startTime: expect.any(String),
      temporalUrl: expect.any(String),
    });
    expect(shape(first.lane.body)).toEqual(shape(first.express.body));
    expect(first.lane.body).toMatchObject({ automation: 'social-post', status: 'running', brandId, input: input() });

    // The same requestId again: the same run, 200, whichever route sent it first.
    const again = await both(stack, (path) =>
      stack.request('POST', path, { automation: 'social-post', requestId: `lane-${LANE.length}`, input: input() }),
    );
    expect(again.lane.status).toBe(200);
    expect([again.lane.body.id, again.express.body.id]).toEqual([first.lane.body.id, first.lane.body.id]);
  });

  it('refuses what the Express route refuses, with the same problem document', async () => {
    const raw = (text: string, key?: string | null) => (path: string) =>
      stack.request('POST', path, undefined, { raw: text, key, headers: { 'content-type': 'application/json' } });
    const json = (body: unknown, key?: string | null) => raw(JSON.stringify(body), key);
    const valid = { automation: 'social-post', input: input() };
    const cases: [string, (path: string) => Promise<Sent>, number][] = [
      ['malformed JSON', raw('{"automation":'), 400],
      ['a JSON string, not an object', raw('"social-post"'), 400],
      [
        'a byte-order mark before the JSON is read as JSON',
        raw(`\ufeff${JSON.stringify({ automation: 'nope' })}`),
        400,
      ],
      ['a prototype key', raw('{"automation":"social-post","__proto__":{"admin":true}}'), 400],
      ['an unknown API key', json(valid, 'sf_not-a-key'), 401],
      [
        'another scheme',
        (path) =>
          stack.request('POST', path, valid, { key: null, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
        401,
      ],
      ['a viewer', json(valid, stack.keys.viewer), 403],
      ['an unknown automation', json({ automation: 'nope', input: {} }), 400],
      ['an unknown field', json({ ...valid, extra: 1 }), 400],
      ['an invalid input', json({ automation: 'social-post', input: { ...input(), platform: 'myspace' } }), 400],
      [
        'an unknown brand',
        json({ automation: 'social-post', input: { ...input(), brandId: crypto.randomUUID() } }),
        404,
      ],
      ['malformed JSON with an unknown key: the JSON is read first', raw('{', 'sf_not-a-key'), 400],
    ];
    for (const [what, send, status] of cases) {
      const { lane, laneServed } = await both(stack, send);
      expect({ what, status: lane.status, laneServed }).toEqual({ what, status, laneServed: 1 });
      expect(lane.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    }
    const invalid = await json({ automation: 'social-post', input: { ...input(), platform: 'myspace' } })(LANE);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toContain('input.platform');
  });

  it('counts against the same per-key limit as the Express route', async () => {
    const limitedBrand = ((await limited.brand()) as { id: string }).id;
    const body = (n: number) => ({
      automation: 'social-post',
      requestId: `limit-${n}`,
      input: { ...input(), brandId: limitedBrand },
    });
    // brand() used one of the key's two requests this minute.
    const first = await limited.request('POST', LANE, body(1));
    expect(first.status).toBe(201);
    started.push({ stack: limited, id: first.body.id });
    const refused = await both(limited, (path) => limited.request('POST', path, body(2)));
    expect(refused.lane.status).toBe(429);
    expect(Number(refused.lane.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('leaves to Express what it does not take: sessions, asynchronous acceptance, empty and chunked bodies', async () => {
    const before = stack.server.lane.served();
    const asyncStart = await stack.request(
      'POST',
      LANE,
      { automation: 'social-post', requestId: 'lane-async', input: input() },
      { headers: { prefer: 'respond-async' } },
    );
    expect(asyncStart.status).toBe(202);
    const session = await stack.request('POST', LANE, { automation: 'social-post', input: input() }, { key: null });
    expect(session.status).toBe(401);
    const empty = await stack.request('POST', LANE, undefined, {
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('automation');
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"automation":"nope",'));
        controller.enqueue(new TextEncoder().encode('"input":{}}'));
        controller.close();
      },
    });
    const chunked = await fetch(`${stack.baseUrl}${LANE}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(400);
    expect(stack.server.lane.served()).toBe(before);
  });
});
