/**
 * Issue 8, malformed input is a 4xx, never a 500 and never a hang:
 * - every case the issue reported, as a table with the answer each must get;
 * - concurrent first writes of one KPI period all succeed (an upsert, not read-then-insert);
 * - a fuzz test over every operation in the OpenAPI document (and the public pages outside /api/v1): hostile path
 *   segments, query values, cursors and bodies from fast-check, a few thousand requests in all, failing on any 5xx or
 *   any answer slower than 2 s. FUZZ_REQUESTS and FUZZ_SEED repeat or widen a run.
 */
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { startTestStack } from '../support/harness';
import {
  deepJson,
  hostileCursor,
  hostileJson,
  hostilePiece,
  hostileRawBody,
  urlText,
  type UrlPiece,
} from '../support/hostile-input';
import { createWorkspaceFixture, endWorkspaceRuns, type WorkspaceFixture } from '../support/workspace-fixture';

const TOTAL_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const SLOW_MS = 2000;

let fx: WorkspaceFixture;
let doc: any;

beforeAll(async () => {
  // The main worker answers progress queries, so a real run's page is as quick as in production.
  // The limits stay on (a 429 is a fine answer) but high enough that a few thousand requests reach the routes.
  const stack = await startTestStack('security-input', {
    workers: ['main'],
    env: {
      API_REQUESTS_PER_KEY_PER_MINUTE: '100000',
      AUTH_REQUESTS_PER_ADDRESS_PER_MINUTE: '100000',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '100000',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
      WEBHOOK_REQUESTS_PER_ENDPOINT_PER_MINUTE: '100000',
    },
  });
  fx = await createWorkspaceFixture(stack);
  doc = (await stack.request('GET', '/api/v1/openapi.json')).body;
});

afterAll(async () => {
  if (fx) await endWorkspaceRuns(fx);
  await fx?.stack.stop();
});

interface Sent {
  method: string;
  url: string;
  body?: string | Buffer;
  type?: string;
  auth: 'key' | 'none';
}

/** Sends one request; its time is to the end of the body (to the headers for an event stream, then closed). */
async function send(req: Sent): Promise<{ status: number; ms: number; problem: boolean }> {
  const headers: Record<string, string> = {};
  if (req.auth === 'key') headers.authorization = `Bearer ${fx.adminKey}`;
  if (req.type) headers['content-type'] = req.type;
  const started = performance.now();
  const res = await fetch(`${fx.stack.baseUrl}${req.url}`, {
    method: req.method,
    headers,
    body: req.body as BodyInit | undefined,
  });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) await res.body?.cancel();
  else await res.arrayBuffer();
  const ms = performance.now() - started;
  return { status: res.status, ms, problem: (res.headers.get('content-type') ?? '').includes('problem+json') };
}

const sample = (method: string, url: string, body?: unknown): Sent => ({
  method,
  url,
  auth: 'key',
  ...(body === undefined
    ? {}
    : { body: typeof body === 'string' ? body : JSON.stringify(body), type: 'application/json' }),
});

