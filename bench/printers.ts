/** The tables `npm run bench` prints for phases 1-7 (the later phases print their own, beside their code). */
import { REPORT_GOALS, type BrandReportResult } from './brand-report.bench';
import type { LeadsResult } from './leads.bench';
import type { AbTestBenchResult } from './abtest.bench';
import { fixed, median, ms, pct, table } from './report';
import type { StepsResult } from './social-post-steps.bench';
import type { ThroughputResult } from './start-throughput.bench';
import { VIDEO_GOAL_MS, type VideoBenchResult } from './video.bench';
import { printReportAb, printVideoAb } from './render-ab';
import type { ReadsResult } from './reads.bench';

export function printThroughput(r: ThroughputResult): void {
  console.log(
    `\nStart throughput — ${r.count} starts per mode, ${r.concurrency} in flight, ${r.rounds} alternating rounds, ${r.warmup} warm-up starts per mode`,
  );
  const row = (label: string, m: ThroughputResult['api']) => [
    label,
    fixed(m.perSecond),
    m.rounds.map((x) => fixed(x.perSecond, 0)).join(' / '),
    ms(m.latencyMs.p50),
    ms(m.latencyMs.p95),
    ms(m.latencyMs.max),
    `${Math.round(m.busy * 100)} %`,
    fixed(m.threadMsPerStart, 2),
    `${Math.round(m.machineBusy * 100)} %`,
  ];
  console.log(
    table(
      ['<mode', 'starts/s', 'per round', 'p50', 'p95', 'max', 'API thread busy', 'ms/start', 'cores busy'],
      [
        row('API  POST /api/v1/runs', r.api),
        row('API  same, fetch on the API thread', r.apiFetch),
        row('hop  bare node:http → raw start', r.hop),
        row('raw  client.workflow.start', r.raw),
      ],
    ),
  );
  const low = Math.min(...r.roundRatios);
  const high = Math.max(...r.roundRatios);
  console.log(
    `ratio api/raw: ${fixed(r.ratio, 2)}   (per round ${fixed(low, 2)}–${fixed(high, 2)}, median ${fixed(median(r.roundRatios), 2)})`,
  );
  console.log(
    `callers: a keep-alive HTTP client on a worker thread; with fetch on the API's thread instead: ${fixed(r.fetchRatio, 2)}`,
  );
  console.log(
    `ceiling: a bare HTTP hop in front of the same start keeps ${fixed(r.hopRatio, 2)} of the raw rate; ` +
      `the API keeps ${fixed(r.ratio / r.hopRatio, 2)} of the hop's`,
  );
  if (r.cleanup.failures.length > 0) {
    const left = r.cleanup.started - r.cleanup.terminated;
    console.warn(`warning: ${left} workflows were not terminated, e.g. ${r.cleanup.failures[0]}`);
  }
}

export function printSteps(r: StepsResult, heading: string): void {
  console.log(`\n${heading} — median of ${r.runs} sequential runs after ${r.warmupRuns} warm-up`);
  const rows = r.steps.map((s) => [
    s.name,
    s.status,
    s.provider ?? '',
    s.medianMs === null ? 'skipped' : ms(s.medianMs),
    s.minMs === null ? '' : `${Math.round(s.minMs)}–${Math.round(s.maxMs!)}`,
    s.medianShare === null ? '–' : pct(s.medianShare),
  ]);
  rows.push(['(outside steps)', '', '', ms(r.outsideSteps.medianMs), '', pct(r.outsideSteps.medianShare)]);
  rows.push(['workflow total', '', '', ms(r.workflow.medianMs), `${r.workflow.minMs}–${r.workflow.maxMs}`, pct(1)]);
  rows.push([
    'client end-to-end',
    '',
    '',
    ms(r.client.medianMs),
    `${Math.round(r.client.minMs)}–${Math.round(r.client.maxMs)}`,
    '',
  ]);
  console.log(table(['<step', '<status', '<provider', 'median', 'min–max ms', 'share'], rows));
  console.log('share: median over runs of step time / workflow time (start → close in Temporal)');
}

