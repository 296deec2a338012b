/**
 * Determinism guard: recorded histories under test/histories replay against today's workflow
 * code, so a change that would break runs already in flight fails the build.
 * `RECORD_HISTORIES=1 npx jest --testPathPatterns replay` records fresh histories of every recorder in
 * test/support/history-recorders.ts; `RECORD_HISTORIES=video-reject,knowledge-index` only those. Record a new branch
 * when you add it; re-record an old one only when its code path is gone (docs/workflows.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { startTestStack, type TestStack } from '../support/harness';
import { RECORDERS, RETIRED_HISTORIES } from '../support/history-recorders';

const HISTORIES = path.resolve(__dirname, '..', 'histories');
/** file → the recorded run's workflow id: child workflow ids derive from it, so a replay must use the same one. */
const IDS_FILE = path.join(HISTORIES, 'workflow-ids.json');
const readIds = (): Record<string, string> =>
  fs.existsSync(IDS_FILE) ? JSON.parse(fs.readFileSync(IDS_FILE, 'utf8')) : {};
const bundle = () => ({ workflowBundle: { codePath: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE! } });

/** The recorders to run: `RECORD_HISTORIES=1` all, or names (file names without `.json`) separated by commas. */
function toRecord(): string[] {
  const wanted = process.env.RECORD_HISTORIES;
  if (!wanted) return [];
  const names = Object.keys(RECORDERS).map((f) => f.replace(/\.json$/, ''));
  return wanted === '1' ? names : wanted.split(',').map((s) => s.trim());
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
      const file = `${name}.json`;
      const recorder = RECORDERS[file];
      if (!recorder) throw new Error(`No recorder for ${name}; known: ${Object.keys(RECORDERS).join(', ')}`);
      const { workflowId, json } = await recorder(stack);
      fs.writeFileSync(path.join(HISTORIES, file), json);
      fs.writeFileSync(IDS_FILE, `${JSON.stringify({ ...readIds(), [file]: workflowId }, null, 2)}\n`);
    }
    const files = [...Object.keys(RECORDERS), ...Object.keys(RETIRED_HISTORIES)];
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
