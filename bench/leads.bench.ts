/**
 * Phase 5: lead enrichment (issue 11). One stack with the main worker (the batch, its lead children and every
 * activity they run are on the main queue), local business sites and a CRM receiver on 127.0.0.1
 * (test/support/lead-sites.ts, allow-listed for the crawler, politeness gap 0: every site shares one host here),
 * the CRM callback configured, so each lead is read (home and contact page), merged, scored and posted.
 *
 *   1. Leads per minute: batches of `count` fresh leads started through the API with `concurrency: 1` (the baseline)
 *      and with `concurrency: parallel`, in rounds that alternate which goes first, so drift and a neighbour's burst
 *      weigh on both. A batch's time is `POST /api/v1/runs` → its result.
 *   2. Where a lead's time goes: each child run's steps (`startedAt` / `endedAt` from its progress, as in the other
 *      phases) as a share of the child's workflow time, at 1 in flight, and the same steps' medians under load.
 *
 * Every batch is checked after its timing: all its leads enriched, none failed, one signed callback each at the CRM.
 */
import { performance } from 'node:perf_hooks';
import { tsToMs } from '@temporalio/common/lib/time';
import { createLeadRepository } from '../db/repositories/lead.repository';
import { startTestStack, type TestStack } from '../test/support/harness';
import { businessOf, startCrmReceiver, startLeadSites, type CrmReceiver } from '../test/support/lead-sites';
import type { ProgressStep } from '../workflows/progress';
import { median } from './report';
import { summariseSteps, type RunSample, type StepsResult } from './social-post-steps.bench';

export interface LeadsOptions {
  /** Leads in each batch. */
  count: number;
  /** The batch's `concurrency` in the parallel mode (children in flight). */
  parallel: number;
  /** Batches per mode, alternating which mode goes first. */
  rounds: number;
  /** Environment for the stack's configuration. */
  env: Record<string, string>;
}

export interface LeadsModeResult {
  inFlight: number;
  leads: number;
  elapsedMs: number;
  /** Leads enriched per minute over all measured batches (their summed wall time). */
  perMinute: number;
  rounds: { leads: number; elapsedMs: number; perMinute: number }[];
  /** Each step's median over this mode's leads, in ms (null: the step did not run). */
  stepMedianMs: Record<string, number | null>;
  /** One lead's workflow time, start → close, median. */
  leadMedianMs: number;
  /** At 1 in flight: batch time outside its children, per lead (closing one child, starting the next). */
  betweenLeadsMs: number | null;
}

/** One activity type of a lead's run, from the child's history: medians over leads, in ms. */
export interface ActivityTiming {
  activity: string;
  /** Scheduled → started: waiting on the task queue for a worker's slot and poll. */
  queueMs: number;
  /** Started → completed: the activity's own work. */
  runMs: number;
  /** Completed → the workflow task that saw it started: waiting for the next workflow task. */
  resumeMs: number;
}

export interface LeadsResult {
  config: { leadsPerBatch: number; pagesPerLead: number; hostDelayMs: number; crm: string; places: false };
  /** Where a lead's time goes at 1 in flight: the children of the sequential batches. */
  steps: Omit<StepsResult, 'client' | 'warmupRuns'>;
  /** The same leads' activities from their histories: where a step's time is queueing, work and resuming. */
  activities: ActivityTiming[];
  throughput: {
    rounds: number;
    warmup: number;
    sequential: LeadsModeResult;
    parallel: LeadsModeResult;
    /** The figure of merit: leads/min with `parallel` in flight ÷ leads/min with 1 in flight, same run. */
    ratio: number;
    roundRatios: number[];
  };
  /** Callbacks found at the CRM, one per lead (warm-up included). */
  callbacksChecked: number;
}

interface RunBody {
  status: string;
  startTime: string | null;
  closeTime: string | null;
  progress: { steps: ProgressStep[] } | null;
  result?: { total: number; counts: { started: number; qualified: number; disqualified: number; failed: number } };
  failure?: { message: string };
}

interface Ready {
  stack: TestStack;
  crm: CrmReceiver;
  url: (i: number) => string;
  /** Next unused business index: every batch enriches fresh leads on sites nobody read yet. */
  next: number;
  callbacksChecked: number;
}

async function createLeads(ready: Ready, count: number): Promise<string[]> {
  const indexes = Array.from({ length: count }, () => ready.next++);
  const created = await createLeadRepository(ready.stack.db).upsertMany(
    ready.stack.workspaceId,
    indexes.map((i, row) => ({
      brandId: null,
      fields: { companyName: businessOf(i).name, website: ready.url(i), emails: [`owner${i}@bench-lead.fr`] },
      source: { kind: 'api', reference: 'bench', row },
    })),
  );
  return created.map((r) => r.lead.id);
}

