/**
 * Determinism guard: recorded histories under test/histories replay against today's workflow
 * code, so a change that would break runs already in flight fails the build.
 * `RECORD_HISTORIES=1 npx jest --testPathPatterns replay` records a fresh social-post history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { findTemporalCli } from '../../temporal/cli';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';

const HISTORIES = path.resolve(__dirname, '..', 'histories');
const bundle = () => ({ workflowBundle: { codePath: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE! } });

/** A social post that goes through every branch worth recording: a refused edit, an accepted edit, a re-render, publish. */
async function recordSocialPost(stack: TestStack): Promise<string> {
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
  // The CLI writes the canonical proto3 JSON that `historyFromJSON` and the Web UI's export use.
  return execFileSync(
    findTemporalCli()!,
    ['workflow', 'show', '--workflow-id', id, '--output', 'json', '--address', stack.config.temporal.address],
    { encoding: 'utf8' },
  );
}

describe('workflow replay', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('replay', { workers: ['main', 'browser'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('replays every recorded history without non-determinism', async () => {
    if (process.env.RECORD_HISTORIES === '1') {
      fs.writeFileSync(path.join(HISTORIES, 'social-post-edit-approve.json'), await recordSocialPost(stack));
    }
    const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')));
      expect(history.events?.length).toBeGreaterThan(10);
      await expect(Worker.runReplayHistory(bundle(), history, file)).resolves.toBeUndefined();
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
