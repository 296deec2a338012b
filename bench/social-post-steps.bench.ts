/**
 * Phase 2: where the time of one social post goes. Runs the automation with auto-approval
 * (`approval: { required: false }`) one after another with the main and browser workers
 * running, and reads each step's `startedAt` / `endedAt` from the run's progress.
 *
 * Step times are workflow time: the step starts in the workflow task that schedules its
 * activity and ends in the workflow task that sees the activity complete, so they include
 * the activity's dispatch and the next workflow task, not only the activity's own work.
 */
import { randomUUID } from 'node:crypto';
import { startTestStack, type TestStack } from '../test/support/harness';
import type { ProgressStep } from '../workflows/progress';
import { median } from './report';
import { timeRun } from './timed-run';

export interface StepsOptions {
  runs: number;
  env: Record<string, string>;
}

export interface RunSample {
  id: string;
  /** POST sent → the workflow's result returned to the client (HTTP, start, execution, result long-poll). */
  clientMs: number;
  /** The workflow's start time → close time, as Temporal records them. */
  workflowMs: number;
  /** Per step: duration in ms, or null when the step did not run (approval is skipped). */
  steps: Record<string, { status: ProgressStep['status']; ms: number | null; provider?: string }>;
  /** Workflow time not inside any step: the first workflow task and the completion. */
  outsideStepsMs: number;
}

export interface StepSummary {
  name: string;
  status: string;
  provider?: string;
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  /** Median over runs of (this step / that run's workflow time). */
  medianShare: number | null;
}

export interface StepsResult {
  runs: number;
  warmupRuns: number;
  steps: StepSummary[];
  outsideSteps: { medianMs: number; medianShare: number };
  workflow: { medianMs: number; minMs: number; maxMs: number };
  client: { medianMs: number; minMs: number; maxMs: number };
  samples: RunSample[];
}

async function runOnce(stack: TestStack, brandId: string, requestId: string): Promise<RunSample> {
  const { sample } = await timeRun(
    stack,
    {
      automation: 'social-post',
      requestId,
      input: { brandId, platform: 'instagram', postType: 'educational', approval: { required: false } },
    },
    'published',
    'Run',
  );
  return sample;
}

const spread = (values: number[]) => ({
  medianMs: median(values),
  minMs: Math.min(...values),
  maxMs: Math.max(...values),
});

export function summariseSteps(
  samples: RunSample[],
): Pick<StepsResult, 'steps' | 'outsideSteps' | 'workflow' | 'client'> {
  const names = Object.keys(samples[0].steps);
  const steps = names.map((name): StepSummary => {
    const ran = samples.filter((s) => s.steps[name].ms !== null);
    const durations = ran.map((s) => s.steps[name].ms!);
    const statuses = [...new Set(samples.map((s) => s.steps[name].status))];
    const providers = [...new Set(samples.map((s) => s.steps[name].provider).filter(Boolean))];
    return {
      name,
      status: statuses.join('/'),
      provider: providers.join('/') || undefined,
      medianMs: ran.length ? median(durations) : null,
      minMs: ran.length ? Math.min(...durations) : null,
      maxMs: ran.length ? Math.max(...durations) : null,
      medianShare: ran.length ? median(ran.map((s) => s.steps[name].ms! / s.workflowMs)) : null,
    };
  });
  return {
    steps,
    outsideSteps: {
      medianMs: median(samples.map((s) => s.outsideStepsMs)),
      medianShare: median(samples.map((s) => s.outsideStepsMs / s.workflowMs)),
    },
    workflow: spread(samples.map((s) => s.workflowMs)),
    client: spread(samples.map((s) => s.clientMs)),
  };
}

export async function runSocialPostSteps(options: StepsOptions, log: (line: string) => void): Promise<StepsResult> {
  // The social post needs the main queue (workflow, brand, copy, publish) and the browser queue (image).
  const stack = await startTestStack('bench-steps', { workers: ['main', 'browser'], env: options.env });
  try {
    const brand = (await stack.brand()) as { id: string };
    const tag = randomUUID().slice(0, 8);

    // The first run pays for Chromium's launch and the workflow sandbox's creation: not measured.
    log('warming up: 1 social post (Chromium launch, workflow sandbox)');
    await runOnce(stack, brand.id, `bench-steps-${tag}-warmup`);

    const samples: RunSample[] = [];
    for (let i = 0; i < options.runs; i++) {
      const sample = await runOnce(stack, brand.id, `bench-steps-${tag}-${i}`);
      samples.push(sample);
      log(
        `social post ${i + 1}/${options.runs}: ${sample.workflowMs} ms in the workflow, ${Math.round(sample.clientMs)} ms for the client`,
      );
    }
    return { runs: options.runs, warmupRuns: 1, ...summariseSteps(samples), samples };
  } finally {
    await stack.stop();
  }
}
