/**
 * Lead enrichment on the real stack: a batch started through the API reads each lead's site (local servers on
 * 127.0.0.1, allow-listed), merges what it found with the page each value came from, scores against the profile,
 * posts one signed callback per lead to the CRM, and shows its counts; site failures land on their leads; a batch
 * continues as new without enriching a lead twice; a cancelled batch starts nothing new and lets running leads finish.
 */
import { Webhook } from 'standardwebhooks';
import { AutomationKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';
import { businessOf, startCrmReceiver, startLeadSites, type CrmReceiver, type LeadSites } from '../support/lead-sites';
import { startSiteFarm, type SiteFarm } from '../support/site-farm';

let stack: TestStack;
let farm: SiteFarm;
let sites: LeadSites;
let crm: CrmReceiver;
let secret: string;

const SLOW_FROM = 100;

beforeAll(async () => {
  [farm, sites, crm] = await Promise.all([
    startSiteFarm(),
    startLeadSites({ slowFrom: SLOW_FROM, slowMs: 1_500 }),
    startCrmReceiver(),
  ]);
  stack = await startTestStack('lead-enrichment', {
    env: {
      CRAWLER_ALLOWED_HOSTS: [...farm.allowedHosts, sites.allowedHost, crm.allowedHost].join(','),
      CRAWLER_HOST_DELAY_MS: '0',
    },
    workers: ['main', 'browser'],
  });
  const profile = await stack.request('PUT', '/api/v1/lead-profile', {
    categories: ['bistro', 'bakery'],
    cities: ['Lyon', 'Paris'],
    mustHave: { email: true },
  });
  expect(profile.status).toBe(200);
  const callback = await stack.request('PUT', '/api/v1/lead-callback', { url: crm.url });
  expect(callback.status).toBe(201);
  secret = callback.body.secret;
  expect(secret).toMatch(/^whsec_/);
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all([farm?.stop(), sites?.stop(), crm?.stop()]);
});

/**
 * The local sites are on 127.0.0.1: the API takes them because CRAWLER_ALLOWED_HOSTS names them, with no domain, so
 * each lead also brings an email, its dedupe key.
 */
async function createLeads(leads: Record<string, unknown>[]): Promise<string[]> {
  const res = await stack.request('POST', '/api/v1/leads', leads);
  expect([res.status, res.body.errors]).toEqual([200, undefined]);
  return res.body.items.map((i: { lead: { id: string } }) => i.lead.id);
}

const businessLead = (i: number) => ({
  companyName: businessOf(i).name,
  website: sites.url(i),
  emails: [`owner${i}@example-owner.fr`],
});

const getLead = async (id: string) => (await stack.request('GET', `/api/v1/leads/${id}`)).body;

describe('a batch started through the API', () => {
  let batch: any;
  let ids: string[];
  const failing = () => ({
    robots: { companyName: 'Robots', website: farm.url('robotsDisallow'), emails: ['a@robots-lead.fr'] },
    metadata: { companyName: 'Metadata', website: farm.url('metadataRedirect'), emails: ['a@metadata-lead.fr'] },
    notHtml: { companyName: 'Pdf', website: farm.url('notHtml'), emails: ['a@pdf-lead.fr'] },
    noSite: { companyName: 'Boulangerie sans site', emails: ['contact@boulangerie-sans-site.fr'], city: 'Lyon' },
    jsOnly: { companyName: 'Nordlicht', website: farm.url('jsOnly'), emails: ['a@nordlicht-lead.de'] },
  });

  beforeAll(async () => {
    const f = failing();
    ids = await createLeads([
      ...[0, 1, 2, 3, 4, 5].map(businessLead),
      f.robots,
      f.metadata,
      f.notHtml,
      f.noSite,
      f.jsOnly,
    ]);
    const started = await stack.request('POST', '/api/v1/runs', {
      automation: 'lead-enrichment',
      input: { leadIds: ids, concurrency: 3 },
    });
    expect(started.status).toBe(201);
    batch = await waitForRun(stack, started.body.id, (r) => r.status === 'completed', 120_000);
  }, 150_000);

  it('counts every lead once and shows the counts on the run', () => {
    expect(batch.automation).toBe('lead-enrichment');
    expect(batch.result.total).toBe(11);
    const { qualified, disqualified, failed, started } = batch.result.counts;
    expect(started).toBe(11);
    expect(failed).toBe(3);
    expect(qualified + disqualified).toBe(8);
    expect(batch.progress.counts).toEqual({ queued: 0, running: 0, enriched: 8, qualified, failed: 3 });
    expect(batch.progress.summary).toBe(`11 of 11 leads done: 8 enriched (${qualified} qualified), 3 failed`);
  });

  it('merges what each site states, with the page it came from, and scores it with reasons', async () => {
    const b = businessOf(0); // a bistro in Lyon
    const lead = await getLead(ids[0]);
    expect(lead.emails).toEqual([`owner0@example-owner.fr`, b.email]);
    expect(lead.phones).toEqual([b.phone]);
    expect(lead.socials.instagram).toBe(b.instagram);
    expect(lead.city).toBe('Lyon');
    expect(lead.fieldSources.phones).toMatchObject({ source: 'enrichment', reference: `${sites.url(0)}contact` });
    expect(lead.status).toBe('qualified');
    expect(lead.score).toBeGreaterThanOrEqual(60);
    expect(lead.scoreReasons.map((r: { rule: string }) => r.rule)).toEqual([
      'category',
      'keywords',
      'location',
      'contacts',
      'web',
    ]);
    expect(lead.failureReason).toBeNull();
    expect(lead.enrichments).toHaveLength(1);
    expect(lead.enrichments[0]).toMatchObject({
      workflowId: `${batch.id}/lead/${ids[0]}`,
      batchWorkflowId: batch.id,
      status: 'enriched',
      pages: 2,
      score: lead.score,
      writtenBy: 'rules',
      callback: 'sent',
    });
    // A florist in Marseille is outside the profile.
    const florist = await getLead(ids[3]);
    expect(businessOf(3).trade).toBe('florist');
    expect(florist.status).toBe('disqualified');
  });

  it('puts each site failure on its lead, with its label, and still scores it', async () => {
    const [robots, metadata, notHtml, noSite] = await Promise.all(ids.slice(6, 10).map(getLead));
    expect(robots.status).toBe('failed');
    expect(robots.failureReason).toMatch(/^Blocked by robots rules: /);
    expect(metadata.failureReason).toMatch(/^Address refused: /);
    expect(notHtml.failureReason).toMatch(/^Not a web page: /);
    for (const lead of [robots, metadata, notHtml]) {
      expect(lead.score).not.toBeNull();
      expect(lead.enrichments[0]).toMatchObject({ status: 'failed', failure: lead.failureReason });
    }
    // Without a site there is nothing to fail: the lead is scored on what it has.
    expect(noSite.status).not.toBe('failed');
    expect(noSite.enrichments[0]).toMatchObject({ status: 'enriched', pages: 0 });
    expect(noSite.scoreReasons.find((r: { rule: string }) => r.rule === 'web').detail).toMatch(/site not reachable/);
  });

  it('renders a page that needs JavaScript in Chromium and reads what its script writes', async () => {
    const lead = await getLead(ids[10]);
    expect(lead.emails).toContain('studio@nordlicht-design.de');
    expect(lead.failureReason).toBeNull();
    const child = await stack.request('GET', `/api/v1/runs/${encodeURIComponent(`${batch.id}/lead/${ids[10]}`)}`);
    const step = child.body.progress.steps.find((s: { name: string }) => s.name === 'fetch-site');
    expect(step).toMatchObject({ status: 'done', provider: 'chromium' });
    expect(step.detail).toMatch(/rendered in Chromium/);
  });

  it('posts one Standard-Webhooks-signed callback per lead', async () => {
    const mine = crm.received.filter((r) => ids.includes(JSON.parse(r.body).data.id));
    expect(mine).toHaveLength(11);
    const webhook = new Webhook(secret);
    const verified = mine.map((r) => webhook.verify(r.body, r.headers as Record<string, string>) as any);
    expect(new Set(verified.map((v) => v.data.id))).toEqual(new Set(ids));
    expect(new Set(mine.map((r) => r.headers['webhook-id'])).size).toBe(11);
    expect(verified.every((v) => v.type === 'lead.enriched')).toBe(true);
    const first = verified.find((v) => v.data.id === ids[0]);
    expect(first.data).toMatchObject({ status: 'qualified', enrichmentRun: `${batch.id}/lead/${ids[0]}` });
    expect(first.data.fieldSources).toBeUndefined();
  });

  it("opens a lead's run page, and lists only the batch among the runs", async () => {
    const child = await stack.request('GET', `/api/v1/runs/${encodeURIComponent(`${batch.id}/lead/${ids[0]}`)}`);
    expect(child.status).toBe(200);
    expect(child.body.automation).toBe('lead-enrichment-lead');
    expect(child.body.progress.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['load-lead', 'done'],
      ['fetch-site', 'done'],
      ['places', 'skipped'],
      ['score', 'done'],
      ['research', 'skipped'],
      ['callback', 'done'],
    ]);
    const automations = await stack.request('GET', '/api/v1/automations');
    const item = automations.body.items.find((a: { name: string }) => a.name === 'lead-enrichment');
    expect(item.children.map((c: { name: string }) => c.name)).toEqual(['lead-enrichment-lead']);

    const listed = await waitFor('the batch in the runs list', async () => {
      const res = await stack.request('GET', '/api/v1/runs?limit=100');
      return res.body.items.some((r: { id: string }) => r.id === batch.id) ? res.body.items : undefined;
    });
    expect(listed.filter((r: { id: string }) => r.id.includes('/lead/'))).toEqual([]);
  });

  it('refuses a selection that names neither ids nor a filter, or both, on the field', async () => {
    const neither = await stack.request('POST', '/api/v1/runs', { automation: 'lead-enrichment', input: {} });
    expect(neither.status).toBe(400);
    expect(neither.body.errors).toEqual([
      { field: 'input.leadIds', message: 'give exactly one of leadIds, filter or leads' },
    ]);
    const both = await stack.request('POST', '/api/v1/runs', {
      automation: 'lead-enrichment',
      input: { leadIds: [ids[0]], filter: {} },
    });
    expect(both.status).toBe(400);
  });
});