async function getRun(stack: TestStack, id: string): Promise<RunBody> {
  const got = await stack.request<RunBody>('GET', `/api/v1/runs/${encodeURIComponent(id)}`);
  if (got.status !== 200) throw new Error(`GET run ${id} answered ${got.status}`);
  return got.body;
}

/** One lead's run as a sample: its steps from the progress query, its workflow time from Temporal. */
async function leadSample(stack: TestStack, id: string): Promise<RunSample> {
  const run = await getRun(stack, id);
  if (run.status !== 'completed' || !run.progress || !run.startTime || !run.closeTime)
    throw new Error(`Lead run ${id} ended ${run.status} (${run.failure?.message ?? 'no progress or times'})`);
  const workflowMs = Date.parse(run.closeTime) - Date.parse(run.startTime);
  const steps: RunSample['steps'] = {};
  let insideMs = 0;
  for (const step of run.progress.steps) {
    const ms = step.startedAt && step.endedAt ? Date.parse(step.endedAt) - Date.parse(step.startedAt) : null;
    if (ms !== null) insideMs += ms;
    steps[step.name] = { status: step.status, ms, provider: step.provider };
  }
  return { id, clientMs: workflowMs, workflowMs, steps, outsideStepsMs: workflowMs - insideMs };
}

type Spans = Record<string, { queueMs: number; runMs: number; resumeMs: number }>;

/** Per activity type of one lead's run (each runs once per lead): its spans from the history's event times. */
async function activitySpans(stack: TestStack, workflowId: string): Promise<Spans> {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const at = (i: number) => tsToMs(events[i].eventTime);
  const spans: Spans = {};
  const scheduled = new Map<string, { name: string; at: number; startedAt?: number }>();
  events.forEach((event, i) => {
    const id = String(event.eventId);
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(id, { name: s.activityType!.name!, at: at(i) });
    const started = event.activityTaskStartedEventAttributes;
    if (started) scheduled.get(String(started.scheduledEventId))!.startedAt = at(i);
    const done = event.activityTaskCompletedEventAttributes;
    if (done) {
      const task = scheduled.get(String(done.scheduledEventId))!;
      const resumed = events.findIndex((e, j) => j > i && e.workflowTaskStartedEventAttributes);
      spans[task.name] = {
        queueMs: task.startedAt! - task.at,
        runMs: at(i) - task.startedAt!,
        resumeMs: resumed < 0 ? 0 : at(resumed) - at(i),
      };
    }
  });
  return spans;
}

function summariseActivities(all: Spans[]): ActivityTiming[] {
  const names = [...new Set(all.flatMap((s) => Object.keys(s)))];
  return names.map((activity) => {
    const of = (key: keyof Spans[string]) => median(all.filter((s) => s[activity]).map((s) => s[activity][key]));
    return { activity, queueMs: of('queueMs'), runMs: of('runMs'), resumeMs: of('resumeMs') };
  });
}

/** Enriches `count` fresh leads in one batch with `concurrency` children in flight; checks it, returns its timings. */
async function runBatch(ready: Ready, count: number, concurrency: number) {
  const { stack, crm } = ready;
  const ids = await createLeads(ready, count);
  const began = performance.now();
  const res = await stack.request<{ id: string }>('POST', '/api/v1/runs', {
    automation: 'lead-enrichment',
    input: { leadIds: ids, concurrency },
  });
  if (res.status !== 201) throw new Error(`POST /api/v1/runs answered ${res.status}: ${JSON.stringify(res.body)}`);
  const batchId = res.body.id;
  await stack.client.workflow.getHandle(batchId).result();
  const elapsedMs = performance.now() - began;

  const batch = await getRun(stack, batchId);
  const counts = batch.result?.counts;
  if (batch.status !== 'completed' || !counts || counts.started !== count || counts.failed !== 0)
    throw new Error(`Batch ${batchId} did not enrich its ${count} leads: ${JSON.stringify(batch.result ?? batch)}`);
  const samples = await Promise.all(ids.map((id) => leadSample(stack, `${batchId}/lead/${id}`)));
  const spans = await Promise.all(ids.map((id) => activitySpans(stack, `${batchId}/lead/${id}`)));
  const posted = crm.received.filter((r) => ids.includes(JSON.parse(r.body).data.id));
  if (posted.length !== count || new Set(posted.map((r) => r.headers['webhook-id'])).size !== count)
    throw new Error(`The CRM got ${posted.length} callbacks for batch ${batchId}'s ${count} leads, expected one each`);
  ready.callbacksChecked += count;
  const batchMs = Date.parse(batch.closeTime!) - Date.parse(batch.startTime!);
  const inChildrenMs = samples.reduce((sum, s) => sum + s.workflowMs, 0);
  return { elapsedMs, samples, spans, betweenLeadsMs: (batchMs - inChildrenMs) / count };
}

