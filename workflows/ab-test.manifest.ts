import type { RunManifest } from './manifest';

export const abTestManifest: RunManifest = {
  automation: 'ab-test',
  steps: [
    { name: 'start', title: 'Start the experiment' },
    { name: 'evaluate', title: 'Evaluate' },
    { name: 'decision', title: 'Decision' },
    { name: 'conclude', title: 'Conclude' },
    { name: 'promote', title: 'Publish the winner' },
  ],
  activitySteps: {
    startExperiment: 'start',
    evaluateExperiment: 'evaluate',
    setExperimentStatus: 'evaluate',
    concludeExperiment: 'conclude',
    publishToLocalChannel: 'promote',
  },
  approvals: { decision: 'ab-verdict' },
  details: [
    { label: 'Experiment', value: 'input.experimentId' },
    { label: 'Approval', value: 'input.approval', format: 'approval-policy' },
    { label: 'Outcome', value: 'result.status', format: 'outcome', ok: ['promoted', 'kept-control'] },
    { label: 'Promoted', value: 'result.promoted' },
    { label: 'Evaluations', value: 'result.evaluations', format: 'number' },
    { label: 'Published at', value: 'result.url', format: 'url' },
  ],
};