describe('leads a CRM pushes through a signed webhook', () => {
  it('saves them (merging a delivery sent again) and enriches them', async () => {
    const endpoint = await stack.request('POST', '/api/v1/webhook-endpoints', {
      name: 'CRM contacts',
      automation: 'lead-enrichment',
      inputMapping: { leads: { from: '/data/contacts' }, concurrency: 2 },
    });
    expect(endpoint.status).toBe(201);
    const contacts = [
      { companyName: 'Fromagerie Alpine', emails: ['bonjour@fromagerie-alpine.fr'], city: 'Lyon' },
      { companyName: 'Cave Rhône', emails: ['cave@cave-rhone.fr'], city: 'Paris', category: 'bakery' },
    ];
    const deliver = async (id: string, body: unknown) => {
      const raw = JSON.stringify(body);
      const at = new Date();
      return stack.request('POST', `/api/v1/hooks/${endpoint.body.id}`, undefined, {
        key: null,
        raw,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(endpoint.body.secret).sign(id, at, raw),
        },
      });
    };
    const first = await deliver('msg_crm_1', { data: { contacts } });
    expect(first.status).toBe(202);
    const run = await waitForRun(stack, first.body.runId, (r) => r.status === 'completed', 60_000);
    expect(run.result.counts).toMatchObject({ total: 2, started: 2, failed: 0 });

    const again = await deliver('msg_crm_2', { data: { contacts } });
    expect(again.status).toBe(202);
    await waitForRun(stack, again.body.runId, (r) => r.status === 'completed', 60_000);
    const found = await stack.request('GET', '/api/v1/leads?q=fromagerie-alpine.fr');
    expect(found.body.items).toHaveLength(1);
    const lead = await getLead(found.body.items[0].id);
    expect(lead.sources.map((s: { kind: string; outcome: string }) => [s.kind, s.outcome])).toEqual([
      ['webhook', 'merged'],
      ['webhook', 'created'],
    ]);
    expect(lead.sources[1].reference).toMatch(/^webhook:CRM contacts hook-/);
    expect(lead.enrichments).toHaveLength(2);
    // A cheese shop is not one of the profile's categories, and it has no site.
    expect(lead.status).toBe('disqualified');
    expect(lead.scoreReasons[0]).toMatchObject({ rule: 'category', points: 0 });

    const bad = await deliver('msg_crm_3', { data: { contacts: [{ companyName: 'No key at all' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      {
        field: 'input.leads.0.emails',
        message: 'a lead needs a website or an email address (the keys it is deduplicated on)',
      },
    ]);
  });
});

describe('a long batch', () => {
  it('continues as new every few leads and enriches each lead once', async () => {
    const indexes = [20, 21, 22, 23, 24];
    const ids = await createLeads(indexes.map(businessLead));
    const workflowId = `lead-enrichment/${stack.workspaceId}/continue-${Date.now()}`;
    const handle = await stack.client.workflow.start('leadEnrichmentBatchWorkflow', {
      taskQueue: stack.config.temporal.taskQueues.main,
      workflowId,
      args: [
        {
          workspaceId: stack.workspaceId,
          brandId: null,
          selection: { leadIds: ids },
          concurrency: 2,
          places: false,
          runSize: 2,
        },
      ],
      typedSearchAttributes: [
        { key: WorkspaceIdKey, value: stack.workspaceId },
        { key: AutomationKey, value: 'lead-enrichment' },
      ],
    });
    const result = await stack.client.workflow.getHandle(workflowId).result();
    expect(result.counts).toMatchObject({ total: 5, started: 5, qualified: expect.any(Number) });
    expect(result.counts.qualified + result.counts.disqualified).toBe(5);
    // Three runs: 2 + 2 + 1 leads.
    const runs: string[] = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      runs.push(run.status.name);
    expect(runs.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
    expect(handle.firstExecutionRunId).toBeTruthy();
    // Each site read once: a home page and a contact page.
    for (const i of indexes) expect(sites.hits.get(i)).toBe(2);
  });
});

describe('a cancelled batch', () => {
  it('starts nothing new and lets its running leads finish', async () => {
    const indexes = [SLOW_FROM, SLOW_FROM + 1, SLOW_FROM + 2, SLOW_FROM + 3, SLOW_FROM + 4, SLOW_FROM + 5];
    const ids = await createLeads(indexes.map(businessLead));
    const started = await stack.request('POST', '/api/v1/runs', {
      automation: 'lead-enrichment',
      input: { leadIds: ids, concurrency: 2 },
    });
    const id = started.body.id;
    await waitForRun(stack, id, (r) => r.progress?.counts?.running === 2);
    const cancel = await stack.request('POST', `/api/v1/runs/${encodeURIComponent(id)}/cancel`);
    expect(cancel.status).toBeLessThan(300);
    const run = await waitForRun(stack, id, (r) => r.status === 'cancelled', 60_000);
    expect(run.progress.phase).toBe('cancelled');
    expect(run.progress.counts).toMatchObject({ running: 0, queued: 4 });

    const leads = await Promise.all(ids.map(getLead));
    const enriched = leads.filter((l) => l.enrichments.length > 0);
    expect(enriched).toHaveLength(2);
    for (const lead of enriched) expect(lead.enrichments[0]).toMatchObject({ status: 'enriched', callback: 'sent' });
    const untouched = indexes.filter((i) => !sites.hits.has(i));
    expect(untouched).toHaveLength(4);
  });
});
