/**
 * Social post: write the copy, render the image, wait for a human (or the policy), publish once.
 */
import {
  allHandlersFinished,
  condition,
  executeChild,
  isCancellation,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { PLATFORM_LIMITS, type Platform, type PostCopy, type PostFormat, type PostType } from '../lib/social';
import { draftKeyPrefix } from '../lib/file-keys';
import { copyEditRules, headlineOf } from '../lib/social-copy-edit';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { createApprovalGate, type ApprovalPolicy } from './approval';
import { failureMessage } from '../lib/failure-chain';
import { socialPostManifest } from './social-post.manifest';
import { ProgressTracker, progressQuery } from './progress';
import { postPublishWorkflow } from './post-publish.workflow';
import type { Publication } from '../lib/video/types';
import { failure } from '../lib/failures';

export interface SocialPostInput {
  workspaceId: string;
  brandId: string;
  platform: Platform;
  postType: PostType;
  format?: PostFormat;
  topic?: string;
  language?: string;
  approval: ApprovalPolicy;
  /**
   * Where the post goes, each target required (the calendar names an entry's). Without it: the brand's channel, which
   * must take the post, and the post's platform when the brand can publish there.
   */
  targets?: PostTarget[];
  /** Ready copy (a calendar entry's): published as written, no writer asked. */
  copy?: PostCopy;
}

export type PostTarget = 'local' | Platform;

export interface SocialPostResult {
  /** published: on the brand's channel (a platform that failed is in `publications`). */
  status: 'published' | 'rejected';
  copy: PostCopy;
  imageUrl: string;
  postId?: string;
  url?: string;
  /** Which text provider wrote the copy. */
  writtenBy: string;
  /** Each platform's outcome: the local channel, and the post's platform when the brand can publish there. */
  publications?: Publication[];
}

const PLATFORM_NAMES: Record<string, string> = {
  local: 'brand channel',
  instagram: 'Instagram',
  facebook: 'Facebook',
  linkedin: 'LinkedIn',
  x: 'X',
  tiktok: 'TikTok',
};

/**
 * Whether an edit changes what the image shows. Decided on recorded values only (the generated copy and the edit) with
 * plain comparisons, so a later change to how the headline is cut cannot change a replayed run's commands. Runs
 * started before compared headlines, and replay that way.
 */
function imageChanged(generated: PostCopy, edited: PostCopy): boolean {
  if (edited.callToAction !== generated.callToAction) return true;
  if (patched('rerender-on-caption-change')) return edited.caption !== generated.caption;
  return headlineOf(edited.caption) !== headlineOf(generated.caption);
}

/** The brand's channel and, when the brand can publish there, the post's platform: one child each, in parallel. */
async function publishEverywhere(
  input: SocialPostInput,
  workflowId: string,
  format: PostFormat,
  copy: PostCopy,
  imageKey: string,
  slideKeys?: string[],
): Promise<Publication[]> {
  const platforms = input.targets ?? (await defaultTargets(input));
  const outcomes = await Promise.allSettled(
    platforms.map((platform) =>
      executeChild(postPublishWorkflow, {
        workflowId: `${workflowId}/publish/${platform}`,
        args: [
          {
            platform,
            workspaceId: input.workspaceId,
            brandId: input.brandId,
            parentWorkflowId: workflowId,
            writtenFor: input.platform,
            postType: input.postType,
            format,
            copy,
            imageKey,
            ...(slideKeys ? { slideKeys } : {}),
          },
        ],
      }),
    ),
  );
  return outcomes.map((o, i): Publication =>
    o.status === 'fulfilled' ? o.value : { platform: platforms[i], status: 'failed', error: failureMessage(o.reason) },
  );
}

/** The brand's channel, and the post's platform when the brand has an account there or the deployment has keys. */
async function defaultTargets(input: SocialPostInput): Promise<PostTarget[]> {
  const { checkPostTargets } = activitiesOn('main', presets.quick);
  const [target] = await checkPostTargets({
    workspaceId: input.workspaceId,
    brandId: input.brandId,
    platforms: [input.platform],
  });
  return target.publish ? ['local', input.platform] : ['local'];
}

const safeKey = (workflowId: string) => workflowId.replace(/[^A-Za-z0-9_-]+/g, '_');

export async function socialPostWorkflow(input: SocialPostInput): Promise<SocialPostResult> {
  const tracker = new ProgressTracker(socialPostManifest.automation, socialPostManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const gate = createApprovalGate<PostCopy>(tracker, copyEditRules(input.platform));

  const { workflowId } = workflowInfo();
  const { loadBrandForPost } = activitiesOn('main', presets.quick);
  const { publishToLocalChannel } = activitiesOn('main', presets.publish);
  const { generatePostCopy } = activitiesOn('main', presets.llm);
  const { renderPostImage, renderPostCarousel } = activitiesOn('browser', presets.render());
  const format = input.format ?? PLATFORM_LIMITS[input.platform].defaultFormat;

  try {
    tracker.start('load-brand');
    const brand = await loadBrandForPost({ workspaceId: input.workspaceId, brandId: input.brandId });
    tracker.done('load-brand', brand.name);

    tracker.start('write-copy');
    const generated = input.copy
      ? { copy: input.copy, provider: 'ready copy', model: undefined, fallbacks: [] }
      : await generatePostCopy({
          brand: { ...brand, keywords: brand.keywords },
          platform: input.platform,
          postType: input.postType,
          topic: input.topic,
          language: input.language,
        });
    const skipped = generated.fallbacks.map((f) => `${f.provider} failed (${f.error})`).join('; ');
    const written = input.copy ? 'Ready copy, as planned' : `Written by ${generated.provider}`;
    tracker.done(
      'write-copy',
      skipped ? `${written} after: ${skipped}` : written,
      generated.model ? `${generated.provider}:${generated.model}` : generated.provider,
    );

    let renders = 0;
    // Drafts are private to the workspace until published (issue 8); runs started before kept the public folder.
    const imageFolder = patched('private-draft-images')
      ? `${draftKeyPrefix(input.workspaceId)}social-post/${safeKey(workflowId)}`
      : `posts/${safeKey(workflowId)}`;
    const renderImage = async (copy: PostCopy) => {
      renders += 1;
      tracker.start('render-image');
      const image = await renderPostImage({
        key: `${imageFolder}/image-${renders}.png`,
        brand: {
          name: brand.name,
          slogan: brand.slogan ?? undefined,
          colors: brand.colors,
          fontFamily: brand.fontFamily ?? undefined,
        },
        headline: headlineOf(copy.caption),
        body: copy.callToAction,
        postType: input.postType,
        platform: input.platform,
        format,
      });
      tracker.done('render-image', `${image.width}×${image.height} PNG`, 'chromium');
      tracker.replaceArtifact('image', 'render-image', {
        kind: 'image',
        url: image.url,
        title: 'Post image',
        step: 'render-image',
      });
      return image;
    };
    // Issue 12, carousels: a cover, the caption's points and a call to action, rendered and stored as slides; the
    // run carries their keys. Runs started before had no carousel format.
    const carousel = format === 'carousel' && patched('post-carousel');
    let slideKeys: string[] | undefined;
    const renderSlides = async (copy: PostCopy) => {
      renders += 1;
      tracker.start('render-image');
      const { slides } = await renderPostCarousel({
        folder: `${imageFolder}/carousel-${renders}`,
        brand: {
          name: brand.name,
          slogan: brand.slogan ?? undefined,
          colors: brand.colors,
          fontFamily: brand.fontFamily ?? undefined,
        },
        copy,
        postType: input.postType,
        platform: input.platform,
      });
      tracker.done('render-image', `${slides.length} slides, ${slides[0].width}×${slides[0].height} PNG`, 'chromium');
      slides.forEach((slide, i) => {
        const artifact = {
          kind: 'image' as const,
          url: slide.url,
          title: `Slide ${i + 1} of ${slides.length}`,
          step: 'render-image',
        };
        // The first replaces the slides of an earlier render; the rest follow it in order.
        if (i === 0) tracker.replaceArtifact('image', 'render-image', artifact);
        else tracker.artifact(artifact);
      });
      slideKeys = slides.map((slide) => slide.key);
      return slides[0];
    };
    const render = (copy: PostCopy) => (carousel ? renderSlides(copy) : renderImage(copy));
    let image = await render(generated.copy);

    const outcome = await gate.request({
      id: 'copy-1',
      step: 'approval',
      title: 'Approve the post',
      content: generated.copy,
      policy: input.approval,
    });
    if (outcome.result === 'rejected') {
      tracker.complete(`Rejected${outcome.by ? ` by ${outcome.by}` : ''}; nothing was published`);
      await condition(allHandlersFinished);
      return { status: 'rejected', copy: outcome.content, imageUrl: image.url, writtenBy: generated.provider };
    }
    if (imageChanged(generated.copy, outcome.content)) image = await render(outcome.content);

    tracker.start('publish');
    // Issue 12: the post reaches its platform too, through one child per platform; runs started before published on
    // the brand's channel only, and replay that way.
    if (patched('publish-to-platforms')) {
      const publications = await publishEverywhere(input, workflowId, format, outcome.content, image.key, slideKeys);
      const required: string[] = input.targets ?? ['local'];
      const first = publications.find((p) => p.platform === required[0])!;
      const ok = publications.filter((p) => p.status === 'published');
      const failed = publications.filter((p) => p.status === 'failed');
      for (const p of ok)
        if (p.url)
          tracker.artifact({
            kind: 'link',
            url: p.url,
            title: p.platform === 'local' ? 'Published post' : `On ${PLATFORM_NAMES[p.platform]}`,
            step: 'publish',
          });
      const summary = [
        ok.length
          ? `Published on ${ok.map((p) => (p.platform === 'local' ? `${brand.name}'s channel` : PLATFORM_NAMES[p.platform])).join(', ')}`
          : 'Published nowhere',
        ...failed.map((p) => `${PLATFORM_NAMES[p.platform]} failed: ${p.error}`),
      ].join('; ');
      // A required target (by default the brand's channel) that did not take the post fails the run.
      if (publications.some((p) => required.includes(p.platform) && p.status !== 'published')) {
        tracker.fail('publish', summary);
        throw failure('PublishFailed', summary, { details: [publications] });
      }
      tracker.done('publish', summary, ok.map((p) => p.platform).join(', '));
      tracker.complete(summary);
      await condition(allHandlersFinished);
      return {
        status: 'published',
        copy: outcome.content,
        imageUrl: image.url,
        postId: first.externalId,
        url: first.url,
        writtenBy: generated.provider,
        publications,
      };
    }
    const published = await publishToLocalChannel({
      idempotencyKey: `${workflowId}/publish/local`,
      workflowId,
      workspaceId: input.workspaceId,
      brandId: input.brandId,
      platform: input.platform,
      postType: input.postType,
      copy: outcome.content,
      imageKey: image.key,
    });
    tracker.done('publish', `Published on ${brand.name}'s channel`, 'local');
    tracker.artifact({ kind: 'link', url: published.url, title: 'Published post', step: 'publish' });
    tracker.complete(`Published on ${brand.name}'s channel`);

    await condition(allHandlersFinished);
    return {
      status: 'published',
      copy: outcome.content,
      imageUrl: image.url,
      postId: published.postId,
      url: published.url,
      writtenBy: generated.provider,
    };
  } catch (err) {
    if (isCancellation(err)) tracker.failRunning('Cancelled', 'cancelled');
    else tracker.failRunning(failureMessage(err), 'failed');
    throw err;
  }
}
