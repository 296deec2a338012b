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
    renderPostCarousel: 'render-image',
    publishToLocalChannel: 'publish',
    checkPostTargets: 'publish',
  },
  approvals: { approval: 'post-copy' },
  details: [
    { label: 'Platform', value: 'input.platform', format: 'platform' },
    { label: 'Post type', value: 'input.postType', format: 'post-type' },
    { label: 'Format', value: 'input.format' },
    { label: 'Topic', value: 'input.topic' },
    { label: 'Approval', value: 'input.approval', format: 'approval-policy' },
    { label: 'Outcome', value: 'result.status', format: 'outcome', ok: ['published'] },
    { label: 'Published at', value: 'result.url', format: 'url' },
    { label: 'Written by', value: 'result.writtenBy' },
  ],
};
