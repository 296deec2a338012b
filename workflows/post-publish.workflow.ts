/**
 * Publishing one social post on one platform: a child of the social post (issue 12), like the video's
 * videoPublishWorkflow, so each platform retries, fails and shows in the Temporal Web UI on its own. Idempotent by
 * `<parent workflow id>/publish/<platform>`; `local` is the brand's channel, the others the brand's connected account
 * (or the deployment's keys).
 */
import type { Platform, PostCopy, PostFormat, PostType } from '../lib/social';
import type { Publication } from '../lib/video/types';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';

export interface PostPublishInput {
  platform: 'local' | Platform;
  workspaceId: string;
  brandId: string;
  parentWorkflowId: string;
  /** The platform the copy was written for (the local channel labels the post with it). */
  writtenFor: Platform;
  postType: PostType;
  format: PostFormat;
  copy: PostCopy;
  imageKey: string;
  /** A carousel's slides in order (the first is `imageKey`); each platform takes what it can (lib/social.ts). */
  slideKeys?: string[];
}

export async function postPublishWorkflow(input: PostPublishInput): Promise<Publication> {
  const idempotencyKey = `${input.parentWorkflowId}/publish/${input.platform}`;
  if (input.platform === 'local') {
    const { publishToLocalChannel } = activitiesOn('main', presets.publish);
    const post = await publishToLocalChannel({
      idempotencyKey,
      workflowId: input.parentWorkflowId,
      workspaceId: input.workspaceId,
      brandId: input.brandId,
      platform: input.writtenFor,
      postType: input.postType,
      copy: input.copy,
      imageKey: input.imageKey,
      ...(input.slideKeys ? { slideKeys: input.slideKeys } : {}),
    });
    return { platform: 'local', status: 'published', externalId: post.postId, url: post.url };
  }
  const { publishPostImage } = activitiesOn('main', presets.upload);
  return publishPostImage({
    platform: input.platform,
    idempotencyKey,
    workflowId: input.parentWorkflowId,
    workspaceId: input.workspaceId,
    brandId: input.brandId,
    imageKey: input.imageKey,
    text: { caption: input.copy.caption, hashtags: input.copy.hashtags, altText: input.copy.altText },
    format: input.format,
    ...(input.slideKeys ? { slideKeys: input.slideKeys } : {}),
  });
}
