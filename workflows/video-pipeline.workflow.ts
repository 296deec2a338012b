/**
 * Brief → script → (approval) → voice → frames → video → metadata → publish (child workflows, one per platform) →
 * analytics (a detached child). Credits follow a saga: reserved before any work, captured once on success,
 * released on failure or cancellation, each step keyed by the workflow id so a crash never holds or charges twice.
 */
import {
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  executeChild,
  isCancellation,
  patched,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { billedSeconds } from '../lib/credits/pricing';
import { fitNarrationLength, measuredPace, type FitAttempt } from '../lib/video/length-fit';
import { sceneEditRules } from '../lib/video/script-rules';
import {
  VIDEO_FORMATS,
  type PlatformMetadata,
  type Publication,
  type RenderedVideo,
  type VideoBrief,
  type VideoFormat,
  type VideoPlatform,
  type VideoScript,
  type NarrationClip,
  type VoiceChoice,
} from '../lib/video/types';
import type { WrittenScript } from '../activities/script/script-writer.port';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { createApprovalGate, type ApprovalPolicy } from './approval';
import { failureMessage } from '../lib/failure-chain';
import { videoPipelineManifest } from './video-pipeline.manifest';
import { ProgressTracker, progressQuery } from './progress';
import { videoAnalyticsWorkflow, type VideoAnalyticsInput } from './video-analytics.workflow';
import { videoPublishWorkflow } from './video-publish.workflow';
import { failure } from '../lib/failures';
import { fileUrl } from '../lib/file-keys';

export interface VideoPipelineInput {
  workspaceId: string;
  brandId: string;
  brief: VideoBrief;
  format: VideoFormat;
  targetSeconds: number;
  platforms: VideoPlatform[];
  voice: VoiceChoice;
  approval: ApprovalPolicy;
  /** Stats collection after publishing; none: no analytics child. */
  analytics?: { intervalSeconds: number; windowSeconds: number };
}

export interface VideoPipelineResult {
  videoId: string;
  videoUrl: string;
  durationSeconds: number;
  publications: Publication[];
  credits: { reserved: number; charged: number };
  status: 'published' | 'partially-published' | 'rejected';
}

const PLATFORM_NAMES: Record<VideoPlatform, string> = {
  local: 'brand channel',
  youtube: 'YouTube',
  facebook: 'Facebook',
  instagram: 'Instagram',
  linkedin: 'LinkedIn',
  x: 'X',
  tiktok: 'TikTok',
};

export async function videoPipelineWorkflow(input: VideoPipelineInput): Promise<VideoPipelineResult> {
  const tracker = new ProgressTracker(videoPipelineManifest.automation, videoPipelineManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const { workflowId } = workflowInfo();
  const videoId = uuid4();
  const keyPrefix = `videos/${input.brandId}/${videoId}`;
  const reservationId = workflowId;

  const support = activitiesOn('main', presets.quick);
  const credits = activitiesOn('main', presets.quick);
  const { writeVideoScript, writeVideoMetadata } = activitiesOn('main', presets.llm);
  const { synthesizeNarration } = activitiesOn('media', presets.media());
  const { renderVideo } = activitiesOn('media', presets.media());
  const { renderSceneFrames } = activitiesOn('browser', presets.pdf());

  let reserved = 0;
  let settled = false;

  try {
    tracker.start('load');
    const brand = await support.loadVideoBrand({ workspaceId: input.workspaceId, brandId: input.brandId });
    const quote = await support.quoteVideo({
      seconds: input.targetSeconds,
      voice: input.voice,
      platforms: input.platforms,
    });
    await credits.reserveCredits({
      workspaceId: input.workspaceId,
      reservationId,
      amount: quote.total,
      description: `Video for ${brand.name}: ${input.targetSeconds} s, ${input.platforms.length} platform(s)`,
    });
    reserved = quote.total;
    tracker.done('load', `${brand.name}; ${quote.total} credits reserved`);

    tracker.start('script');
    const requestedRate = input.voice.wordsPerMinute ?? 160;
    const language = input.brief.language;
    const writeScript = (wordsPerMinute: number) =>
      writeVideoScript({
        brand,
        brief: input.brief,
        format: input.format,
        targetSeconds: input.targetSeconds,
        wordsPerMinute,
        language,
      });
    let written = await writeScript(requestedRate);
    /** One frame per scene of `script`; frames already stored for the same content are kept, not drawn again. */
    const frameScenes = (script: VideoScript) =>
      renderSceneFrames({
        keyPrefix,
        format: input.format,
        brand,
        scenes: script.scenes.map(({ index, onScreenText, visual }) => ({ index, onScreenText, visual })),
      });
    // Frames need the on-screen text, not the voice: the draft's are drawn (browser queue) while its narration is
    // recorded and measured (media queue). After approval the same call keeps every frame whose scene the fit and
    // the approver left as it was. Its failure is not the run's: the frames step draws them again. Runs recorded
    // before drew every frame after approval.
    const draftFrames = patched('video-frames-beside-fit')
      ? frameScenes(written.script).then(
          () => undefined,
          () => undefined,
        )
      : undefined;
    /** Speaks the scenes at the rate; the clips are stored, so an unchanged scene is never recorded twice. */
    const record = (scenes: VideoScript['scenes'], wordsPerMinute: number) =>
      synthesizeNarration({
        keyPrefix,
        scenes: scenes.map((s) => ({ index: s.index, narration: s.narration })),
        voice: { ...input.voice, wordsPerMinute },
        language,
      });
    const secondsOf = (clips: NarrationClip[]) => clips.reduce((n, c) => n + c.durationSeconds, 0);

    // Length is a promise (lib/video/length-fit.ts): before the approver sees the script, it is recorded and
    // measured, re-sized until it fits, so what is approved is what will be heard. Runs recorded before keep the plan.
    const measureLength = patched('measured-narration-length');
    let toApprove = written.script;
    let fitted: FitAttempt | undefined;
    let scriptDetail = `${written.script.scenes.length} scenes, about ${Math.round(written.script.videoSeconds ?? written.script.plannedSeconds)} s`;
    if (measureLength) {
      const writes: WrittenScript[] = [written];
      let voiceProvider = '';
      const fit = await fitNarrationLength(
        written.script,
        {
          record: async (script, wordsPerMinute) => {
            const clips = await record(script.scenes, wordsPerMinute);
            voiceProvider = clips[0]?.provider ?? voiceProvider;
            return secondsOf(clips);
          },
          resize: async (pace) => {
            const next = await writeScript(pace);
            writes.push(next);
            return next.script;
          },
        },
        { targetSeconds: input.targetSeconds, requestedRate, resize: true, language },
      );
      fitted = fit.best;
      written = writes.find((w) => w.script === fit.best.script) ?? written;
      toApprove = {
        ...fit.best.script,
        measured: {
          narrationSeconds: fit.best.narrationSeconds,
          videoSeconds: fit.best.videoSeconds,
          wordsPerMinute: fit.best.wordsPerMinute,
          provider: voiceProvider,
        },
      };
      scriptDetail =
        `${toApprove.scenes.length} scenes, ${fit.best.videoSeconds.toFixed(1)} s measured (${voiceProvider} at ` +
        `${fit.best.wordsPerMinute} wpm${fit.moves.length ? `; ${fit.moves.join(', ')}` : ''})`;
    }
    tracker.done('script', scriptDetail, written.model ? `${written.provider}:${written.model}` : written.provider);

    const gate = createApprovalGate<VideoScript>(
      tracker,
      sceneEditRules(
        fitted
          ? // An edit is planned at the pace the voice was measured at, in the narration's language.
            {
              wordsPerMinute: Math.round(measuredPace(fitted, language)),
              targetSeconds: input.targetSeconds,
              language,
            }
          : { wordsPerMinute: requestedRate, targetSeconds: input.targetSeconds },
      ),
    );
    const decision = await gate.request({
      id: 'script-1',
      step: 'approval',
      title: 'Approve the script',
      content: toApprove,
      policy: input.approval,
    });
    if (decision.result === 'rejected') {
      await releaseOnce('Script rejected');
      for (const name of ['voice', 'visuals', 'render', 'metadata', 'publish'])
        tracker.skip(name, 'The script was rejected');
      tracker.done('settle', `${reserved} credits released`);
      tracker.complete(`Rejected${decision.by ? ` by ${decision.by}` : ''}; nothing was rendered or published`);
      await condition(allHandlersFinished);
      return {
        videoId,
        videoUrl: '',
        durationSeconds: 0,
        publications: [],
        credits: { reserved, charged: 0 },
        status: 'rejected',
      };
    }
    const script = decision.content;

    /** The approved script spoken: its stored clips when unedited, else re-recorded at a rate that fits. */
    const speak = async (): Promise<NarrationClip[]> => {
      tracker.start('voice');
      let clips: NarrationClip[] = [];
      let voiceDetail = '';
      if (fitted) {
        // The approved words are the approver's: an edit that changed the length is corrected by the rate alone,
        // within its natural range. An unedited script's clips are already stored at the fitted rate.
        const byRate = await fitNarrationLength(
          script,
          {
            record: async (s, wordsPerMinute) => secondsOf((clips = await record(s.scenes, wordsPerMinute))),
            resize: () => Promise.reject(new Error('an approved script is not re-sized')),
          },
          {
            targetSeconds: input.targetSeconds,
            requestedRate,
            startRate: fitted.wordsPerMinute,
            resize: false,
            language,
            maxRecordings: 3,
          },
        );
        if (byRate.best !== byRate.attempts[byRate.attempts.length - 1]) {
          clips = await record(script.scenes, byRate.best.wordsPerMinute);
        }
        voiceDetail = ` at ${byRate.best.wordsPerMinute} wpm, a ${byRate.best.videoSeconds.toFixed(1)} s video`;
      } else {
        clips = await synthesizeNarration({
          keyPrefix,
          scenes: script.scenes.map((s) => ({ index: s.index, narration: s.narration })),
          voice: input.voice,
          language: input.brief.language,
        });
      }
      const narrationSeconds = clips.reduce((n, c) => n + c.durationSeconds, 0);
      tracker.done(
        'voice',
        `${clips.length} clips, ${narrationSeconds.toFixed(1)} s of narration${voiceDetail}`,
        clips[0]?.provider,
      );
      return clips;
    };
    /** One frame per scene of the approved script. */
    const drawFrames = async () => {
      tracker.start('visuals');
      // The draft's frames first: drawing the same frames twice at once would only race for the same files.
      await draftFrames;
      const drawn = await frameScenes(script);
      tracker.done(
        'visuals',
        `${drawn.frames.length} frames${drawn.fallbackReason ? ` (fallback: ${drawn.fallbackReason})` : ''}`,
        drawn.provider,
      );
      return drawn;
    };
    // Frames need the script, not the voice: they are drawn (browser queue) while the narration is recorded (media
    // queue). Runs recorded before drew them after the voice.
    let clips: NarrationClip[];
    let visuals: Awaited<ReturnType<typeof drawFrames>>;
    if (patched('video-frames-beside-voice')) {
      [clips, visuals] = await Promise.all([speak(), drawFrames()]);
    } else {
      clips = await speak();
      visuals = await drawFrames();
    }

    const render = async (): Promise<RenderedVideo> => {
      tracker.start('render');
      const frameOf = new Map(visuals.frames.map((f) => [f.sceneIndex, f.key]));
      const clipOf = new Map(clips.map((c) => [c.sceneIndex, c]));
      const video = await renderVideo({
        keyPrefix,
        format: input.format,
        scenes: script.scenes.map((s) => ({
          index: s.index,
          frameKey: frameOf.get(s.index)!,
          audioKey: clipOf.get(s.index)!.key,
          audioSeconds: clipOf.get(s.index)!.durationSeconds,
          subtitle: s.narration,
        })),
        burnSubtitles: true,
      });
      const { width, height } = VIDEO_FORMATS[input.format];
      tracker.done('render', `${width}×${height}, ${video.video.durationSeconds.toFixed(1)} s, H.264 + AAC`, 'ffmpeg');
      tracker.artifact({ kind: 'video', url: fileUrl(video.video.key), title: script.title, step: 'render' });
      tracker.artifact({
        kind: 'subtitles',
        url: fileUrl(video.subtitles.vttKey),
        title: 'Subtitles (WebVTT)',
        step: 'render',
      });
      return video;
    };
    const writeMetadata = async () => {
      tracker.start('metadata');
      const metadata = await writeVideoMetadata({ brand, brief: input.brief, script, platforms: input.platforms });
      tracker.done('metadata', `${metadata.items.length} platform(s)`, metadata.provider);
      return metadata;
    };
    // Titles and descriptions need the script, not the video: written (main queue) while ffmpeg renders (media
    // queue). Runs recorded before wrote them after the render.
    let rendered: RenderedVideo;
    let meta: Awaited<ReturnType<typeof writeMetadata>>;
    const metadataBesideRender = patched('video-metadata-beside-render');
    if (metadataBesideRender) {
      [rendered, meta] = await Promise.all([render(), writeMetadata()]);
    } else {
      rendered = await render();
      meta = await writeMetadata();
    }
    const videoUrl = fileUrl(rendered.video.key);

    tracker.start('publish');
    const byPlatform = new Map(meta.items.map((m): [VideoPlatform, PlatformMetadata] => [m.platform, m]));
    const outcomes = await Promise.allSettled(
      input.platforms.map((platform) =>
        executeChild(videoPublishWorkflow, {
          workflowId: `${workflowId}/publish/${platform}`,
          args: [
            {
              platform,
              workspaceId: input.workspaceId,
              brandId: input.brandId,
              parentWorkflowId: workflowId,
              video: rendered,
              metadata: byPlatform.get(platform)!,
              language: input.brief.language,
            },
          ],
        }),
      ),
    );
    // A publish cancelled with the run is the run's cancellation, not a platform's failure. Runs recorded before
    // learnt of it from the metadata step, which followed the render.
    const cancelled = outcomes.find((o) => o.status === 'rejected' && isCancellation(o.reason));
    if (metadataBesideRender && cancelled?.status === 'rejected') throw cancelled.reason;
    const publications: Publication[] = outcomes.map((o, i) =>
      o.status === 'fulfilled'
        ? o.value
        : { platform: input.platforms[i], status: 'failed', error: failureMessage(o.reason) },
    );
    for (const p of publications) {
      if (p.url)
        tracker.artifact({ kind: 'link', url: p.url, title: `On ${PLATFORM_NAMES[p.platform]}`, step: 'publish' });
    }
    const ok = publications.filter((p) => p.status === 'published');
    const failed = publications.filter((p) => p.status === 'failed');
    const summary = [
      ok.length ? `Published on ${ok.map((p) => PLATFORM_NAMES[p.platform]).join(', ')}` : 'Published nowhere',
      ...failed.map((p) => `${PLATFORM_NAMES[p.platform]} failed: ${p.error}`),
    ].join('; ');
    if (ok.length === 0) tracker.fail('publish', summary);
    else tracker.done('publish', summary);

    // Nothing published: the run fails and the catch below releases the reservation.
    if (ok.length === 0) throw failure('PublishFailed', summary, { details: [publications] });

    tracker.start('settle');
    const actual = await support.quoteVideo({
      seconds: billedSeconds(rendered.video.durationSeconds, input.targetSeconds),
      voice: { ...input.voice, provider: clips[0]?.provider === 'elevenlabs' ? 'elevenlabs' : 'espeak' },
      platforms: ok.map((p) => p.platform),
      scriptProvider: written.provider,
      imageProvider: visuals.provider,
      scenes: script.scenes.length,
    });
    const capture = await credits.captureCredits({
      workspaceId: input.workspaceId,
      reservationId,
      amount: actual.total,
      description: `Video ${script.title}: ${rendered.video.durationSeconds.toFixed(1)} s`,
    });
    settled = true;
    // Length is billed up to the target, so only a costlier provider than quoted could exceed the hold; what the
    // workspace could not pay of that is the shortfall.
    const charged = capture.charged;
    tracker.done(
      'settle',
      `${charged} of ${reserved} reserved credits charged` +
        (capture.shortfall > 0 ? `; ${capture.shortfall} more could not be paid` : ''),
    );

    if (input.analytics && ok.length > 0) {
      const analytics: VideoAnalyticsInput = {
        workspaceId: input.workspaceId,
        brandId: input.brandId,
        publications: ok,
        intervalSeconds: input.analytics.intervalSeconds,
        until: new Date(new Date().getTime() + input.analytics.windowSeconds * 1000).toISOString(),
        readings: 0,
      };
      // Detached: the video is done; its stats keep coming in for the window.
      await startChild(videoAnalyticsWorkflow, {
        workflowId: `${workflowId}/analytics`,
        args: [analytics],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    }

    tracker.complete(summary);
    await condition(allHandlersFinished);
    return {
      videoId,
      videoUrl,
      durationSeconds: rendered.video.durationSeconds,
      publications,
      credits: { reserved, charged },
      status: failed.length > 0 ? 'partially-published' : 'published',
    };
  } catch (err) {
    const message = isCancellation(err) ? 'Cancelled' : failureMessage(err);
    tracker.failRunning(message, isCancellation(err) ? 'cancelled' : 'failed');
    if (!settled && reserved > 0) await releaseOnce(message);
    throw err;
  }

  /** Compensation: give the held credits back, even while the run is being cancelled. */
  async function releaseOnce(reason: string): Promise<void> {
    await CancellationScope.nonCancellable(() =>
      credits.releaseCredits({ workspaceId: input.workspaceId, reservationId, reason }),
    );
    settled = true;
  }
}
