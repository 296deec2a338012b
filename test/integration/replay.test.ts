/**
 * Determinism guard: recorded histories under test/histories replay against today's workflow
 * code, so a change that would break runs already in flight fails the build.
 * `RECORD_HISTORIES=1 npx jest --testPathPatterns replay` records fresh histories of every automation;
 * `RECORD_HISTORIES=brand-report` (or `video`, `social-post`) only that one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { findTemporalCli } from '../../temporal/cli';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';
import { prepareReportBrand } from '../support/report-setup';

const HISTORIES = path.resolve(__dirname, '..', 'histories');
/** file → the recorded run's workflow id: child workflow ids derive from it, so a replay must use the same one. */
const IDS_FILE = path.join(HISTORIES, 'workflow-ids.json');
const readIds = (): Record<string, string> =>
  fs.existsSync(IDS_FILE) ? JSON.parse(fs.readFileSync(IDS_FILE, 'utf8')) : {};
const bundle = () => ({ workflowBundle: { codePath: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE! } });

/** A social post that goes through every branch worth recording: a refused edit, an accepted edit, a re-render, publish. */
async function recordSocialPost(stack: TestStack): Promise<Recorded> {
  const brand = await stack.brand({ name: 'Replay Roasters' });
  const started = await stack.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: {
      brandId: brand.id,
      platform: 'x',
      postType: 'tips',
      topic: 'pour-over ratios',
      approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' },
    },
  });
  const id = started.body.id as string;
  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length === 1);
  const url = `/api/v1/runs/${encodeURIComponent(id)}/approvals/${waiting.progress.approvals[0].id}`;
  expect((await stack.request('POST', url, { action: 'edit', edits: { caption: 'y'.repeat(300) } })).status).toBe(400);
  expect(
    (
      await stack.request('POST', url, {
        action: 'edit',
        edits: { caption: 'Use 1:16 coffee to water. Taste, then adjust one variable at a time.' },
      })
    ).status,
  ).toBe(200);
  await waitForRun(stack, id, (r) => r.status === 'completed');
  return exportHistory(stack, id);
}

/** A brand report that is edited (recipients, subject) at approval and mailed. */
async function recordBrandReport(stack: TestStack): Promise<Recorded> {
  const { brand } = await prepareReportBrand(stack, { name: 'Replay Skincare' });
  const started = await stack.request('POST', '/api/v1/runs', {
    automation: 'brand-report',
    input: { brandId: brand.id, recipients: ['cmo@replay.example'], approval: { required: true, timeoutSeconds: 600 } },
  });
  const id = started.body.id as string;
  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length === 1, 90_000);
  const url = `/api/v1/runs/${encodeURIComponent(id)}/approvals/${waiting.progress.approvals[0].id}`;
  expect((await stack.request('POST', url, { action: 'edit', edits: { recipients: [] } })).status).toBe(400);
  const edit = { action: 'edit', edits: { subject: 'Your brand diagnosis', recipients: ['ceo@replay.example'] } };
  expect((await stack.request('POST', url, edit)).status).toBe(200);
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 90_000);
  expect(done.result.status).toBe('sent');
  return exportHistory(stack, id);
}

/** A 15 s video: credits granted, a refused script edit, an accepted one, rendered and published on the channel. */
async function recordVideo(stack: TestStack): Promise<Recorded> {
  expect((await stack.request('POST', '/api/v1/credits/grants', { amount: 10, note: 'replay' })).status).toBe(201);
  const brand = await stack.brand({ name: 'Replay Ramen' });
  const started = await stack.request('POST', '/api/v1/runs', {
    automation: 'video',
    input: {
      brandId: brand.id,
      brief: { topic: 'Slow-simmered broth' },
      targetSeconds: 15,
      approval: { required: true, timeoutSeconds: 600 },
    },
  });
  const id = started.body.id as string;
  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length === 1, 60_000);
  const url = `/api/v1/runs/${encodeURIComponent(id)}/approvals/${waiting.progress.approvals[0].id}`;
  expect((await stack.request('POST', url, { action: 'edit', edits: { scenes: { 9: { visual: 'x' } } } })).status).toBe(
    400,
  );
  const edit = { action: 'edit', edits: { title: 'Twelve hours of broth' } };
  expect((await stack.request('POST', url, edit)).status).toBe(200);
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 120_000);
  expect(done.result.status).toBe('published');
  return exportHistory(stack, id);
}

interface Recorded {
  workflowId: string;
  json: string;
}

function exportHistory(stack: TestStack, id: string): Recorded {
  // The CLI writes the canonical proto3 JSON that `historyFromJSON` and the Web UI's export use.
  const json = execFileSync(
    findTemporalCli()!,
    ['workflow', 'show', '--workflow-id', id, '--output', 'json', '--address', stack.config.temporal.address],
    { encoding: 'utf8' },
  );
  return { workflowId: id, json };
}

const RECORDERS: Record<string, { file: string; record: (stack: TestStack) => Promise<Recorded> }> = {
  'social-post': { file: 'social-post-edit-approve.json', record: recordSocialPost },
  'brand-report': { file: 'brand-report-edit-send.json', record: recordBrandReport },
  video: { file: 'video-edit-publish.json', record: recordVideo },
};

function toRecord(): string[] {
  const wanted = process.env.RECORD_HISTORIES;
  if (!wanted) return [];
  return wanted === '1' ? Object.keys(RECORDERS) : wanted.split(',').map((s) => s.trim());
}

describe('workflow replay', () => {
  let stack: TestStack;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ port: 0 });
    stack = await startTestStack('replay', {
      workers: ['main', 'media', 'browser'],
      env: { SMTP_HOST: sink.host, SMTP_PORT: String(sink.port) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
  });

  it('replays every recorded history without non-determinism', async () => {
    for (const name of toRecord()) {
      const recorder = RECORDERS[name];
      if (!recorder) throw new Error(`No recorder for ${name}; known: ${Object.keys(RECORDERS).join(', ')}`);
      const { workflowId, json } = await recorder.record(stack);
      fs.writeFileSync(path.join(HISTORIES, recorder.file), json);
      fs.writeFileSync(IDS_FILE, `${JSON.stringify({ ...readIds(), [recorder.file]: workflowId }, null, 2)}\n`);
    }
    const files = Object.values(RECORDERS).map((r) => r.file);
    expect(fs.readdirSync(HISTORIES).sort()).toEqual([...files, path.basename(IDS_FILE)].sort());
    const ids = readIds();
    for (const file of files) {
      const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')));
      expect(history.events?.length).toBeGreaterThan(10);
      await expect(Worker.runReplayHistory(bundle(), history, ids[file] ?? file)).resolves.toBeUndefined();
    }
  });

  it('detects a non-deterministic change', async () => {
    // The same history against a workflow that schedules different activities must fail.
    const file = fs.readdirSync(HISTORIES).find((f) => f.startsWith('social-post'))!;
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: require.resolve('./fixtures/changed-social-post.workflow') },
        history,
        file,
      ),
    ).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation|does not match/);
  });
});
