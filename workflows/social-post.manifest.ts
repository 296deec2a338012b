import type { RunManifest } from './manifest';

export const socialPostManifest: RunManifest = {
  automation: 'social-post',
  steps: [
    { name: 'load-brand', title: 'Load brand' },
    { name: 'write-copy', title: 'Write copy' },
    { name: 'render-image', title: 'Render image' },
    { name: 'approval', title: 'Approval' },
    { name: 'publish', title: 'Publish' },
  ],
  activitySteps: {
    loadBrandForPost: 'load-brand',
    generatePostCopy: 'write-copy',
    renderPostImage: 'render-image',
    publishToLocalChannel: 'publish',
  },
  approvals: { approval: 'post-copy' },
};
