/**
 * Issue 8, the cross-workspace matrix: for every operation in the OpenAPI document that addresses an object by id,
 * workspace B (its admin session and its admin API key) asking for or changing workspace A's object gets 404, exactly
 * like an id that does not exist: never 200, 403 or 500. Afterwards A's objects are as they were.
 */
import { startTestStack, type TestStack } from '../support/harness';
import {
  createWorkspaceFixture,
  endWorkspaceRuns,
  type WorkspaceFixture,
  type WorkspaceObjects,
} from '../support/workspace-fixture';

let a: WorkspaceFixture;
let b: WorkspaceFixture;
let doc: { paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>> };

beforeAll(async () => {
  const [stackA, stackB]: TestStack[] = await Promise.all([
    startTestStack('isolation-a', { workers: [] }),
    startTestStack('isolation-b', { workers: [] }),
  ]);
  [a, b] = await Promise.all([createWorkspaceFixture(stackA), createWorkspaceFixture(stackB)]);
  doc = (await a.stack.request('GET', '/api/v1/openapi.json')).body;
});

afterAll(async () => {
  await Promise.all([a && endWorkspaceRuns(a), b && endWorkspaceRuns(b)]);
  await Promise.all([a?.stack.stop(), b?.stack.stop()]);
});

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** A's object for each path parameter; `{id}` depends on the collection it follows. */
function paramValue(template: string, name: string, objects: WorkspaceObjects): string {
  const enc = encodeURIComponent;
  if (name === 'id') {
    if (template.startsWith('/brands/')) return objects.brandId;
    if (template.startsWith('/runs/')) return enc(objects.runId);
    if (template.startsWith('/run-requests/')) return enc(objects.runRequestId);
    if (template.startsWith('/api-keys/')) return objects.apiKeyId;
    if (template.startsWith('/webhook-endpoints/')) return objects.webhookEndpointId;
    if (template.startsWith('/users/')) return objects.userId;
    if (template.startsWith('/invitations/')) return objects.invitationId;
    if (template.startsWith('/auth/sessions/')) return objects.sessionId;
    if (template.startsWith('/leads/')) return objects.leadId;
    if (template.startsWith('/experiments/')) return objects.experimentId;
    if (template.startsWith('/calendar/entries/')) return objects.calendarEntryId;
  }
  const byName: Record<string, string> = {
    period: objects.kpiPeriod,
    diagnosisId: objects.diagnosisId,
    documentId: objects.documentId,
    reportId: objects.reportId,
    step: objects.diagnosisStep,
    approvalId: objects.approvalId,
    deliveryId: encodeURIComponent(objects.deliveryId),
    platform: objects.connectedPlatform,
    // A storage key keeps its slashes; each segment is encoded.
    key: objects.draftFileKey.split('/').map(enc).join('/'),
  };
  if (byName[name] === undefined) throw new Error(`No object of A for {${name}} in ${template}: add it to the fixture`);
  return byName[name];
}

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A body the route accepts, so a refusal can only be about whose object it is. */
const BODIES: Record<string, { json?: unknown; raw?: string | Buffer; type?: string }> = {
  'patch /brands/{id}': { json: { name: 'Taken over' } },
  'put /brands/{id}/logo': { raw: PNG_1X1, type: 'image/png' },
  'put /brands/{id}/kpis/{period}': { json: { followers: 999 } },
  'post /brands/{id}/kpis/import': { raw: 'period,followers\n2026-01-05,999\n', type: 'text/csv' },
  'post /brands/{id}/diagnoses': { json: {} },
  'put /brands/{id}/diagnoses/{diagnosisId}/steps/{step}': { json: { answers: {}, partial: true } },
  'post /brands/{id}/documents': { raw: '# Taken over', type: 'text/markdown' },
  'post /runs/{id}/approvals/{approvalId}': { json: { action: 'approve' } },
  'patch /users/{id}': { json: { role: 'admin' } },
  'post /experiments/{id}/control': { json: { action: 'pause' } },
  'post /experiments/{id}/events': { json: { eventId: 'isolation-1', unit: 'visitor-1', type: 'exposure' } },
  'patch /calendar/entries/{id}': { json: { version: 1, topic: 'Taken over' } },
  'post /calendar/entries/{id}/approve': { json: { version: 1 } },
  'post /calendar/entries/{id}/cancel': { json: { version: 1 } },
};

/** Operations that answer a stream: A's own control request would not end. */
const STREAMS = new Set(['get /runs/{id}/events']);
/** A's report has no rendered file (no workflow made it): A's own request is a 404 too. */
/** Query strings an operation needs to answer at all (its own 400 would hide whose object it is). */
const QUERIES: Record<string, string> = { 'get /experiments/{id}/assignment': '?unit=visitor-1' };

const NO_FILE = new Set(['get /brands/{id}/reports/{reportId}/pdf', 'get /brands/{id}/reports/{reportId}/html']);

interface Operation {
  method: string;
  template: string;
  url: string;
  hasBody: boolean;
}

function operationsWithIds(): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!template.includes('{')) continue;
    for (const method of METHODS) {
      const op = item[method];
      // Public operations (security: []) are not workspace-scoped: a webhook delivery is authenticated by signature.
      if (!op || (Array.isArray(op.security) && op.security.length === 0)) continue;
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(template, name, a.objects));
      const url = `/api/v1${path}${QUERIES[`${method} ${template}`] ?? ''}`;
      ops.push({ method, template, url, hasBody: op.requestBody !== undefined });
    }
  }
  return ops;
}

