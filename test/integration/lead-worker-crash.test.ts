/**
 * A lead enrichment batch (30 leads, a window of 4, continue-as-new every 8) whose worker process is SIGKILLed twice:
 *   1. while three callbacks sit at the CRM unanswered (it holds its answers after the first three) and the first
 *      lead's slow site is being read, so the kill lands in the documented callback window and mid-crawl;
 *   2. on the worker that took over, while it reads that slow site again (the crawl's retry after its heartbeat
 *      timeout).
 * A third worker finishes. The batch completes; every lead has one history row, closed, and the state its site
 * gives; each page was read once, except the slow lead's, re-read once per crawl attempt a kill cut short; the CRM has
 * one `webhook-id` per lead, and a second delivery only for the leads caught in the window, with the same id.
 */
import { type ChildProcess } from 'node:child_process';
import { QueryTypes } from 'sequelize';
import { Webhook } from 'standardwebhooks';
import { createLeadRepository } from '../../db/repositories/lead.repository';
import { AutomationKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import { startTestStack, waitFor, type TestStack } from '../support/harness';
import { businessOf, startCrmReceiver, startLeadSites, type CrmReceiver, type LeadSites } from '../support/lead-sites';
import { kill, spawnWorker } from '../support/worker-process';

const LEADS = 30;
/** The first lead's home page answers this late: its crawl is still running when the others are done. */
const SLOW_MS = 4_000;
const CONCURRENCY = 4;
const RUN_SIZE = 8;
/** Businesses FIRST…FIRST+28 answer at once; FIRST+29 is the slow site. */
const FIRST = 300;
const SLOW = FIRST + LEADS - 1;
/** Callbacks the CRM answers before it starts holding its answers. */
const ANSWERED = 3;

let stack: TestStack;
let sites: LeadSites;
let crm: CrmReceiver;
let secret: string;
const children: ChildProcess[] = [];

/** A real worker process for the main queue (the only one lead enrichment uses), like `npm run worker:main`. */
function spawnMainWorker(): ChildProcess {
  const child = spawnWorker('main.worker.ts', {
    ...stack.env,
    TEMPORAL_WORKFLOW_BUNDLE: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE,
    LOG_LEVEL: 'error',
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  // A CRM that takes 200 ms to answer: a lead spends a good part of its time in its callback.
  [sites, crm] = await Promise.all([
    startLeadSites({ slowFrom: SLOW, slowMs: SLOW_MS, slowHomeOnly: true }),
    startCrmReceiver({ delayMs: 200 }),
  ]);
  stack = await startTestStack('lead-crash', {
    env: { CRAWLER_ALLOWED_HOSTS: [sites.allowedHost, crm.allowedHost].join(','), CRAWLER_HOST_DELAY_MS: '0' },
    workers: [],
  });
  const callback = await stack.request('PUT', '/api/v1/lead-callback', { url: crm.url });
  expect(callback.status).toBe(201);
  secret = callback.body.secret;
});
afterAll(async () => {
  await Promise.all(children.map(kill));
  await stack?.stop();
  await Promise.all([sites?.stop(), crm?.stop()]);
});

/**
 * The batch's leads from their history rows: `done` once the callback's outcome is noted (the run's last write),
 * `inFlight` while a started lead's is not.
 */
async function progressOf(batchId: string): Promise<{ done: number; inFlight: number }> {
  const [row] = await stack.db.sequelize.query<{ done: string; in_flight: string }>(
    `SELECT count(callback) AS done, count(*) - count(callback) AS in_flight
     FROM lead_enrichments WHERE batch_workflow_id = :batchId`,
    { replacements: { batchId }, type: QueryTypes.SELECT },
  );
  return { done: Number(row.done), inFlight: Number(row.in_flight) };
}

const deliveredLead = (body: string): string => JSON.parse(body).data.id;

/**
 * Leads in the documented window right after a kill: the CRM has their callback, and its claim is not recorded as
 * sent. The dead worker wrote nothing since, so this is what it left behind.
 */
async function inCallbackWindow(batchId: string, leadIds: string[]): Promise<string[]> {
  const delivered = [...new Set(crm.received.map((r) => deliveredLead(r.body)))].filter((id) => leadIds.includes(id));
  if (delivered.length === 0) return [];
  const sent = await stack.db.sequelize.query<{ key: string }>(
    `SELECT key FROM idempotency_records WHERE key IN (:keys) AND result->>'state' = 'sent'`,
    { replacements: { keys: delivered.map((id) => `${batchId}/lead/${id}/callback`) }, type: QueryTypes.SELECT },
  );
  const sentKeys = new Set(sent.map((r) => r.key));
  return delivered.filter((id) => !sentKeys.has(`${batchId}/lead/${id}/callback`));
}

/** The attempt on which each activity type of a lead's run completed (from the child's history). */
async function finalAttempts(workflowId: string): Promise<Record<string, number>> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const typeOf = new Map<string, string>();
  const attempts: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(String(event.eventId), scheduled.activityType!.name!);
    const started = event.activityTaskStartedEventAttributes;
    if (started) attempts[typeOf.get(String(started.scheduledEventId))!] = started.attempt ?? 1;
  }
  return attempts;
}

