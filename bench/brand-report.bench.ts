/**
 * Phase 3: the brand report (issue 3) on the embedded defaults — offline analyst, lexical embeddings in
 * PostgreSQL, local file storage, Chromium for the PDF — mailed over real SMTP to a sink the phase starts
 * on a free port. One stack with the main and browser workers, one brand made ready through the API
 * (test/support/report-setup.ts: brand book uploaded and indexed, KPI CSV, completed diagnosis).
 *
 *   1. Where the time of one full report goes: warm-up, then reports one after another with
 *      `approval: { required: false }` and one recipient, so every step runs (approval is skipped);
 *      each step's `startedAt` / `endedAt` come from the run's progress, as in phase 2.
 *   2. Reports per minute with 1 in flight (the baseline) against `parallel` in flight, in rounds that
 *      alternate which mode goes first, so drift and a neighbour's burst of CPU weigh on both.
 *
 * Every report's mail is checked at the sink (one message to its own recipient, a PDF attached) after
 * its timing, outside the measured time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { startSmtpSink, type SmtpSink } from '../lib/smtp-sink';
import { startTestStack, type TestStack } from '../test/support/harness';
import { prepareReportBrand } from '../test/support/report-setup';
import { SetupError } from './environment';
import { median, percentile } from './report';
import { timeRun } from './timed-run';
import { summariseSteps, type RunSample, type StepsResult } from './social-post-steps.bench';
import { inParallel } from './start-throughput.bench';
import { createRenderAb, runReportAb, scheduledInput, type ReportAbResult } from './render-ab';
import type { RenderStoredReportPdfInput } from '../activities/report';

/** The issue-14 goals: reports per minute with 4 in flight, and one report's end-to-end time. */
export const REPORT_GOALS = { perMinute: 60, inFlight: 4, oneMs: 2_000 } as const;

/** The product target for one report (seed 003): within five minutes. */
export const REPORT_TARGET_MS = 5 * 60_000;

export interface BrandReportOptions {
  /** Measured sequential reports in part 1. */
  runs: number;
  /** Unmeasured reports before part 1 (Chromium launch, workflow sandbox, first PDF). */
  warmup: number;
  /** Reports per mode in part 2. */
  count: number;
  /** Reports in flight at once in part 2's parallel mode. */
  parallel: number;
  /** Part 2 alternates sequential and parallel in this many rounds. */
  rounds: number;
  /** BROWSER_POOL_SIZE of the browser worker: pages open at once, and its activity slots. */
  browserPool: number;
  /** Environment for the stack's configuration (e.g. CHROMIUM_PATH). */
  env: Record<string, string>;
}

export interface ReportSample extends RunSample {
  pages: number;
  /** Size of the mail received at the sink (the PDF attached, base64). */
  mailBytes: number;
}

export interface ReportModeResult {
  inFlight: number;
  reports: number;
  elapsedMs: number;
  /** Reports finished per minute over all measured rounds (wall time of the rounds). */
  perMinute: number;
  rounds: { reports: number; elapsedMs: number; perMinute: number }[];
  /** One report as its client sees it (POST → result), in ms. */
  clientMs: { p50: number; p95: number; max: number };
  /** Median per step under this load, in ms (null: the step did not run). */
  stepMedianMs: Record<string, number | null>;
  workflowMedianMs: number;
}

export interface BrandReportResult {
  config: {
    browserPoolSize: number;
    textProviders: string[];
    embeddings: string;
    vectorStore: string;
    storage: string;
    smtp: string;
    recipientsPerReport: number;
    approval: 'not required';
  };
  steps: StepsResult & { samples: ReportSample[] };
  /** Median client end-to-end time of part 1 ÷ the five-minute target. */
  target: { ms: number; ratio: number };
  pdf: { pages: number; mailKiB: number };
  throughput: {
    count: number;
    rounds: number;
    warmup: number;
    sequential: ReportModeResult;
    parallel: ReportModeResult;
    /** The figure of merit: reports/min with `parallel` in flight ÷ reports/min with 1 in flight. */
    ratio: number;
    roundRatios: number[];
  };
  /** Mails found at the sink, one per report (warm-ups included), each with its PDF. */
  mailsChecked: number;
  /** Issue 14: the PDF render alone, previous against current, on the last sequential report's input. */
  renderAb: ReportAbResult;
}

