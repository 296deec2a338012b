/**
 * The A/B test's branches with stubbed activities: evaluations on the timer carry the sequential state; a winner is
 * approved, concluded and its post published; a sample ratio mismatch pauses until resumed; no difference is kept as
 * the control on a rejection; an approver extends; a stop ends it with nothing promoted; control requests that cannot
 * apply are refused.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { QueueActivities } from '../../activities/queues';
import type { Evaluation } from '../../activities/abtest/experiment.activities';
import { decideUpdate } from '../../workflows/approval';
import { abTestWorkflow, controlUpdate, type AbTestInput } from '../../workflows/ab-test.workflow';
import { startSagaEnv, waitForApproval, type SagaEnv } from '../support/saga-env';

jest.setTimeout(60_000);

let calls: { name: string; input: any }[];
let verdicts: Evaluation['action'][];

const evaluation = (action: Evaluation['action'], n: number): Evaluation => ({
  action,
  ...(action === 'stop-winner' ? { winner: 'B' } : {}),
  reasons: [`look ${n}: ${action}`],
  sequential: [{ looks: n } as never],
  variants: [
    { key: 'A', exposures: 100 * n, conversions: 5 * n, rate: 0.05, chanceToBeBest: 0.2 },
    { key: 'B', exposures: 100 * n, conversions: 8 * n, rate: 0.08, chanceToBeBest: 0.8 },
  ],
  srmPValue: 0.5,
});

const main: Partial<QueueActivities['main']> = {
  startExperiment: async (input) => {
    calls.push({ name: 'start', input });
    // A few milliseconds between evaluations (the API allows a minute at least).
    return {
      name: 'Short captions',
      kind: 'post',
      keys: ['A', 'B'],
      control: 'A',
      evaluateEveryMinutes: 0.001,
      maxDurationDays: 28,
    };
  },
  evaluateExperiment: async (input) => {
    calls.push({ name: 'evaluate', input });
    const n = calls.filter((c) => c.name === 'evaluate').length;
    return evaluation(verdicts.shift() ?? 'continue', n);
  },
  setExperimentStatus: async (input) => {
    calls.push({ name: `status:${input.status}`, input });
  },
  concludeExperiment: async (input) => {
    calls.push({ name: 'conclude', input });
    return {
      kind: 'post',
      post: { platform: 'instagram', postType: 'promotional' },
      content: input.promoted ? { caption: 'Beans.', callToAction: 'Shop', hashtags: [] } : null,
    };
  },
  publishToLocalChannel: async (input) => {
    calls.push({ name: 'publish', input });
    return { postId: 'p1', url: 'http://channel/p1', channelUrl: 'http://channel', publishedAt: '' } as never;
  },
};

let saga: SagaEnv;
beforeAll(async () => {
  saga = await startSagaEnv({ main }, 'ab-saga');
}, 120_000);
afterAll(() => saga?.stop());
beforeEach(() => {
  calls = [];
  verdicts = [];
});

const input = (): AbTestInput => ({
  workspaceId: 'w1',
  brandId: 'b1',
  experimentId: 'e1',
  approval: { required: true, timeoutSeconds: 60, onTimeout: 'reject' },
});
const names = () => calls.map((c) => c.name);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('abTestWorkflow', () => {
  it('evaluates until a winner, carrying its sequential state, and publishes the promoted post', async () => {
    verdicts = ['continue', 'continue', 'stop-winner'];
    const handle = await saga.start(abTestWorkflow, input());
    const approvalId = await waitForApproval(handle);
    const progress = await handle.query<any, []>('progress');
    expect(progress.approvals[0]).toMatchObject({
      title: 'Promote B?',
      content: { promote: 'B', extendDays: 0, keys: ['A', 'B'], control: 'A', action: 'stop-winner' },
    });
    expect(progress.counts).toEqual({ A: 300, B: 300 });
    expect(progress.steps.find((s: { name: string }) => s.name === 'evaluate').detail).toBe(
      'A 15/300 (5.0%, 20.0% to be best) · B 24/300 (8.0%, 80.0% to be best) — look 3: stop-winner',
    );
    await handle.executeUpdate(decideUpdate, { args: [{ approvalId, action: 'approve', by: 'ana' }] });
    const result = await handle.result();
    expect(result).toEqual({
      status: 'promoted',
      promoted: 'B',
      reasons: ['look 3: stop-winner'],
      evaluations: 3,
      url: 'http://channel/p1',
    });
    expect(names()).toEqual(['start', 'evaluate', 'evaluate', 'evaluate', 'conclude', 'publish']);
    const evaluations = calls.filter((c) => c.name === 'evaluate');
    expect(evaluations[0].input.sequential).toBeUndefined();
    expect(evaluations[2].input.sequential).toEqual([{ looks: 2 }]);
    expect(calls.find((c) => c.name === 'conclude')!.input).toMatchObject({
      promoted: 'B',
      outcome: 'promoted',
      by: 'ana',
    });
    expect(calls.find((c) => c.name === 'publish')!.input).toMatchObject({
      idempotencyKey: `${handle.workflowId}/promote`,
      platform: 'instagram',
      copy: { caption: 'Beans.', callToAction: 'Shop', hashtags: [], altText: '' },
    });
  });

  it('pauses on a sample ratio mismatch until resumed, then keeps the control when the approver rejects', async () => {
    verdicts = ['pause-srm'];
    const handle = await saga.start(abTestWorkflow, input());
    for (let i = 0; i < 100 && !names().includes('status:paused'); i++) await settle();
    await settle();
    const evaluationsWhilePaused = names().filter((n) => n === 'evaluate').length;
    await settle();
    expect(names().filter((n) => n === 'evaluate').length).toBe(evaluationsWhilePaused);
    const paused = await handle.query<any, []>('progress');
    expect(paused.summary).toBe('Paused: sample ratio mismatch');

    await expect(handle.executeUpdate(controlUpdate, { args: [{ action: 'pause' }] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    verdicts = ['stop-futility'];
    await handle.executeUpdate(controlUpdate, { args: [{ action: 'resume', by: 'ana' }] });
    const approvalId = await waitForApproval(handle);
    await handle.executeUpdate(decideUpdate, { args: [{ approvalId, action: 'reject' }] });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'kept-control', promoted: 'A' });
    expect(names()).toEqual(['start', 'evaluate', 'status:paused', 'status:running', 'evaluate', 'conclude']);
  });

  it('goes on counting when the approver extends, and stops with nothing promoted', async () => {
    verdicts = ['stop-max'];
    const handle = await saga.start(abTestWorkflow, input());
    const first = await waitForApproval(handle);
    await handle.executeUpdate(decideUpdate, {
      args: [{ approvalId: first, action: 'edit', edits: { extendDays: 7 } }],
    });
    for (let i = 0; i < 100 && names().filter((n) => n === 'evaluate').length < 3; i++) await settle();
    const extended = calls.filter((c) => c.name === 'evaluate')[2].input;
    expect(extended.maxDurationMs).toBeGreaterThanOrEqual(35 * 86_400_000 - 1000);
    await expect(handle.executeUpdate(controlUpdate, { args: [{ action: 'extend', days: 0 }] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    await handle.executeUpdate(controlUpdate, { args: [{ action: 'stop', by: 'ana' }] });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'stopped', promoted: null });
    expect(calls.find((c) => c.name === 'conclude')!.input).toMatchObject({
      promoted: null,
      outcome: 'stopped',
      by: 'ana',
    });
    expect(names()).not.toContain('publish');
  });

  it('refuses an edit that names no variant', async () => {
    verdicts = ['stop-winner'];
    const handle = await saga.start(abTestWorkflow, input());
    const approvalId = await waitForApproval(handle);
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ approvalId, action: 'edit', edits: { promote: 'Z' } }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await handle.executeUpdate(decideUpdate, { args: [{ approvalId, action: 'edit', edits: { promote: 'A' } }] });
    expect(await handle.result()).toMatchObject({ status: 'kept-control', promoted: 'A' });
  });
});