it('enriches every lead once and calls the CRM once per lead when the worker dies twice mid-batch', async () => {
  // The slow lead is created first: the batch takes leads in creation order, so it starts with the first window.
  const indexes = [SLOW, ...Array.from({ length: LEADS - 1 }, (_, i) => FIRST + i)];
  const repo = createLeadRepository(stack.db);
  const ids: string[] = [];
  for (const chunk of [indexes.slice(0, 1), indexes.slice(1)]) {
    const created = await repo.upsertMany(
      stack.workspaceId,
      chunk.map((i, row) => ({
        brandId: null,
        fields: { companyName: businessOf(i).name, website: sites.url(i), emails: [`owner${i}@crash-owner.fr`] },
        source: { kind: 'api', reference: 'crash-test', row },
      })),
    );
    ids.push(...created.map((r) => r.lead.id));
  }
  const slowHome = `/b/${SLOW}/`;
  const slowReads = () => sites.pageHits.get(slowHome) ?? 0;

  let worker = spawnMainWorker();
  crm.holdAfter = ANSWERED;
  const batchId = `lead-enrichment/${stack.workspaceId}/crash-${Date.now()}`;
  await stack.client.workflow.start('leadEnrichmentBatchWorkflow', {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId: batchId,
    args: [
      {
        workspaceId: stack.workspaceId,
        brandId: null,
        selection: { leadIds: ids },
        concurrency: CONCURRENCY,
        places: false,
        runSize: RUN_SIZE,
      },
    ],
    typedSearchAttributes: [
      { key: WorkspaceIdKey, value: stack.workspaceId },
      { key: AutomationKey, value: 'lead-enrichment' },
    ],
  });

  // Kill 1: three leads done, the other three slots' callbacks held at the CRM, the slow home page being read.
  await waitFor(
    'three held callbacks while the slow site is read',
    async () => crm.held === CONCURRENCY - 1 && slowReads() === 1 && !sites.pageHits.has(`/b/${SLOW}/contact`),
    60_000,
    5,
  );
  await kill(worker);
  crm.release();
  const atFirst = await progressOf(batchId);
  expect(atFirst).toEqual({ done: ANSWERED, inFlight: CONCURRENCY });
  const window = await inCallbackWindow(batchId, ids);
  expect(window).toHaveLength(CONCURRENCY - 1);

  // Kill 2: the new worker is reading the slow site again (its crawl retried once the heartbeat timed out).
  worker = spawnMainWorker();
  await waitFor('the slow site read again', async () => slowReads() === 2, 90_000, 5);
  await kill(worker);
  const atSecond = await progressOf(batchId);
  expect(atSecond.done).toBeLessThan(LEADS);
  expect(atSecond.inFlight).toBeGreaterThan(0);
  // No callback was on its way this time: nothing new in the window (those of kill 1 may have been posted again
  // already: a claim's lease is the fetcher's time limit and the post heartbeats, so a lost worker costs seconds).
  const second = await inCallbackWindow(batchId, ids);
  expect(second.filter((id) => !window.includes(id))).toEqual([]);
  const kills = 2;

  spawnMainWorker();
  const result = await stack.client.workflow.getHandle(batchId).result();
  expect(result.counts).toMatchObject({ total: LEADS, started: LEADS, failed: 0 });
  expect(result.counts.qualified + result.counts.disqualified).toBe(LEADS);
  // ceil(30 / 8) runs: three continued as new, the last one completed.
  const runs: string[] = [];
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${batchId}'` }))
    runs.push(run.status.name);
  expect(runs.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);

  // One history row per lead, closed, with both pages and the callback sent; the lead's state is the site's.
  const rows = await stack.db.sequelize.query<{ lead_id: string; status: string; pages: number; callback: string }>(
    'SELECT lead_id, status, pages, callback FROM lead_enrichments WHERE lead_id IN (:ids)',
    { replacements: { ids }, type: QueryTypes.SELECT },
  );
  expect(rows).toHaveLength(LEADS);
  expect(new Set(rows.map((r) => r.lead_id)).size).toBe(LEADS);
  for (const row of rows) expect(row).toMatchObject({ status: 'enriched', pages: 2, callback: 'sent' });
  for (const [n, id] of ids.entries()) {
    const lead = (await repo.get(stack.workspaceId, id))!;
    const b = businessOf(indexes[n]);
    expect(['qualified', 'disqualified']).toContain(lead.status);
    expect(lead.score).not.toBeNull();
    expect(lead.emails).toEqual([`owner${b.index}@crash-owner.fr`, b.email]);
    expect(lead.phones).toEqual([b.phone]);
    expect(lead.city).toBe(b.city);
  }

  // Each page read once, except the slow lead's: its crawl ran three times (two cut short by the kills), each
  // reading its home page again; its contact page was read by the one that finished.
  const attempts = await Promise.all(ids.map((id) => finalAttempts(`${batchId}/lead/${id}`)));
  expect(attempts[0].crawlLead).toBe(3);
  expect(sites.pageHits.get(slowHome)).toBe(3);
  expect(sites.pageHits.get(`/b/${SLOW}/contact`)).toBe(1);
  for (const [n, i] of indexes.entries()) {
    if (i === SLOW) continue;
    expect(attempts[n].crawlLead).toBe(1);
    expect([sites.pageHits.get(`/b/${i}/`), sites.pageHits.get(`/b/${i}/contact`)]).toEqual([1, 1]);
  }

  // One callback per lead: one webhook-id each, every lead delivered, every delivery signed.
  const mine = crm.received.filter((r) => ids.includes(deliveredLead(r.body)));
  const webhook = new Webhook(secret);
  for (const r of mine) webhook.verify(r.body, r.headers as Record<string, string>);
  const idsByLead = new Map<string, Set<string>>();
  for (const r of mine) {
    const lead = deliveredLead(r.body);
    idsByLead.set(lead, (idsByLead.get(lead) ?? new Set()).add(String(r.headers['webhook-id'])));
  }
  expect(new Set(mine.map((r) => r.headers['webhook-id'])).size).toBe(LEADS);
  expect([...idsByLead.keys()].sort()).toEqual([...ids].sort());
  for (const webhookIds of idsByLead.values()) expect(webhookIds.size).toBe(1);
  // A second delivery only for the leads the first kill caught in the window, posted by a later attempt: at most
  // one per callback in flight at a kill.
  const twice = ids.filter((id) => mine.filter((r) => deliveredLead(r.body) === id).length > 1);
  expect(twice.sort()).toEqual([...window].sort());
  for (const id of twice) {
    expect(mine.filter((r) => deliveredLead(r.body) === id)).toHaveLength(2);
    expect(attempts[ids.indexOf(id)].sendLeadCallback).toBeGreaterThan(1);
  }
  expect(mine).toHaveLength(LEADS + twice.length);
  expect(twice.length).toBeLessThanOrEqual(kills * CONCURRENCY);
}, 150_000);
