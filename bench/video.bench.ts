/**
 * Phase 4: the video pipeline (issue 4) on the embedded defaults — offline script, espeak-ng, Chromium frames,
 * ffmpeg — published on the brand's local channel. One stack with the main, media and browser workers.
 *
 *   1. Where the time of one video goes: `warmup` unmeasured videos of the shortest length (Chromium's launch, the
 *      workflow sandbox, the first encode), then for each length (30 s and 120 s by default), vertical 1080×1920,
 *      `approval: { required: false }`, `runs` videos one after another; each step's time comes from the run's
 *      progress, as in phases 2 and 3.
 *   2. Render speed: seconds of video per second of the `render` step (× real time). Its baseline, measured right
 *      after each video on the same machine and on the files that video produced: a bare ffmpeg encode of the same
 *      length and size with the product's own encoder arguments — the first frame held still and the narration
 *      clips played back to back; no pan, cross-fades or burned-in subtitles. The ratio product ÷ bare says what the
 *      motion, fades, subtitles and the activity's own work (fetching, probing, thumbnail, checking, storing) cost.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { VIDEO_FORMATS } from '../lib/video/types';
import { startTestStack, type TestStack } from '../test/support/harness';
import { SetupError } from './environment';
import { median } from './report';
import { timeRun } from './timed-run';
import { summariseSteps, type RunSample, type StepsResult } from './social-post-steps.bench';
import { bareEncodeArgs, concatList, productEncoderArgs, sceneFiles } from './video-baseline';
import { createRenderAb, scheduledInput, type AbPair, type RenderAb } from './render-ab';
import type { RenderSceneFramesInput } from '../activities/render';
import type { RenderVideoInput } from '../lib/video/types';

/** The issue-14 goal for a 30 s vertical video: brief to published within this. */
export const VIDEO_GOAL_MS = 10_000;

export interface VideoBenchOptions {
  /** Target lengths in seconds. */
  lengths: number[];
  /** Measured videos per length. */
  runs: number;
  /** Unmeasured videos of the shortest length before all of them (Chromium's launch, the sandbox, the first encode). */
  warmup: number;
  env: Record<string, string>;
}

export interface VideoSample extends RunSample {
  durationSeconds: number;
  renderSeconds: number;
  /** Seconds of video per second of the render step. */
  renderSpeed: number;
  /** The bare encode of the same length and size, in seconds, and its speed. */
  bareSeconds: number;
  bareSpeed: number;
  /** Issue 14: the previous implementation against the current one, in the bench process, on this run's inputs. */
  ab: { frames: AbPair; video: AbPair };
}

export interface VideoLengthResult {
  targetSeconds: number;
  steps: StepsResult & { samples: VideoSample[] };
  /** Medians over the runs. */
  renderSpeed: number;
  bareSpeed: number;
  /** renderSpeed ÷ bareSpeed: the product render against a bare encode measured in the same run. */
  ratio: number;
  durationSeconds: number;
  /** Medians of the A/B pairs, and the video render's speed (× real time) on each side. */
  ab: {
    frames: AbPair & { speedup: number };
    video: AbPair & { speedup: number; previousSpeed: number; currentSpeed: number };
  };
}

export interface VideoBenchResult {
  config: { format: 'vertical'; platforms: ['local']; voice: string; script: string; frames: string };
  /** Unmeasured videos run first, and their length. */
  warmup: { runs: number; targetSeconds: number };
  /** What the bare encode is, and the product's encoder arguments it uses. */
  baseline: { description: string; encoderArgs: string[] };
  lengths: VideoLengthResult[];
}

/** ffmpeg and espeak-ng render and speak: the phase needs both on the PATH. */
export function preflightVideo(env: NodeJS.ProcessEnv): void {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const missing = ['ffmpeg', 'ffprobe', 'espeak-ng'].filter(
    (tool) => !dirs.some((dir) => fs.existsSync(path.join(dir, tool))),
  );
  if (missing.length > 0)
    throw new SetupError(
      `${missing.join(', ')} missing from the PATH. The video phase records and renders with them.\n` +
        `Install them with: apt-get install -y ffmpeg espeak-ng`,
    );
}

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
  });
}

/** Encodes the bare baseline of one stored video; returns the encode's wall time in seconds. */
async function bareEncode(videoDir: string, seconds: number, scratch: string): Promise<number> {
  const files = sceneFiles(fs.readdirSync(videoDir));
  const narrationList = path.join(scratch, 'narration.txt');
  fs.writeFileSync(narrationList, concatList(files.narrations.map((name) => path.join(videoDir, name))));
  const { width, height } = VIDEO_FORMATS.vertical;
  const args = bareEncodeArgs({
    frame: path.join(videoDir, files.frame),
    narrationList,
    seconds,
    width,
    height,
    output: path.join(scratch, 'bare.mp4'),
  });
  const began = performance.now();
  await ffmpeg(args);
  return (performance.now() - began) / 1000;
}

/** The run's frames and render, again with the previous and the current implementation (see render-ab.ts). */
async function abOf(stack: TestStack, ab: RenderAb, workflowId: string, previousFirst: boolean) {
  const framesInput = await scheduledInput<RenderSceneFramesInput>(stack, workflowId, 'renderSceneFrames');
  const videoInput = await scheduledInput<RenderVideoInput>(stack, workflowId, 'renderVideo');
  return {
    frames: await ab.frames(framesInput, previousFirst),
    video: await ab.video(videoInput, previousFirst),
  };
}

const abSummary = (pairs: AbPair[]) => {
  const previousMs = median(pairs.map((p) => p.previousMs));
  const currentMs = median(pairs.map((p) => p.currentMs));
  return { previousMs, currentMs, speedup: median(pairs.map((p) => p.previousMs / p.currentMs)) };
};