describe('what issue 8 found', () => {
  const b64 = (v: string) => Buffer.from(v).toString('base64url');
  const cases: [string, () => Sent, number][] = [
    ['non-UUID brand cursor', () => sample('GET', `/api/v1/brands?cursor=${b64('2026-01-01T00:00:00Z|abc')}`), 400],
    ['SQL-looking brand cursor', () => sample('GET', `/api/v1/brands?cursor=${b64("x|' OR 1=1 --")}`), 400],
    ['19-digit ledger cursor', () => sample('GET', '/api/v1/credits/ledger?cursor=9999999999999999999'), 400],
    ['garbage runs cursor', () => sample('GET', '/api/v1/runs?cursor=garbage'), 400],
    [
      'KPI period year 0',
      () => sample('PUT', `/api/v1/brands/${fx.objects.brandId}/kpis/0000-01-01`, { views: 1 }),
      400,
    ],
    [
      'KPI period year 0 by CSV',
      () => ({
        method: 'POST',
        url: `/api/v1/brands/${fx.objects.brandId}/kpis/import`,
        body: 'period,views\n0000-01-01,1\n',
        type: 'text/csv',
        auth: 'key',
      }),
      400,
    ],
    [
      'NUL in a webhook input mapping',
      () =>
        sample('POST', '/api/v1/webhook-endpoints', {
          name: 'n',
          automation: 'social-post',
          inputMapping: { a: 'x\u0000' },
        }),
      400,
    ],
    [
      'lone surrogate in a webhook input mapping',
      () =>
        sample('POST', '/api/v1/webhook-endpoints', {
          name: 'n',
          automation: 'social-post',
          inputMapping: { a: '\ud800' },
        }),
      400,
    ],
    [
      'mapping nested 10,000 deep',
      () =>
        sample(
          'POST',
          '/api/v1/webhook-endpoints',
          `{"name":"n","automation":"social-post","inputMapping":${deepJson(10_000)}}`,
        ),
      400,
    ],
    [
      'prototype key in a body',
      () => sample('PATCH', `/api/v1/brands/${fx.objects.brandId}`, '{"__proto__":{"x":1}}'),
      400,
    ],
    ['malformed percent-encoding in an API path', () => sample('GET', '/api/v1/brands/%ff'), 400],
    ['malformed percent-encoding in a channel path', () => ({ method: 'GET', url: '/c/%ff', auth: 'none' }), 400],
    [
      'malformed percent-encoding in a file path',
      () => ({ method: 'GET', url: '/files/posts/%ff', auth: 'none' }),
      400,
    ],
    ['NUL in a channel slug', () => ({ method: 'GET', url: '/c/a%00b', auth: 'none' }), 400],
    [
      'deleting a diagnosis a report was made from',
      () => sample('DELETE', `/api/v1/brands/${fx.objects.brandId}/diagnoses/${fx.objects.diagnosisId}`),
      409,
    ],
  ];

  it.each(cases)('%s → 4xx problem+json, quickly', async (_name, build, expected) => {
    const res = await send(build());
    expect(res.status).toBe(expected);
    expect(res.problem).toBe(true);
    expect(res.ms).toBeLessThan(SLOW_MS);
  });

  it.each([
    ['NUL', '{"type":"tips\\u0000"}', 'type'],
    ['a lone surrogate', '{"type":"\\ud800"}', 'type'],
    ['nesting 10,000 deep', deepJson(10_000), 'a.a.a'],
  ])('refuses a signed delivery whose body holds %s, naming the field', async (_name, body, field) => {
    const id = `msg_${Math.random().toString(36).slice(2)}`;
    const at = new Date();
    const res = await fx.stack.request('POST', `/api/v1/hooks/${fx.objects.webhookEndpointId}`, undefined, {
      key: null,
      raw: body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(fx.objects.webhookSecret).sign(id, at, body),
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field.startsWith(field)).toBe(true);
  });

  it('names the cursor parameter when refusing a cursor', async () => {
    const res = await fx.stack.request('GET', '/api/v1/runs?cursor=garbage');
    expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('records 50 concurrent first writes of one KPI period: all succeed, one row, the last values', async () => {
    const period = '2025-06-02';
    const url = `/api/v1/brands/${fx.objects.brandId}/kpis/${period}`;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fx.stack.request('PUT', url, { followers: 100, views: i })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const kpis = await fx.stack.request('GET', `/api/v1/brands/${fx.objects.brandId}/kpis`);
    const rows = kpis.body.items.filter((k: { period: string }) => k.period === period);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ followers: 100, source: 'manual' });
    expect(results.map((r) => r.body.views)).toContain(rows[0].views);
  });
});

/** Surfaces outside /api/v1 that take input in their path. */
const PUBLIC_ROUTES = [
  '/c/{slug}',
  '/c/{slug}/posts/{postId}',
  '/c/{slug}/feed.atom',
  '/c/{slug}/feed.rss',
  '/files/{key}',
];

interface Operation {
  method: string;
  base: string;
  template: string;
  query: string[];
  json: string[] | null;
  raw: boolean;
  public: boolean;
}

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const content = (op.requestBody?.content ?? {}) as Record<string, { schema?: { properties?: object } }>;
      const jsonBody = content['application/json'];
      ops.push({
        method: method.toUpperCase(),
        base: '/api/v1',
        template,
        query: (op.parameters ?? [])
          .filter((p: { in: string }) => p.in === 'query')
          .map((p: { name: string }) => p.name),
        json: jsonBody ? Object.keys(jsonBody.schema?.properties ?? {}) : null,
        raw: Object.keys(content).some((type) => type !== 'application/json'),
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  for (const template of PUBLIC_ROUTES)
    ops.push({ method: 'GET', base: '', template, query: [], json: null, raw: false, public: true });
  return ops;
}

/** Real values for each path parameter, so hostile parts further along are reached too. */
function validValues(name: string): string[] {
  const o = fx.objects;
  const all: Record<string, string[]> = {
    id: [o.brandId, encodeURIComponent(o.runId), o.apiKeyId, o.webhookEndpointId, o.userId, o.leadId],
    period: [o.kpiPeriod],
    diagnosisId: [o.diagnosisId],
    documentId: [o.documentId],
    reportId: [o.reportId],
    step: [o.diagnosisStep],
    approvalId: [o.approvalId],
    endpoint: [o.webhookEndpointId],
    key: [o.draftFileKey, 'posts/x/image.png'],
    slug: [],
    postId: [],
  };
  return all[name] ?? [];
}

function requestArbitrary(op: Operation): fc.Arbitrary<Sent> {
  const names = [...op.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const path = fc.tuple(...names.map((n) => hostilePiece(validValues(n))));
  const query = fc.tuple(
    ...op.query.map((n) => fc.option(n === 'cursor' ? hostileCursor : hostilePiece(), { nil: undefined })),
  );
  const body: fc.Arbitrary<{ body?: string | Buffer; type?: string }> = op.json
    ? hostileJson(op.json).map((b) => ({ body: b, type: 'application/json' }))
    : op.raw
      ? hostileRawBody
      : fc.constant({});
  return fc
    .record({ path, query, body, auth: fc.constantFrom<'key' | 'none'>('key', 'key', 'key', 'none') })
    .map(({ path: pieces, query: values, body: b, auth }) => {
      let i = 0;
      const url = op.template.replace(/\{(\w+)\}/g, () => urlText(pieces[i++] as UrlPiece));
      const qs = op.query
        .map((n, j) => (values[j] ? `${encodeURIComponent(n)}=${urlText(values[j] as UrlPiece)}` : null))
        .filter(Boolean)
        .join('&');
      return { method: op.method, url: `${op.base}${url}${qs ? `?${qs}` : ''}`, ...b, auth };
    });
}

describe('route fuzz', () => {
  it(`answers ${TOTAL_REQUESTS} hostile requests over every route with no 5xx and none slower than ${SLOW_MS} ms`, async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(50);
    const perOperation = Math.ceil(TOTAL_REQUESTS / ops.length);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const [n, op] of ops.entries()) {
      for (const req of fc.sample(requestArbitrary(op), { numRuns: perOperation, seed: SEED + n })) {
        const res = await send(req);
        sent += 1;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500 || res.ms > SLOW_MS)
          failures.push(
            `${res.status} in ${Math.round(res.ms)} ms: ${req.method} ${req.url.slice(0, 200)} ${String(req.body ?? '').slice(0, 200)}`,
          );
      }
    }
    expect({ seed: SEED, failures: failures.slice(0, 20) }).toEqual({ seed: SEED, failures: [] });
    console.log(
      `route fuzz: ${sent} requests over ${ops.length} operations, seed ${SEED}`,
      Object.fromEntries(statuses),
    );
    expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
    // Some requests must get through to the routes' own answers, or the fuzz proves nothing.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(TOTAL_REQUESTS / 20);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(TOTAL_REQUESTS / 10);
  });
});