export function printBrandReport(r: BrandReportResult): void {
  printSteps(r.steps, 'Brand report, auto-approved, mailed to 1 recipient');
  console.log(
    `report: ${r.pdf.pages} pages, mail ${r.pdf.mailKiB} KiB; ${r.mailsChecked} mails checked at the sink (${r.config.smtp})`,
  );
  console.log(
    `target: median client end-to-end ${ms(r.steps.client.medianMs)} = ${fixed(r.target.ratio, 4)}× the 5-minute target`,
  );

  const t = r.throughput;
  console.log(
    `\nBrand reports per minute — ${t.count} reports per mode, ${t.rounds} alternating rounds, ${t.warmup} warm-up reports in parallel; ` +
      `BROWSER_POOL_SIZE ${r.config.browserPoolSize}, text ${r.config.textProviders.join(',')}, embeddings ${r.config.embeddings}/${r.config.vectorStore}, storage ${r.config.storage}`,
  );
  const row = (label: string, m: BrandReportResult['throughput']['sequential']) => [
    label,
    fixed(m.perMinute),
    m.rounds.map((x) => fixed(x.perMinute)).join(' / '),
    ms(m.clientMs.p50),
    ms(m.clientMs.p95),
    ms(m.clientMs.max),
  ];
  console.log(
    table(
      ['<in flight', 'reports/min', 'per round', 'p50', 'p95', 'max'],
      [row('1 (baseline)', t.sequential), row(String(t.parallel.inFlight), t.parallel)],
    ),
  );
  printRatio(t);
  printSlowdown('the reports of the rounds above', t.parallel.inFlight, {
    steps: [t.sequential.stepMedianMs, t.parallel.stepMedianMs],
    total: ['workflow total', t.sequential.workflowMedianMs, t.parallel.workflowMedianMs],
  });
  printReportAb(r.renderAb);
  console.log(
    `goal: ${fixed(t.parallel.perMinute)} reports/min with ${t.parallel.inFlight} in flight (goal ≥ ${REPORT_GOALS.perMinute} with ${REPORT_GOALS.inFlight}), ` +
      `one report ${ms(r.steps.client.medianMs)} end to end (goal ≤ ${ms(REPORT_GOALS.oneMs)})`,
  );
}

export function printVideo(r: VideoBenchResult): void {
  for (const l of r.lengths) {
    printSteps(
      l.steps,
      `Video, ${l.targetSeconds} s vertical (${fixed(l.durationSeconds)} s rendered), auto-approved, local channel`,
    );
  }
  console.log(
    `\nRender speed — seconds of video per second of the render step; baseline, right after each video: a bare encode of its first frame held still and its narration, same length, size and encoder arguments`,
  );
  console.log(
    table(
      ['<length', 'render × real time', 'bare encode × real time', 'render / bare'],
      r.lengths.map((l) => [
        `${l.targetSeconds} s`,
        `${fixed(l.renderSpeed, 2)}×`,
        `${fixed(l.bareSpeed, 2)}×`,
        fixed(l.ratio, 2),
      ]),
    ),
  );
  console.log(
    `providers: voice ${r.config.voice}, script ${r.config.script}, frames ${r.config.frames}; ` +
      `${r.warmup.runs} warm-up video(s) of ${r.warmup.targetSeconds} s before all lengths`,
  );
  printVideoAb(
    r.lengths.map((l) => ({ ...l, clientMedianMs: l.steps.client.medianMs })),
    VIDEO_GOAL_MS,
  );
}

export function printLeads(r: LeadsResult): void {
  const s = r.steps;
  console.log(
    `\nLead enrichment, one lead (${r.config.pagesPerLead} pages read, merged, scored, posted to the CRM) — median of the ${s.runs} leads of the 1-in-flight batches`,
  );
  const rows = s.steps.map((x) => [
    x.name,
    x.status,
    x.medianMs === null ? 'skipped' : ms(x.medianMs),
    x.minMs === null ? '' : `${Math.round(x.minMs)}–${Math.round(x.maxMs!)}`,
    x.medianShare === null ? '–' : pct(x.medianShare),
  ]);
  rows.push(['(outside steps)', '', ms(s.outsideSteps.medianMs), '', pct(s.outsideSteps.medianShare)]);
  rows.push(['lead total', '', ms(s.workflow.medianMs), `${s.workflow.minMs}–${s.workflow.maxMs}`, pct(1)]);
  console.log(table(['<step', '<status', 'median', 'min–max ms', 'share'], rows));
  console.log(
    `share: median over leads of step time / the lead's workflow time; between leads (batch time outside its children, per lead, 1 in flight): ${ms(r.throughput.sequential.betweenLeadsMs ?? Number.NaN)}`,
  );

  console.log(`\nThe same leads' activities, from their histories (medians)`);
  console.log(
    table(
      ['<activity', 'queued', 'run', 'to next workflow task'],
      r.activities.map((a) => [a.activity, ms(a.queueMs), ms(a.runMs), ms(a.resumeMs)]),
    ),
  );
  console.log('queued: scheduled → started; run: started → completed; then → the next workflow task started');

  const t = r.throughput;
  console.log(
    `\nLeads enriched per minute — batches of ${r.config.leadsPerBatch} fresh leads, ${t.rounds} alternating round(s), one warm-up batch of ${t.warmup}; ` +
      `politeness gap ${r.config.hostDelayMs} ms, Places off; ${r.callbacksChecked} CRM callbacks checked`,
  );
  const row = (label: string, m: LeadsResult['throughput']['sequential']) => [
    label,
    fixed(m.perMinute),
    m.rounds.map((x) => fixed(x.perMinute)).join(' / '),
    ms(m.leadMedianMs),
  ];
  console.log(
    table(
      ['<in flight', 'leads/min', 'per round', 'lead p50'],
      [row('1 (baseline)', t.sequential), row(String(t.parallel.inFlight), t.parallel)],
    ),
  );
  printRatio(t);
  printSlowdown('the leads of the batches above', t.parallel.inFlight, {
    steps: [t.sequential.stepMedianMs, t.parallel.stepMedianMs],
    total: ['lead total', t.sequential.leadMedianMs, t.parallel.leadMedianMs],
  });
}

