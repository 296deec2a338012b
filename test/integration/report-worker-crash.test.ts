/**
 * The browser worker process is SIGKILLed while it prints the report's PDF: another worker picks the activity up after
 * the heartbeat timeout and the run completes with one report, one PDF and one email.
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { prepareReportBrand } from '../support/report-setup';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';
import { kill, spawnWorker } from '../support/worker-process';

const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

let sink: SmtpSink;
let stack: TestStack;
const children: ChildProcess[] = [];

/** A real browser worker process, like `npm run worker:browser`. */
function spawnBrowserWorker(): ChildProcess {
  const child = spawnWorker('browser.worker.ts', { ...stack.env, WORKER_METRICS_PORT: '0', LOG_LEVEL: 'warn' });
  children.push(child);
  return child;
}

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0 });
  stack = await startTestStack('report-crash', {
    workers: ['main'],
    env: { SMTP_HOST: sink.host, SMTP_PORT: String(sink.port) },
  });
});
afterAll(async () => {
  await Promise.all(children.map(kill));
  await stack?.stop();
  await sink?.close();
});

it('completes with one PDF and one email when the worker dies while rendering', async () => {
  const { brand } = await prepareReportBrand(stack, { name: 'Crashproof Cosmetics' });
  const worker = spawnBrowserWorker();
  const res = await stack.request('POST', '/api/v1/runs', {
    automation: 'brand-report',
    input: { brandId: brand.id, recipients: ['ops@crashproof.example'], approval: { required: false } },
  });
  expect(res.status).toBe(201);
  const id: string = res.body.id;

  const handle = stack.client.workflow.getHandle(id);
  await waitFor(
    'renderStoredReportPdf to be running on the spawned worker',
    async () => {
      const { raw } = await handle.describe();
      return (raw.pendingActivities ?? []).some(
        (a) => a.activityType?.name === 'renderStoredReportPdf' && a.state === STARTED,
      );
    },
    90_000,
    25,
  );
  await kill(worker);
  const { raw } = await handle.describe();
  expect(raw.pendingActivities?.find((a) => a.activityType?.name === 'renderStoredReportPdf')).toBeDefined();

  spawnBrowserWorker();
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 120_000);
  expect(done.result.status).toBe('sent');

  const reports = (await stack.request('GET', `/api/v1/brands/${brand.id}/reports`)).body.items;
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ status: 'sent', workflowId: id });
  // The retry wrote the same keys: one folder with one PDF, its HTML and the values the steps passed by reference.
  const folder = path.join(stack.config.filesDir, 'reports', brand.id, reports[0].id);
  expect(fs.readdirSync(folder).sort()).toEqual(['report.html', 'report.pdf', 'work']);
  expect(fs.readdirSync(path.join(folder, 'work')).sort()).toEqual(['analysis.json', 'passages.json', 'scores.json']);
  expect(fs.readdirSync(path.join(stack.config.filesDir, 'reports', brand.id))).toHaveLength(1);

  await sink.waitFor((m) => m.envelope.to.includes('ops@crashproof.example'), 30_000);
  // Give a duplicate the chance to arrive before counting.
  await new Promise((r) => setTimeout(r, 500));
  const mails = sink.messages().filter((m) => m.envelope.to.includes('ops@crashproof.example'));
  expect(mails).toHaveLength(1);
  expect(mails[0].attachments[0].content.length).toBe(reports[0].bytes);
  const attempts = done.progress.steps.find((s: { name: string }) => s.name === 'render');
  expect(attempts.status).toBe('done');
});
