/**
 * The video pipeline's "visuals" step (issue 4) on the browser queue: one PNG per scene at the video's size, rendered
 * by headless Chromium from the scene frame template, optionally over a generated background.
 *
 * Resumable: each frame has a sidecar `frame-<index>.json` holding the hash of what it shows; a retry after a crash
 * skips the frames whose hash still matches and renders the rest. Generated backgrounds are stored too
 * (`background-<index>.<ext>` + sidecar), so a retry does not pay for them twice. Any failure of the image provider
 * (or backgrounds taking longer than their budget) falls back to template-only frames for the whole video, so the
 * frames never mix two looks, and the reason is returned for the run's history.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Page } from 'puppeteer-core';
import { z } from 'zod';
import { mapLimit } from '../../lib/map-limit';
import { VIDEO_FORMATS, type Scene, type SceneFrame, type VideoBrand, type VideoFormat } from '../../lib/video/types';
import { storageKeyProblem, type FileStorage } from '../storage/file-storage.port';
import type { BrowserPool } from './browser-pool';
import { fittedScreenshot } from './fitted-screenshot';
import { sceneImagePrompt, type ImageContentType, type ImageOrientation, type ImageProvider } from './image-provider';
import { safeLogoDataUrl } from '../../lib/html';
import { chooseSceneLayout } from './scene-frame.layout';
import { renderSceneFrameHtml } from './scene-frame.template';
import { MAX_LOGO_BYTES } from '../../lib/brand-logo';
import { withLogoDataUrl } from '../storage/data-url';
import { checkActivityInput } from '../shared/activity-input';
import { withHeartbeat } from '../shared/heartbeat';
import { failure } from '../../lib/failures';

export type SceneFrameSceneInput = Pick<Scene, 'index' | 'onScreenText' | 'visual'>;

export interface RenderSceneFramesInput {
  /** Storage folder of the video, `videos/<brandId>/<videoId>`; frames are `frame-<index>.png` in it. */
  keyPrefix: string;
  format: VideoFormat;
  brand: VideoBrand;
  /** Every scene of the video, indexes 0..n-1. */
  scenes: SceneFrameSceneInput[];
}

export interface RenderedSceneFrames {
  /** In scene order. */
  frames: SceneFrame[];
  /** `template`, or the image provider and model (`openai:gpt-image-1`) when the frames have generated backgrounds. */
  provider: string;
  /** Why an image provider was configured but not used, e.g. `ProviderAuth: openai: HTTP 401 ...`. */
  fallbackReason?: string;
}

export interface SceneFrameActivityDeps {
  pool: BrowserPool;
  storage: FileStorage;
  /** Generated backgrounds; none: template-only frames. */
  images?: ImageProvider;
  /** Background requests in flight at once; default 2. */
  imageConcurrency?: number;
  /** The longest all backgrounds may take before the frames are rendered without them; default 150 s. */
  imageBudgetMs?: number;
  /**
   * A fresh browser context and page for every frame, as before issue 14 (kept to measure against); default: each
   * lane draws its frames one after another on a warm page of the pool.
   */
  pagePerFrame?: boolean;
}

const MAX_SCENES = 60;
/** Bumped when a change outside the template (e.g. the screenshot settings) changes what a frame looks like. */
const FRAME_VERSION = 1;
/** Stands in for a background's bytes when hashing a frame: the background's own hash is hashed instead. */
const BACKGROUND_STAND_IN = 'data:image/png;base64,AAAA';
const EXTENSIONS: Record<ImageContentType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

// Lenient on purpose: the template replaces invalid colours and ignores a logo that is not a data URL.
const brandSchema = z.looseObject({
  name: z.string().trim().min(1).max(200),
  slogan: z.string().max(500).nullable().optional(),
  category: z.string().max(500).nullable().optional(),
  keywords: z.array(z.string().max(200)).max(200).optional(),
  colors: z.looseObject({
    primary: z.string().max(32),
    secondary: z.string().max(32),
    accent: z.string().max(32).optional(),
    background: z.string().max(32).optional(),
    text: z.string().max(32).optional(),
  }),
  fontFamily: z.string().max(200).nullable().optional(),
  logoKey: z.string().max(1024).nullable().optional(),
  // Runs recorded before logos travelled by key carry a small inline image.
  logoDataUrl: z.string().max(1_500_000).nullable().optional(),
});

