/**
 * A workspace with one object of every kind the API addresses by id (brand with logo, KPI period, diagnosis,
 * knowledge document, report, webhook endpoint and a delivery to it, API key, member, invitation, run with a
 * pending start, run request (asynchronous start), draft file, lead, experiment, calendar entry, connected account),
 * the admin's session (cookie and public id) and an admin API key. The security suites use two of these to prove that
 * one workspace cannot reach the other's objects. Runs start on the stack's own task queue; with no worker polling, they stay running and cost
 * nothing.
 */
import { createReportRepository } from '../../db/repositories/report.repository';
import { Webhook } from 'standardwebhooks';
import { createConnectedAccountRepository } from '../../db/repositories/connected-account.repository';
import { secretBoxFromConfig } from '../../lib/secrets';
import { waitFor, type TestStack } from './harness';

export interface WorkspaceObjects {
  brandId: string;
  kpiPeriod: string;
  diagnosisId: string;
  documentId: string;
  reportId: string;
  webhookEndpointId: string;
  /** Shown once on creation: signs deliveries to the endpoint. */
  webhookSecret: string;
  apiKeyId: string;
  /** A second member (a viewer) besides the admin. */
  userId: string;
  /** A pending invitation. */
  invitationId: string;
  /** The public id of the admin's session (the one `sessionCookie` holds). */
  sessionId: string;
  runId: string;
  approvalId: string;
  draftFileKey: string;
  diagnosisStep: string;
  leadId: string;
  /** A signed delivery to the webhook endpoint, dispatched (its run, `deliveryRunId`, stays running). */
  deliveryId: string;
  deliveryRunId: string;
  experimentId: string;
  /** A draft calendar entry (no calendar run: drafts have none). */
  calendarEntryId: string;
  /** The platform of the brand's connected account (its tokens are sealed; no API returns them). */
  connectedPlatform: 'x';
  /** A run request accepted with `Prefer: respond-async` (its id is its requestId), and the run it starts. */
  runRequestId: string;
  runRequestRunId: string;
}

export interface WorkspaceFixture {
  stack: TestStack;
  /** `sf_session=…` of the workspace's admin. */
  sessionCookie: string;
  adminKey: string;
  objects: WorkspaceObjects;
}

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