export function printReads(r: ReadsResult): void {
  console.log(
    `\nReads — ${r.readers} concurrent readers, ${r.reads} reads each: paced (one read every ${r.intervalMs} ms per reader, ` +
      `starts spread) and saturated (back to back)`,
  );
  const label: Record<string, string> = {
    healthz: 'GET /healthz (floor)',
    closed: 'GET /api/v1/runs/:id closed',
    running: 'GET /api/v1/runs/:id running',
  };
  console.log(
    table(
      ['<mode', '<read', 'requests/s', 'p50', 'p95', 'p99', 'max'],
      r.loads.map((l) => [
        l.mode,
        label[l.target],
        fixed(l.perSecond, 0),
        ms(l.latencyMs.p50),
        ms(l.latencyMs.p95),
        ms(l.latencyMs.p99),
        ms(l.latencyMs.max),
      ]),
    ),
  );
  const p99 = (target: string) =>
    r.loads.find((l) => l.mode === 'paced' && l.target === target)?.latencyMs.p99 ?? Number.NaN;
  console.log(
    `paced p99: closed ${ms(p99('closed'))} (goal ≤ 30 ms), running ${ms(p99('running'))} (goal ≤ 100 ms); ` +
      `Temporal loads: ${r.runningLoads} for ${r.runningReads} reads of the running run`,
  );
}

export function printAbTest(r: AbTestBenchResult): void {
  console.log(`\nA/B intake — ${r.concurrency} in flight (events: up to 4 batches), no Temporal on either path`);
  const row = (label: string, api: AbTestBenchResult['assignments']['api'], bare: typeof api, ratio: number) => [
    label,
    fixed(api.perSecond, 0),
    fixed(bare.perSecond, 0),
    fixed(ratio, 2),
    `${ms(api.p50Ms)} / ${ms(api.p99Ms)}`,
    `${ms(bare.p50Ms)} / ${ms(bare.p99Ms)}`,
  ];
  console.log(
    table(
      ['<what', 'api/s', 'bare/s', 'api/bare', 'api p50 / p99', 'bare p50 / p99'],
      [
        row(
          `assignments (${r.assignments.count} per mode)`,
          r.assignments.api,
          r.assignments.bare,
          r.assignments.ratio,
        ),
        row(
          `events (${r.events.batches} batches of ${r.events.batchSize})`,
          r.events.api,
          r.events.bare,
          r.events.ratio,
        ),
      ],
    ),
  );
  console.log('events/s count events, not requests; latencies are per request (a batch for events)');
}

type Medians = Record<string, number | null>;

/** Each step's median at 1 in flight against `inFlight`, and the slowdown (phases 3 and 5). */
function printSlowdown(
  of: string,
  inFlight: number,
  medians: { steps: [Medians, Medians]; total: [string, number | null, number | null] },
): void {
  const row = (name: string, a: number | null, b: number | null) => [
    name,
    a === null ? 'skipped' : ms(a),
    b === null ? 'skipped' : ms(b),
    a === null || b === null ? '' : `${fixed(b / a, 2)}×`,
  ];
  const [one, many] = medians.steps;
  console.log(`\nStep medians under load (${of})`);
  console.log(
    table(
      ['<step', '1 in flight', `${inFlight} in flight`, 'slowdown'],
      [...Object.keys(one).map((n) => row(n, one[n], many[n])), row(...medians.total)],
    ),
  );
}

/** The parallel/sequential ratio line under the brand report's and the leads' in-flight tables. */
function printRatio(t: { ratio: number; roundRatios: number[] }): void {
  console.log(
    `ratio parallel/sequential: ${fixed(t.ratio, 2)}   (per round ${t.roundRatios.map((x) => fixed(x, 2)).join(' / ')})`,
  );
}