async function runOnce(
  stack: TestStack,
  brandId: string,
  targetSeconds: number,
  label: string,
): Promise<{ sample: RunSample; durationSeconds: number; renderMs: number; videoId: string }> {
  const { sample, result } = await timeRun<{ status: string; durationSeconds: number; videoId: string }>(
    stack,
    {
      automation: 'video',
      requestId: `bench-video-${label}`,
      input: {
        brandId,
        brief: { topic: 'How to brew oolong three times from the same leaves', callToAction: 'Order a tasting set' },
        format: 'vertical',
        targetSeconds,
        platforms: ['local'],
        approval: { required: false },
      },
    },
    'published',
    'Video',
  );
  const renderMs = sample.steps.render?.ms;
  if (!renderMs) throw new Error(`Video ${sample.id} has no render time`);
  return { sample, durationSeconds: result.durationSeconds, renderMs, videoId: result.videoId };
}

export async function runVideo(options: VideoBenchOptions, log: (line: string) => void): Promise<VideoBenchResult> {
  let stack: TestStack | undefined;
  let stop: (() => Promise<void>) | undefined;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-video-'));
  try {
    // The grant below is over the default cap of what a workspace may grant itself (CREDIT_SELF_GRANT_CAP).
    stack = await startTestStack('bench-video', {
      workers: ['main', 'media', 'browser'],
      env: { ...options.env, CREDIT_SELF_GRANT_CAP: '100000' },
    });
    const grant = await stack.request('POST', '/api/v1/credits/grants', { amount: 100_000, note: 'bench' });
    if (grant.status !== 201) throw new Error(`Granting credits answered ${grant.status}`);
    const brand = await stack.brand({ name: 'Bench Teahouse', colors: { primary: '#1d3557', secondary: '#e9c46a' } });
    const tag = randomUUID().slice(0, 8);
    const filesDir = stack.config.filesDir;
    const ab = createRenderAb(stack, 2);
    stop = () => ab.close();

    // One warm-up for the whole phase, of the shortest length: it pays for Chromium's launch, the workflow sandbox
    // and the first encode; every later video, whatever its length, runs on a warm stack.
    const warmupSeconds = Math.min(...options.lengths);
    for (let i = 0; i < options.warmup; i++) {
      log(`warm-up ${i + 1}/${options.warmup}: one ${warmupSeconds} s video`);
      const warm = await runOnce(stack, brand.id, warmupSeconds, `${tag}-warmup-${i}`);
      // The A/B's own Chromium and first encodes, unmeasured.
      await abOf(stack, ab, warm.sample.id, i % 2 === 0);
    }

    const lengths: VideoLengthResult[] = [];
    for (const targetSeconds of options.lengths) {
      const samples: VideoSample[] = [];
      for (let i = 0; i < options.runs; i++) {
        const run = await runOnce(stack, brand.id, targetSeconds, `${tag}-${targetSeconds}-${i}`);
        const videoDir = path.join(filesDir, 'videos', brand.id, run.videoId);
        const bareSeconds = await bareEncode(videoDir, run.durationSeconds, scratch);
        const pairs = await abOf(stack, ab, run.sample.id, i % 2 === 0);
        const renderSeconds = run.renderMs / 1000;
        const sample: VideoSample = {
          ...run.sample,
          durationSeconds: run.durationSeconds,
          renderSeconds,
          renderSpeed: run.durationSeconds / renderSeconds,
          bareSeconds,
          bareSpeed: run.durationSeconds / bareSeconds,
          ab: pairs,
        };
        samples.push(sample);
        log(
          `${targetSeconds} s: video ${i + 1}/${options.runs}: ${run.durationSeconds.toFixed(1)} s of video, render ${renderSeconds.toFixed(1)} s ` +
            `(${sample.renderSpeed.toFixed(2)}× real time), bare encode ${bareSeconds.toFixed(1)} s (${sample.bareSpeed.toFixed(2)}×); ` +
            `A/B frames ${(pairs.frames.previousMs / 1000).toFixed(1)} → ${(pairs.frames.currentMs / 1000).toFixed(1)} s, ` +
            `render ${(pairs.video.previousMs / 1000).toFixed(1)} → ${(pairs.video.currentMs / 1000).toFixed(1)} s`,
        );
      }
      const renderSpeed = median(samples.map((s) => s.renderSpeed));
      const bareSpeed = median(samples.map((s) => s.bareSpeed));
      lengths.push({
        targetSeconds,
        steps: { runs: options.runs, warmupRuns: options.warmup, ...summariseSteps(samples), samples },
        renderSpeed,
        bareSpeed,
        ratio: median(samples.map((s) => s.renderSpeed / s.bareSpeed)),
        durationSeconds: median(samples.map((s) => s.durationSeconds)),
        ab: {
          frames: abSummary(samples.map((s) => s.ab.frames)),
          video: {
            ...abSummary(samples.map((s) => s.ab.video)),
            previousSpeed: median(samples.map((s) => s.durationSeconds / (s.ab.video.previousMs / 1000))),
            currentSpeed: median(samples.map((s) => s.durationSeconds / (s.ab.video.currentMs / 1000))),
          },
        },
      });
    }
    return {
      config: {
        format: 'vertical',
        platforms: ['local'],
        voice: stack.config.voice.provider,
        script: stack.config.text.providers.join(','),
        frames: stack.config.images.provider === 'none' ? 'template' : stack.config.images.provider,
      },
      warmup: { runs: options.warmup, targetSeconds: warmupSeconds },
      baseline: {
        description:
          "the video's first frame held still and its narration clips back to back, same length and size, the product's encoder arguments",
        encoderArgs: productEncoderArgs(),
      },
      lengths,
    };
  } finally {
    await stop?.();
    await stack?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