function expectStatus(what: string, res: { status: number; body: unknown }, ...ok: number[]) {
  if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function logIn(stack: TestStack): Promise<string> {
  const res = await stack.request(
    'POST',
    '/api/v1/auth/login',
    { email: stack.admin.email, password: stack.admin.password },
    { key: null },
  );
  expectStatus('log-in', res, 200);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('log-in set no cookie');
  return cookie;
}

export async function createWorkspaceFixture(stack: TestStack): Promise<WorkspaceFixture> {
  const sessionCookie = await logIn(stack);
  const brand = await stack.brand({ name: `Isolated ${stack.name}` });
  const logo = await stack.request('PUT', `/api/v1/brands/${brand.id}/logo`, undefined, {
    raw: PNG_1X1,
    headers: { 'content-type': 'image/png' },
  });
  expectStatus('logo', logo, 200);
  const kpiPeriod = '2026-01-05';
  expectStatus(
    'kpi',
    await stack.request('PUT', `/api/v1/brands/${brand.id}/kpis/${kpiPeriod}`, { followers: 10 }),
    200,
  );
  const diagnosis = await stack.request('POST', `/api/v1/brands/${brand.id}/diagnoses`, {});
  expectStatus('diagnosis', diagnosis, 201);
  const document = await stack.request('POST', `/api/v1/brands/${brand.id}/documents?title=Brand%20book`, undefined, {
    raw: '# Brand book\n\nWe brew with light.',
    headers: { 'content-type': 'text/markdown' },
  });
  expectStatus('document', document, 202);
  // Reports are written by the report workflow; the row is what the API serves, so it is made directly.
  const report = await createReportRepository(stack.db).start({
    workspaceId: stack.workspaceId,
    brandId: brand.id,
    diagnosisId: diagnosis.body.id,
    workflowId: `brand-report/${brand.id}/isolation-${stack.name}`,
    title: 'Isolation report',
    language: 'en',
    recipients: [],
  });
  const endpoint = await stack.request('POST', '/api/v1/webhook-endpoints', {
    name: 'CRM',
    automation: 'social-post',
    inputMapping: { brandId: brand.id, platform: 'linkedin', postType: { from: '/type', default: 'educational' } },
  });
  expectStatus('webhook endpoint', endpoint, 201);
  const apiKey = await stack.request('POST', '/api/v1/api-keys', { name: 'spare', role: 'viewer' });
  expectStatus('api key', apiKey, 201);
  const user = await stack.request('POST', '/api/v1/users', {
    email: `viewer-${stack.name}@example.test`,
    name: 'Viewer',
    password: `pw-${stack.name}-viewer`,
    role: 'viewer',
  });
  expectStatus('user', user, 201);
  const invitation = await stack.request('POST', '/api/v1/invitations', {
    email: `invitee-${stack.name}@example.test`,
    role: 'editor',
  });
  expectStatus('invitation', invitation, 201);
  const sessions = await stack.request('GET', '/api/v1/auth/sessions', undefined, {
    key: null,
    headers: { cookie: sessionCookie },
  });
  expectStatus('sessions', sessions, 200);
  const run = await stack.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: { brandId: brand.id, platform: 'linkedin', postType: 'educational' },
  });
  expectStatus('run', run, 201);
  // A run request accepted asynchronously; the stack's dispatcher starts it (its run, `runRequestRunId`, stays running).
  const runRequest = await stack.request(
    'POST',
    '/api/v1/runs',
    {
      automation: 'social-post',
      requestId: `isolation-async-${stack.name}`,
      input: { brandId: brand.id, platform: 'linkedin', postType: 'educational' },
    },
    { headers: { prefer: 'respond-async' } },
  );
  expectStatus('run request', runRequest, 202);
  await waitFor(
    'the run request dispatched',
    async () => (await stack.request('GET', runRequest.headers.get('location')!)).body?.state === 'dispatched',
  );
  const lead = await stack.request('POST', '/api/v1/leads', {
    brandId: brand.id,
    companyName: `Isolated lead ${stack.name}`,
    website: `https://isolated-${stack.name}.example.com/`,
    emails: [`owner@isolated-${stack.name}.example.com`],
  });
  expectStatus('lead', lead, 201);
  const deliveryId = `msg_isolation_${stack.name}`;
  const deliveryBody = JSON.stringify({ type: 'educational' });
  const delivery = await stack.request('POST', `/api/v1/hooks/${endpoint.body.id}`, undefined, {
    key: null,
    raw: deliveryBody,
    headers: {
      'content-type': 'application/json',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': new Webhook(endpoint.body.secret).sign(deliveryId, new Date(), deliveryBody),
    },
  });
  expectStatus('webhook delivery', delivery, 202);
  await waitFor('the delivery dispatched', async () => {
    const page = await stack.request('GET', `/api/v1/webhook-endpoints/${endpoint.body.id}/deliveries`);
    return page.body.items?.[0]?.state === 'dispatched';
  });
  const experiment = await stack.request('POST', '/api/v1/experiments', {
    brandId: brand.id,
    name: `Isolated experiment ${stack.name}`,
    hypothesis: 'A shorter caption gets more clicks',
    kind: 'free',
    variants: [
      { key: 'A', name: 'Control', weight: 50, content: { headline: 'Long' } },
      { key: 'B', name: 'Short', weight: 50, content: { headline: 'Short' } },
    ],
  });
  expectStatus('experiment', experiment, 201);
  const entry = await stack.request('POST', '/api/v1/calendar/entries', {
    brandId: brand.id,
    localAt: '2030-01-07T09:00',
    topic: 'Isolated entry',
  });
  expectStatus('calendar entry', entry, 201);
  await createConnectedAccountRepository(stack.db, { secrets: secretBoxFromConfig(stack.config) }).connect({
    workspaceId: stack.workspaceId,
    brandId: brand.id,
    platform: 'x',
    externalId: `isolation-${stack.name}`,
    externalName: '@isolated',
    tokens: {
      accessToken: `isolation-token-${stack.name}`,
      refreshToken: null,
      expiresAt: null,
      scopes: ['tweet.write'],
    },
    connectedBy: null,
  });
  const draftFileKey = `drafts/${stack.workspaceId}/isolation/image.png`;
  await stack.server.services.storage.put(draftFileKey, PNG_1X1, 'image/png');
  return {
    stack,
    sessionCookie,
    adminKey: stack.keys.admin,
    objects: {
      brandId: brand.id,
      kpiPeriod,
      diagnosisId: diagnosis.body.id,
      documentId: document.body.id,
      reportId: report.id,
      webhookEndpointId: endpoint.body.id,
      webhookSecret: endpoint.body.secret,
      apiKeyId: apiKey.body.id,
      userId: user.body.id,
      invitationId: invitation.body.id,
      sessionId: sessions.body.items.find((s: { current: boolean }) => s.current).id,
      runId: run.body.id,
      // Approvals are addressed under their run: the run id alone decides ownership.
      approvalId: 'approve-post',
      draftFileKey,
      diagnosisStep: 'identity',
      leadId: lead.body.id,
      deliveryId,
      deliveryRunId: delivery.body.runId,
      experimentId: experiment.body.id,
      calendarEntryId: entry.body.id,
      connectedPlatform: 'x',
      runRequestId: runRequest.body.deliveryId,
      runRequestRunId: runRequest.body.runId,
    },
  };
}

/** Ends the fixture's runs (no worker would ever finish them). */
export async function endWorkspaceRuns(fixture: WorkspaceFixture): Promise<void> {
  for (const id of [fixture.objects.runId, fixture.objects.deliveryRunId, fixture.objects.runRequestRunId])
    await fixture.stack.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
}
