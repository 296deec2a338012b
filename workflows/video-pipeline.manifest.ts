import type { RunManifest } from './manifest';

export const videoPipelineManifest: RunManifest = {
  automation: 'video',
  steps: [
    { name: 'load', title: 'Load brand, reserve credits' },
    { name: 'script', title: 'Write script' },
    { name: 'approval', title: 'Approve script' },
    { name: 'voice', title: 'Record narration' },
    { name: 'visuals', title: 'Render frames' },
    { name: 'render', title: 'Render video' },
    { name: 'metadata', title: 'Write titles and hashtags' },
    { name: 'publish', title: 'Publish' },
    { name: 'settle', title: 'Charge credits' },
  ],
  activitySteps: {
    loadVideoBrand: 'load',
    quoteVideo: 'load',
    reserveCredits: 'load',
    writeVideoScript: 'script',
    synthesizeNarration: 'voice',
    renderSceneFrames: 'visuals',
    renderVideo: 'render',
    writeVideoMetadata: 'metadata',
    captureCredits: 'settle',
  },
  approvals: { approval: 'video-script' },
  details: [
    { label: 'Format', value: 'input.format' },
    { label: 'Approval', value: 'input.approval', format: 'approval-policy' },
    { label: 'Outcome', value: 'result.status', format: 'outcome', ok: ['published'] },
  ],
};