/** Poppler's pdfinfo and pdftotext count the PDF's pages and find its sections: the render step needs them. */
export function preflightReport(env: NodeJS.ProcessEnv): void {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const missing = ['pdfinfo', 'pdftotext'].filter(
    (tool) =>
      !dirs.some((dir) => {
        try {
          fs.accessSync(path.join(dir, tool), fs.constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
  );
  if (missing.length > 0) {
    throw new SetupError(
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing from the PATH. The brand report counts its PDF's pages with poppler.\n` +
        `Install it with: apt-get install -y poppler-utils`,
    );
  }
}

interface Ready {
  stack: TestStack;
  sink: SmtpSink;
  brandId: string;
  diagnosisId: string;
  tag: string;
  mailsChecked: number;
}

/** Starts one report through the API, waits for its result, reads its progress. Returns the sample and its recipient. */
async function runOnce(ready: Ready, label: string): Promise<{ sample: RunSample; pages: number; recipient: string }> {
  const recipient = `bench-${ready.tag}-${label}@aurora.example`;
  const { sample, result } = await timeRun<{ status: string; pages?: number }>(
    ready.stack,
    {
      automation: 'brand-report',
      requestId: `bench-report-${ready.tag}-${label}`,
      input: {
        brandId: ready.brandId,
        diagnosisId: ready.diagnosisId,
        recipients: [recipient],
        approval: { required: false },
      },
    },
    'sent',
    'Report',
  );
  return { sample, pages: result.pages ?? 0, recipient };
}

/** The one mail the report sent, as the sink received it: to its own recipient, with a PDF attached. Returns its size. */
async function checkMail(ready: Ready, recipient: string): Promise<number> {
  const { sink } = ready;
  const mail = await sink.waitFor((m) => m.envelope.to.includes(recipient), 10_000);
  const copies = sink.messages().filter((m) => m.envelope.to.includes(recipient)).length;
  if (copies !== 1) throw new Error(`The sink holds ${copies} mails to ${recipient}, expected 1`);
  const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
  if (!pdf || pdf.content.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new Error(`The mail to ${recipient} has no PDF attached`);
  ready.mailsChecked += 1;
  return mail.raw.length;
}

/** Runs `count` reports with at most `inFlight` at once; the elapsed time is the wall time of them all. */
async function measureMode(ready: Ready, count: number, inFlight: number, prefix: string) {
  const samples: RunSample[] = [];
  const recipients: string[] = [];
  const began = performance.now();
  await inParallel(count, inFlight, async (i) => {
    const { sample, recipient } = await runOnce(ready, `${prefix}-${i}`);
    samples.push(sample);
    recipients.push(recipient);
  });
  const elapsedMs = performance.now() - began;
  for (const recipient of recipients) await checkMail(ready, recipient);
  return { elapsedMs, samples };
}

/** Splits `count` into `parts` near-equal shares. */
const shares = (count: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0));

function stepMedians(samples: RunSample[]): Record<string, number | null> {
  return Object.fromEntries(summariseSteps(samples).steps.map((s) => [s.name, s.medianMs]));
}

export async function runBrandReport(
  options: BrandReportOptions,
  log: (line: string) => void,
): Promise<BrandReportResult> {
  const sink = await startSmtpSink({ port: 0 });
  let stack: TestStack | undefined;
  try {
    stack = await startTestStack('bench-report', {
      workers: ['main', 'browser'],
      env: {
        ...options.env,
        SMTP_HOST: sink.host,
        SMTP_PORT: String(sink.port),
        BROWSER_POOL_SIZE: String(options.browserPool),
      },
    });
    log('preparing the brand: brand book upload and indexing, KPI CSV, 5-step diagnosis');
    const prepared = await prepareReportBrand(stack);
    const ready: Ready = {
      stack,
      sink,
      brandId: prepared.brand.id,
      diagnosisId: prepared.diagnosisId,
      tag: randomUUID().slice(0, 8),
      mailsChecked: 0,
    };

    // Part 1: one report at a time.
    log(`warming up: ${options.warmup} report(s) (Chromium launch, workflow sandbox, first PDF)`);
    for (let i = 0; i < options.warmup; i++) {
      const { recipient } = await runOnce(ready, `warmup-${i}`);
      await checkMail(ready, recipient);
    }
    const samples: ReportSample[] = [];
    for (let i = 0; i < options.runs; i++) {
      const { sample, pages, recipient } = await runOnce(ready, `steps-${i}`);
      const mailBytes = await checkMail(ready, recipient);
      samples.push({ ...sample, pages, mailBytes });
      log(
        `report ${i + 1}/${options.runs}: ${sample.workflowMs} ms in the workflow, ${Math.round(sample.clientMs)} ms for the client, ${pages} pages`,
      );
    }
    const steps = { runs: options.runs, warmupRuns: options.warmup, ...summariseSteps(samples), samples };

    // Part 2: reports per minute, 1 in flight against `parallel` in flight.
    log(`warming up: ${options.parallel} reports in parallel`);
    await measureMode(ready, options.parallel, options.parallel, 'warmup-parallel');

    type Mode = 'sequential' | 'parallel';
    const inFlight: Record<Mode, number> = { sequential: 1, parallel: options.parallel };
    const perMode: Record<Mode, { rounds: ReportModeResult['rounds']; samples: RunSample[] }> = {
      sequential: { rounds: [], samples: [] },
      parallel: { rounds: [], samples: [] },
    };
    for (const [round, count] of shares(options.count, options.rounds).entries()) {
      const order: Mode[] = round % 2 === 0 ? ['sequential', 'parallel'] : ['parallel', 'sequential'];
      for (const mode of order) {
        const measured = await measureMode(ready, count, inFlight[mode], `${mode}-${round}`);
        perMode[mode].rounds.push({
          reports: count,
          elapsedMs: measured.elapsedMs,
          perMinute: (count * 60_000) / measured.elapsedMs,
        });
        perMode[mode].samples.push(...measured.samples);
        log(
          `round ${round + 1}/${options.rounds} ${mode} (${inFlight[mode]} in flight): ${count} reports in ${Math.round(measured.elapsedMs)} ms`,
        );
      }
      // Every mail of the round was checked: drop them so the sink does not hold every PDF of the run.
      sink.clear();
    }

    const summarise = (mode: Mode): ReportModeResult => {
      const { rounds, samples: modeSamples } = perMode[mode];
      const reports = rounds.reduce((sum, r) => sum + r.reports, 0);
      const elapsedMs = rounds.reduce((sum, r) => sum + r.elapsedMs, 0);
      const client = modeSamples.map((s) => s.clientMs);
      return {
        inFlight: inFlight[mode],
        reports,
        elapsedMs,
        perMinute: (reports * 60_000) / elapsedMs,
        rounds,
        clientMs: { p50: percentile(client, 0.5), p95: percentile(client, 0.95), max: Math.max(...client) },
        stepMedianMs: stepMedians(modeSamples),
        workflowMedianMs: median(modeSamples.map((s) => s.workflowMs)),
      };
    };
    const sequential = summarise('sequential');
    const parallel = summarise('parallel');

    // Part 3 (issue 14): the render step alone, the previous implementation against the current one.
    log('render A/B: previous against current PDF render, in the bench process');
    const input = await scheduledInput<RenderStoredReportPdfInput>(
      stack,
      samples[samples.length - 1].id,
      'renderStoredReportPdf',
    );
    const ab = createRenderAb(stack, options.browserPool);
    let renderAb: ReportAbResult;
    try {
      renderAb = await runReportAb(ab, input, {
        pairs: 4,
        rounds: 2,
        count: options.count,
        inFlight: options.parallel,
        browserPool: options.browserPool,
      });
    } finally {
      await ab.close();
    }

    return {
      config: {
        browserPoolSize: stack.config.worker.browserPoolSize,
        textProviders: stack.config.text.providers,
        embeddings: stack.config.knowledge.embeddings,
        vectorStore: stack.config.knowledge.vectorStore,
        storage: stack.config.storage.provider,
        smtp: sink.url,
        recipientsPerReport: 1,
        approval: 'not required',
      },
      steps,
      target: { ms: REPORT_TARGET_MS, ratio: steps.client.medianMs / REPORT_TARGET_MS },
      pdf: {
        pages: median(samples.map((s) => s.pages)),
        mailKiB: Math.round(median(samples.map((s) => s.mailBytes)) / 1024),
      },
      throughput: {
        count: options.count,
        rounds: options.rounds,
        warmup: options.parallel,
        sequential,
        parallel,
        ratio: parallel.perMinute / sequential.perMinute,
        roundRatios: parallel.rounds.map((r, i) => r.perMinute / sequential.rounds[i].perMinute),
      },
      mailsChecked: ready.mailsChecked,
      renderAb,
    };
  } finally {
    await stack?.stop();
    await sink.close();
  }
}
