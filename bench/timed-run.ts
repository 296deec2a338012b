/**
 * One run as every phase times it: `POST /api/v1/runs`, a long poll on the workflow's result (no polling interval
 * adds to the measured time), then `GET /api/v1/runs/:id` for its status, result and step times from the progress
 * query. A run that did not end as expected fails the bench with what the API said.
 */
import { performance } from 'node:perf_hooks';
import type { TestStack } from '../test/support/harness';
import type { ProgressStep } from '../workflows/progress';
import type { RunSample } from './social-post-steps.bench';

interface RunBody<R> {
  status: string;
  startTime: string | null;
  closeTime: string | null;
  progress: { steps: ProgressStep[] } | null;
  result?: R;
  failure?: { message: string };
}

export interface TimedRun<R> {
  sample: RunSample;
  /** The workflow's result, whose `status` was the one expected. */
  result: R;
}

/**
 * Starts `automation` with `input`, waits for it and returns its timings. `expectedStatus` is the result's `status` a
 * successful run ends with (`published`, `sent`); anything else throws, naming the run as `what`.
 */
export async function timeRun<R extends { status: string }>(
  stack: TestStack,
  start: { automation: string; requestId: string; input: Record<string, unknown> },
  expectedStatus: string,
  what: string,
): Promise<TimedRun<R>> {
  const began = performance.now();
  const res = await stack.request<{ id: string }>('POST', '/api/v1/runs', start);
  if (res.status !== 201) throw new Error(`POST /api/v1/runs answered ${res.status}: ${JSON.stringify(res.body)}`);
  const id = res.body.id;
  await stack.client.workflow.getHandle(id).result();
  const clientMs = performance.now() - began;

  const got = await stack.request<RunBody<R>>('GET', `/api/v1/runs/${encodeURIComponent(id)}`);
  const run = got.body;
  if (got.status !== 200 || run.status !== 'completed' || run.result?.status !== expectedStatus) {
    throw new Error(
      `${what} ${id} did not end ${expectedStatus}: ${got.status} ${JSON.stringify(run.failure ?? run.result ?? run.status)}`,
    );
  }
  if (!run.progress || !run.startTime || !run.closeTime)
    throw new Error(`${what} ${id} has no progress or times: the progress query went unanswered`);

  const workflowMs = Date.parse(run.closeTime) - Date.parse(run.startTime);
  const steps: RunSample['steps'] = {};
  let insideMs = 0;
  for (const step of run.progress.steps) {
    const duration = step.startedAt && step.endedAt ? Date.parse(step.endedAt) - Date.parse(step.startedAt) : null;
    if (duration !== null) insideMs += duration;
    steps[step.name] = { status: step.status, ms: duration, provider: step.provider };
  }
  return { sample: { id, clientMs, workflowMs, steps, outsideStepsMs: workflowMs - insideMs }, result: run.result };
}