const sceneSchema = z.looseObject({
  index: z
    .number()
    .int()
    .min(0)
    .max(MAX_SCENES - 1),
  onScreenText: z.string().max(2000),
  visual: z.string().max(4000),
});

const inputSchema = z.object({
  keyPrefix: z.string().superRefine((prefix, ctx) => {
    // The longest key decides (and a trailing slash gives an empty segment).
    const problem = storageKeyProblem(prefix) ?? storageKeyProblem(`${prefix}/background-${MAX_SCENES}.webp`);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  format: z.enum(Object.keys(VIDEO_FORMATS) as [VideoFormat, ...VideoFormat[]]),
  brand: brandSchema,
  scenes: z
    .array(sceneSchema)
    .min(1)
    .max(MAX_SCENES)
    .superRefine((scenes, ctx) => {
      const indexes = scenes.map((s) => s.index).sort((a, b) => a - b);
      if (indexes.some((index, i) => index !== i)) {
        ctx.addIssue({ code: 'custom', message: `scene indexes must be 0..${scenes.length - 1}, each once` });
      }
    }),
});

function parseInput(input: unknown): RenderSceneFramesInput {
  checkActivityInput(inputSchema, input, 'scene frames');
  // The checked payload as sent: the schema checks what this activity relies on and may not list every field.
  return input as RenderSceneFramesInput;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A stored background, as the frames need it. */
interface StoredBackground {
  key: string;
  sha256: string;
  contentType: ImageContentType;
}

interface BackgroundSidecar extends StoredBackground {
  /** Hash of the provider's fingerprint, the orientation and the prompt. */
  requestHash: string;
}

interface FrameSidecar {
  hash: string;
  provider: string;
  layout: string;
  width: number;
  height: number;
}

class BackgroundBudgetExceeded extends Error {
  constructor(ms: number) {
    super(`the backgrounds took longer than ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
    this.name = 'BackgroundBudgetExceeded';
  }
}

/** One line for the run's history: `ProviderAuth: openai: HTTP 401 Incorrect API key provided.` */
function describeFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const type = err instanceof ApplicationFailure && err.type ? `${err.type}: ` : '';
  const text = `${type}${message}`.replace(/\s+/g, ' ').trim();
  return text.length <= 300 ? text : `${text.slice(0, 299)}…`;
}

export function createSceneFrameActivities(deps: SceneFrameActivityDeps) {
  const { pool, storage, images } = deps;
  const imageConcurrency = Math.max(1, Math.floor(deps.imageConcurrency ?? 2));
  const imageBudgetMs = deps.imageBudgetMs ?? 150_000;
  const pagePerFrame = deps.pagePerFrame ?? false;

  /** A JSON sidecar, or null when it is missing or unreadable (then the file it describes is redone). */
  async function readSidecar<T>(key: string): Promise<Partial<T> | null> {
    const data = await storage.get(key);
    if (!data) return null;
    try {
      const value: unknown = JSON.parse(data.toString('utf8'));
      return typeof value === 'object' && value !== null ? (value as Partial<T>) : null;
    } catch {
      return null;
    }
  }

  const writeSidecar = (key: string, value: object) =>
    storage.put(key, Buffer.from(JSON.stringify(value)), 'application/json');

  /** The scene's stored background, generated and stored first unless one for the same request is there. */
  async function obtainBackground(
    provider: ImageProvider,
    input: RenderSceneFramesInput,
    scene: SceneFrameSceneInput,
    signal: AbortSignal,
  ): Promise<StoredBackground> {
    const orientation: ImageOrientation = input.format === 'vertical' ? 'portrait' : 'landscape';
    const prompt = sceneImagePrompt(input.brand, scene, orientation);
    const requestHash = sha256(`${provider.fingerprint}\n${orientation}\n${prompt}`);
    const base = `${input.keyPrefix}/background-${scene.index}`;
    const sidecarKey = `${base}.json`;
    const known = await readSidecar<BackgroundSidecar>(sidecarKey);
    if (
      known?.requestHash === requestHash &&
      typeof known.key === 'string' &&
      known.key.startsWith(`${base}.`) &&
      typeof known.sha256 === 'string' &&
      known.contentType &&
      EXTENSIONS[known.contentType] &&
      (await storage.exists(known.key))
    ) {
      return { key: known.key, sha256: known.sha256, contentType: known.contentType };
    }
    const image = await provider.generate({ prompt, orientation }, { signal });
    const key = `${base}.${EXTENSIONS[image.contentType]}`;
    const stored = await storage.put(key, image.data, image.contentType);
    const background: StoredBackground = { key, sha256: stored.sha256, contentType: image.contentType };
    await writeSidecar(sidecarKey, { ...background, requestHash } satisfies BackgroundSidecar);
    return background;
  }

  /**
   * Every scene's background, a few requests at a time; on the first failure the others are abandoned and the reason
   * returned instead. Cancellation is not a failure: it is rethrown.
   */
  async function prepareBackgrounds(
    provider: ImageProvider,
    input: RenderSceneFramesInput,
    signal: AbortSignal,
    onProgress: (done: number) => void,
  ): Promise<{ backgrounds: Map<number, StoredBackground> } | { fallbackReason: string }> {
    const controller = new AbortController();
    const relay = () => controller.abort(signal.reason);
    signal.addEventListener('abort', relay, { once: true });
    const budget = setTimeout(() => controller.abort(new BackgroundBudgetExceeded(imageBudgetMs)), imageBudgetMs);
    const queue = [...input.scenes];
    const backgrounds = new Map<number, StoredBackground>();
    let failure: { error: unknown } | undefined;
    const work = async () => {
      for (let scene = queue.shift(); scene && !failure; scene = queue.shift()) {
        try {
          backgrounds.set(scene.index, await obtainBackground(provider, input, scene, controller.signal));
          onProgress(backgrounds.size);
        } catch (error) {
          failure ??= { error: controller.signal.aborted ? controller.signal.reason : error };
          controller.abort(failure.error);
        }
      }
    };
    try {
      if (signal.aborted) relay();
      await Promise.all(Array.from({ length: Math.min(imageConcurrency, queue.length) }, work));
    } finally {
      clearTimeout(budget);
      signal.removeEventListener('abort', relay);
    }
    if (signal.aborted) throw signal.reason;
    if (failure) return { fallbackReason: describeFailure(failure.error) };
    return { backgrounds };
  }

  async function backgroundDataUrl(background: StoredBackground): Promise<string> {
    const data = await storage.get(background.key);
    if (!data) {
      throw failure('RenderFailed', `Background ${background.key} disappeared before its frame was rendered`);
    }
    return `data:${background.contentType};base64,${data.toString('base64')}`;
  }

  return {
    /**
     * Renders one PNG per scene at the video's size and stores it at `<keyPrefix>/frame-<index>.png`, skipping frames
     * already stored for the same content. Heartbeats `{ stage, rendered, total }`; cancellation stops it between
     * frames and abandons the frame in progress.
     */
    async renderSceneFrames(input: RenderSceneFramesInput): Promise<RenderedSceneFrames> {
      const parsed = parseInput(input);
      const { keyPrefix, format } = parsed;
      const brand = await withLogoDataUrl(storage, parsed.brand, MAX_LOGO_BYTES);
      const scenes = [...input.scenes].sort((a, b) => a.index - b.index);
      const { width, height } = VIDEO_FORMATS[format];
      const total = scenes.length;
      const signal = Context.current().cancellationSignal;
      if (brand.logoDataUrl && !safeLogoDataUrl(brand.logoDataUrl)) {
        log.warn('Ignoring brand logo that is not a base64 data:image URL', { keyPrefix });
      }

      let stage = 'waiting-for-browser';
      let rendered = 0;
      let backgroundsReady = 0;
      const details = () =>
        stage === 'generating-backgrounds'
          ? { stage, rendered, total, backgrounds: backgroundsReady }
          : { stage, rendered, total };
      const started = Date.now();
      return withHeartbeat(details(), async (heartbeat) => {
        const beat = () => heartbeat.beat(details());
        let backgrounds: Map<number, StoredBackground> | undefined;
        let fallbackReason: string | undefined;
        if (images) {
          stage = 'generating-backgrounds';
          beat();
          const outcome = await prepareBackgrounds(images, { ...input, scenes }, signal, (done) => {
            backgroundsReady = done;
            beat();
          });
          if ('backgrounds' in outcome) backgrounds = outcome.backgrounds;
          else {
            fallbackReason = outcome.fallbackReason;
            log.warn('Image provider failed; rendering template-only frames', { keyPrefix, reason: fallbackReason });
          }
        }
        const provider = images && backgrounds ? `${images.name}:${images.model}` : 'template';

        stage = 'rendering';
        beat();
        let reused = 0;
        const results = new Map<number, SceneFrame>();
        const done = (scene: SceneFrameSceneInput, key: string) => {
          results.set(scene.index, { sceneIndex: scene.index, key, width, height });
          rendered++;
          beat();
        };
        // Frames already stored for the same content are kept; the others are drawn below.
        const pending: {
          scene: SceneFrameSceneInput;
          key: string;
          sidecarKey: string;
          html: () => Promise<string>;
          hash: string;
          layout: string;
        }[] = [];
        for (const scene of scenes) {
          signal.throwIfAborted();
          const key = `${keyPrefix}/frame-${scene.index}.png`;
          const sidecarKey = `${keyPrefix}/frame-${scene.index}.json`;
          const background = backgrounds?.get(scene.index);
          const template = { brand, scene, sceneCount: total, format };
          // The frame's identity: its HTML, with the background's hash standing in for the background's bytes.
          const plain = renderSceneFrameHtml(
            background ? { ...template, style: { backgroundDataUrl: BACKGROUND_STAND_IN } } : template,
          );
          const hash = sha256(`${FRAME_VERSION}\n${width}x${height}\n${background?.sha256 ?? 'none'}\n${plain}`);
          const known = await readSidecar<FrameSidecar>(sidecarKey);
          if (known?.hash === hash && (await storage.exists(key))) {
            reused++;
            done(scene, key);
            continue;
          }
          // Invalidate first: a crash between the new PNG and its sidecar must not leave the old hash vouching for it.
          if (known) await storage.delete(sidecarKey);
          const html = async () =>
            background
              ? renderSceneFrameHtml({ ...template, style: { backgroundDataUrl: await backgroundDataUrl(background) } })
              : plain;
          pending.push({ scene, key, sidecarKey, html, hash, layout: chooseSceneLayout(scene, total) });
        }

        const draw = async (page: Page, frame: (typeof pending)[number]) => {
          const png = await screenshotFrame(page, await frame.html(), width, height, frame.key);
          await storage.put(frame.key, png, 'image/png');
          const { hash, layout } = frame;
          await writeSidecar(frame.sidecarKey, { hash, provider, layout, width, height } satisfies FrameSidecar);
          done(frame.scene, frame.key);
        };
        // As many frames at once as the pool has pages: Chromium lays out one while it encodes another's PNG.
        const lanes = Math.min(pool.size, pending.length);
        if (pagePerFrame) {
          await mapLimit(pending, lanes, async (frame) => {
            signal.throwIfAborted();
            await pool.withPage((page) => draw(page, frame), { signal });
          });
        } else {
          // A warm page per lane draws one frame after another: a fresh context and page cost more than a frame.
          const queue = [...pending];
          await Promise.all(
            Array.from({ length: lanes }, () =>
              pool.withWarmPage(
                async (page) => {
                  try {
                    for (let frame = queue.shift(); frame; frame = queue.shift()) {
                      signal.throwIfAborted();
                      await draw(page, frame);
                    }
                  } catch (err) {
                    // The other lanes start no further frame once one has failed.
                    queue.length = 0;
                    throw err;
                  }
                },
                { signal },
              ),
            ),
          );
        }
        const frames = scenes.map((scene) => results.get(scene.index)!);

        log.info('Rendered scene frames', {
          keyPrefix,
          format,
          frames: total,
          reused,
          provider,
          fallbackReason,
          durationMs: Date.now() - started,
          storage: storage.name,
        });
        return { frames, provider, ...(fallbackReason ? { fallbackReason } : {}) };
      });
    },
  };
}

export type SceneFrameActivities = ReturnType<typeof createSceneFrameActivities>;

async function screenshotFrame(page: Page, html: string, width: number, height: number, key: string): Promise<Buffer> {
  // optimizeForSpeed: half the capture time for a ~1.6× larger PNG. The frame is an intermediate that ffmpeg decodes
  // once; the pixels are the same.
  const { png, state } = await fittedScreenshot(page, html, { width, height, optimizeForSpeed: true });
  if (state === 'timeout') log.warn('Scene frame did not report ready in time; capturing as laid out', { key });
  if (state === 'overflow') log.warn('Scene frame text does not fit even at its smallest size; it is clipped', { key });
  return png;
}