export async function runLeads(options: LeadsOptions, log: (line: string) => void): Promise<LeadsResult> {
  const [sites, crm] = await Promise.all([startLeadSites(), startCrmReceiver()]);
  let stack: TestStack | undefined;
  try {
    stack = await startTestStack('bench-leads', {
      workers: ['main'],
      env: {
        ...options.env,
        CRAWLER_ALLOWED_HOSTS: [sites.allowedHost, crm.allowedHost].join(','),
        CRAWLER_HOST_DELAY_MS: '0',
      },
    });
    const profile = await stack.request('PUT', '/api/v1/lead-profile', {
      categories: ['bistro', 'bakery'],
      cities: ['Lyon', 'Paris'],
      mustHave: { email: true },
    });
    const callback = await stack.request('PUT', '/api/v1/lead-callback', { url: crm.url });
    if (profile.status !== 200 || callback.status !== 201)
      throw new Error(`Setting the lead profile and CRM callback answered ${profile.status} / ${callback.status}`);
    const ready: Ready = { stack, crm, url: sites.url, next: 0, callbacksChecked: 0 };

    log(`warming up: one batch of ${options.parallel} leads, ${options.parallel} in flight (workflow sandbox)`);
    await runBatch(ready, options.parallel, options.parallel);

    type Mode = 'sequential' | 'parallel';
    const inFlight: Record<Mode, number> = { sequential: 1, parallel: options.parallel };
    type Collected = { rounds: LeadsModeResult['rounds']; samples: RunSample[]; spans: Spans[]; between: number[] };
    const perMode: Record<Mode, Collected> = {
      sequential: { rounds: [], samples: [], spans: [], between: [] },
      parallel: { rounds: [], samples: [], spans: [], between: [] },
    };
    for (let round = 0; round < options.rounds; round++) {
      const order: Mode[] = round % 2 === 0 ? ['sequential', 'parallel'] : ['parallel', 'sequential'];
      for (const mode of order) {
        const measured = await runBatch(ready, options.count, inFlight[mode]);
        perMode[mode].rounds.push({
          leads: options.count,
          elapsedMs: measured.elapsedMs,
          perMinute: (options.count * 60_000) / measured.elapsedMs,
        });
        perMode[mode].samples.push(...measured.samples);
        perMode[mode].spans.push(...measured.spans);
        perMode[mode].between.push(measured.betweenLeadsMs);
        log(
          `round ${round + 1}/${options.rounds} ${mode} (${inFlight[mode]} in flight): ${options.count} leads in ${Math.round(measured.elapsedMs)} ms`,
        );
      }
      // Every callback of the round was checked: drop them so the receiver does not hold every lead of the run.
      crm.received.length = 0;
    }

    const summarise = (mode: Mode): LeadsModeResult => {
      const { rounds, samples, between } = perMode[mode];
      const leads = rounds.reduce((sum, r) => sum + r.leads, 0);
      const elapsedMs = rounds.reduce((sum, r) => sum + r.elapsedMs, 0);
      return {
        inFlight: inFlight[mode],
        leads,
        elapsedMs,
        perMinute: (leads * 60_000) / elapsedMs,
        rounds,
        stepMedianMs: Object.fromEntries(summariseSteps(samples).steps.map((s) => [s.name, s.medianMs])),
        leadMedianMs: median(samples.map((s) => s.workflowMs)),
        // With several in flight the children overlap: their summed time says nothing about the gaps.
        betweenLeadsMs: inFlight[mode] === 1 ? median(between) : null,
      };
    };
    const sequential = summarise('sequential');
    const parallel = summarise('parallel');
    const { client: _client, ...steps } = summariseSteps(perMode.sequential.samples);

    return {
      config: {
        leadsPerBatch: options.count,
        pagesPerLead: 2,
        hostDelayMs: stack.config.crawler.hostDelayMs,
        crm: crm.url,
        places: false,
      },
      steps: { runs: perMode.sequential.samples.length, ...steps, samples: perMode.sequential.samples },
      activities: summariseActivities(perMode.sequential.spans),
      throughput: {
        rounds: options.rounds,
        warmup: options.parallel,
        sequential,
        parallel,
        ratio: parallel.perMinute / sequential.perMinute,
        roundRatios: parallel.rounds.map((r, i) => r.perMinute / sequential.rounds[i].perMinute),
      },
      callbacksChecked: ready.callbacksChecked,
    };
  } finally {
    await stack?.stop();
    await Promise.all([sites.stop(), crm.stop()]);
  }
}