function send(from: WorkspaceFixture, via: 'session' | 'key', op: Operation) {
  const body = BODIES[`${op.method} ${op.template}`];
  // A session write proves it comes from our pages (CSRF), as the UI's requests do.
  const headers: Record<string, string> =
    via === 'session' ? { cookie: from.sessionCookie, 'x-requested-with': 'studioflow' } : {};
  if (body?.type) headers['content-type'] = body.type;
  return from.stack.request(op.method.toUpperCase(), op.url, body?.json, {
    key: via === 'key' ? from.adminKey : null,
    headers,
    raw: body?.raw,
  });
}

describe('cross-workspace matrix', () => {
  it('lists every operation with an id and has a body for each that takes one', () => {
    const ops = operationsWithIds();
    expect(ops.length).toBeGreaterThan(30);
    const missing = ops.filter((op) => op.hasBody && !BODIES[`${op.method} ${op.template}`]);
    expect(missing.map((op) => `${op.method} ${op.template}`)).toEqual([]);
  });

  it("A's own credentials reach each of A's objects (so B's 404s are about ownership)", async () => {
    const reads = operationsWithIds().filter(
      (op) => op.method === 'get' && !STREAMS.has(`get ${op.template}`) && !NO_FILE.has(`get ${op.template}`),
    );
    for (const op of reads) {
      const res = await send(a, 'key', op);
      expect({ op: `${op.method} ${op.url}`, status: res.status }).toEqual({
        op: `${op.method} ${op.url}`,
        status: 200,
      });
    }
  });

  it("answers 404 to B's session and B's API key for every operation on A's objects", async () => {
    const seen: string[] = [];
    // Reads first, deletions last, so every request meets A's objects still in place.
    const ops = operationsWithIds().sort((x, y) => Number(x.method === 'delete') - Number(y.method === 'delete'));
    for (const op of ops) {
      for (const via of ['session', 'key'] as const) {
        const res = await send(b, via, op);
        seen.push(`${via} ${op.method} ${op.template} → ${res.status}`);
        expect({ op: `${via} ${op.method} ${op.url}`, status: res.status }).toEqual({
          op: `${via} ${op.method} ${op.url}`,
          status: 404,
        });
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
    }
    expect(seen.length).toBe(ops.length * 2);
  });

  it("B's collections (every GET without an id) hold nothing of A's", async () => {
    const secrets = [
      a.stack.workspaceId,
      ...Object.values(a.objects).filter((v) => v.length >= 20 && !v.includes('/')),
      a.objects.runId,
    ];
    const lists = Object.entries(doc.paths).filter(
      ([template, item]) => !template.includes('{') && item.get && template !== '/runs/stream',
    );
    expect(lists.length).toBeGreaterThan(8);
    for (const [template] of lists) {
      for (const via of ['session', 'key'] as const) {
        const op: Operation = { method: 'get', template, url: `/api/v1${template}`, hasBody: false };
        const res = await send(b, via, op);
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
        expect({ op: `${via} GET ${template}`, leaked: secrets.filter((id) => text.includes(id)) }).toEqual({
          op: `${via} GET ${template}`,
          leaked: [],
        });
      }
    }
  });

  it("leaves A's objects as they were", async () => {
    const o = a.objects;
    const brand = await a.stack.request('GET', `/api/v1/brands/${o.brandId}`);
    expect(brand.status).toBe(200);
    expect(brand.body.name).toBe(`Isolated ${a.stack.name}`);
    expect(brand.body.logoUrl).not.toBeNull();
    const kpis = await a.stack.request('GET', `/api/v1/brands/${o.brandId}/kpis`);
    expect(kpis.body.items.map((k: { period: string; followers: number }) => [k.period, k.followers])).toEqual([
      [o.kpiPeriod, 10],
    ]);
    const diagnoses = await a.stack.request('GET', `/api/v1/brands/${o.brandId}/diagnoses`);
    expect(diagnoses.body.items.map((d: { id: string }) => d.id)).toEqual([o.diagnosisId]);
    const diagnosis = await a.stack.request('GET', `/api/v1/brands/${o.brandId}/diagnoses/${o.diagnosisId}`);
    expect(diagnosis.body).toMatchObject({ status: 'draft', answers: {}, completedSteps: [] });
    const documents = await a.stack.request('GET', `/api/v1/brands/${o.brandId}/documents`);
    expect(documents.body.items.map((d: { id: string }) => d.id)).toEqual([o.documentId]);
    expect((await a.stack.request('GET', `/api/v1/brands/${o.brandId}/reports/${o.reportId}`)).status).toBe(200);
    const endpoints = await a.stack.request('GET', '/api/v1/webhook-endpoints');
    expect(endpoints.body.items.map((e: { id: string }) => e.id)).toContain(o.webhookEndpointId);
    const keys = await a.stack.request('GET', '/api/v1/api-keys');
    const spare = keys.body.items.find((k: { id: string }) => k.id === o.apiKeyId);
    expect(spare).toBeDefined();
    expect(spare.revokedAt ?? null).toBeNull();
    const users = await a.stack.request('GET', '/api/v1/users');
    expect(users.body.items.map((u: { id: string }) => u.id)).toContain(o.userId);
    const run = await a.stack.client.workflow.getHandle(o.runId).describe();
    expect(run.status.name).toBe('RUNNING');
    const file = await a.stack.request('GET', `/api/v1/files/${o.draftFileKey}`);
    expect(file.status).toBe(200);
    const accounts = await a.stack.request('GET', `/api/v1/brands/${o.brandId}/connected-accounts`);
    const connected = accounts.body.items.find((i: { platform: string }) => i.platform === o.connectedPlatform);
    expect(connected.account).toMatchObject({ status: 'connected', externalName: '@isolated' });
  });
});
