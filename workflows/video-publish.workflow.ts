/**
 * Publishing one video to one platform: a child of the video pipeline, so each platform retries, fails and shows in
 * the Temporal Web UI on its own. Idempotent by `<parent workflow id>/publish/<platform>`.
 */
import type { PlatformMetadata, Publication, RenderedVideo, VideoPlatform } from '../lib/video/types';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';

export interface VideoPublishInput {
  platform: VideoPlatform;
  workspaceId: string;
  brandId: string;
  parentWorkflowId: string;
  video: RenderedVideo;
  metadata: PlatformMetadata;
  /** The brief's language: the local channel labels the subtitle track with it. */
  language?: string;
}

export async function videoPublishWorkflow(input: VideoPublishInput): Promise<Publication> {
  const { publishVideo } = activitiesOn('main', presets.upload);
  return publishVideo({
    platform: input.platform,
    idempotencyKey: `${input.parentWorkflowId}/publish/${input.platform}`,
    workflowId: input.parentWorkflowId,
    workspaceId: input.workspaceId,
    brandId: input.brandId,
    video: input.video,
    metadata: input.metadata,
    language: input.language,
  });
}
