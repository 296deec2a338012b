import { log } from '@temporalio/activity';
import { z } from 'zod';
import { IMAGE_SIZES, PLATFORMS, POST_FORMATS, POST_TYPE_NAMES, type PostCopy } from '../../lib/social';
import { planCarouselSlides, type SlideRole } from '../../lib/social-carousel';
import { storageKeyProblem, type FileStorage } from '../storage/file-storage.port';
import type { BrowserPool } from './browser-pool';
import { fittedScreenshot } from './fitted-screenshot';
import { safeLogoDataUrl } from '../../lib/html';
import { renderPostImageHtml, type PostImageInput } from './post-image.template';
import { checkActivityInput } from '../shared/activity-input';
import { withHeartbeat } from '../shared/heartbeat';

export interface RenderPostImageInput extends PostImageInput {
  /** Storage key chosen by the workflow (e.g. `posts/<workflowId-safe>/image.png`); a retry overwrites it. */
  key: string;
}

export interface RenderedImage {
  key: string;
  url: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  contentType: 'image/png';
}

/** A carousel's slides (issue 12): planned from the copy here, so a replayed run keeps the slides it rendered. */
export interface RenderPostCarouselInput extends Omit<PostImageInput, 'headline' | 'body' | 'format' | 'slide'> {
  /** Storage folder chosen by the workflow; the slides are `<folder>/slide-<n>.png` (a retry overwrites them). */
  folder: string;
  copy: PostCopy;
}

export interface RenderedSlide extends RenderedImage {
  role: SlideRole;
}

export interface RenderActivityDeps {
  pool: BrowserPool;
  storage: FileStorage;
}

// Colours are checked leniently here: the template replaces an invalid one with a sensible default.
const colorsSchema = z.object({
  primary: z.string().max(32),
  secondary: z.string().max(32),
  accent: z.string().max(32).optional(),
  background: z.string().max(32).optional(),
  text: z.string().max(32).optional(),
});

const inputSchema = z.object({
  key: z.string().superRefine((key, ctx) => {
    const problem = storageKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  brand: z.object({
    name: z.string().trim().min(1).max(200),
    slogan: z.string().max(500).optional(),
    colors: colorsSchema,
    fontFamily: z.string().max(200).optional(),
    // Temporal payloads are capped around 2 MB; a logo is a small inline image.
    logoDataUrl: z.string().max(1_500_000).optional(),
  }),
  headline: z.string().trim().min(1).max(1000),
  body: z.string().max(5000).optional(),
  postType: z.enum(POST_TYPE_NAMES as [string, ...string[]]),
  platform: z.enum(PLATFORMS),
  format: z.enum(POST_FORMATS),
});

const carouselSchema = inputSchema.omit({ key: true, headline: true, body: true, format: true }).extend({
  folder: z.string().superRefine((folder, ctx) => {
    const problem = storageKeyProblem(`${folder}/slide-1.png`);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  copy: z.object({
    caption: z.string().trim().min(1).max(70_000),
    callToAction: z.string().max(5000),
    hashtags: z.array(z.string()),
    altText: z.string(),
  }),
});

function parseInput(input: unknown): RenderPostImageInput {
  checkActivityInput(inputSchema, input, 'post image');
  // The checked payload as sent: the schema checks what this activity relies on and may not list every field.
  return input as RenderPostImageInput;
}

export function createRenderActivities({ pool, storage }: RenderActivityDeps) {
  return {
    /**
     * Renders a carousel's slides (cover, points, call to action) on one warm page of the pool, one after the
     * other, and stores each under `input.folder`. Heartbeats per slide.
     */
    async renderPostCarousel(input: RenderPostCarouselInput): Promise<{ slides: RenderedSlide[] }> {
      checkActivityInput(carouselSchema, input, 'post carousel');
      const { folder, copy, ...card } = input;
      const { width, height } = IMAGE_SIZES.carousel;
      const plan = planCarouselSlides(copy, card.brand);
      const started = Date.now();
      const pngs = await withHeartbeat<Record<string, unknown>, Buffer[]>(
        { stage: 'waiting-for-browser', slides: plan.length },
        (heartbeat) =>
          pool.withWarmPage(
            async (page) => {
              const shots: Buffer[] = [];
              for (const [i, slide] of plan.entries()) {
                heartbeat.beat({ stage: 'rendering', slide: i + 1, slides: plan.length });
                const html = renderPostImageHtml({
                  ...card,
                  headline: slide.headline,
                  body: slide.body,
                  format: 'carousel',
                  slide: { index: i + 1, count: plan.length },
                });
                const { png, state } = await fittedScreenshot(page, html, { width, height });
                if (state !== 'ready') log.warn('Carousel slide did not report ready in time', { slide: i + 1 });
                shots.push(png);
              }
              return shots;
            },
            { signal: heartbeat.signal },
          ),
      );
      const slides: RenderedSlide[] = [];
      for (const [i, png] of pngs.entries()) {
        const key = `${folder}/slide-${i + 1}.png`;
        const stored = await storage.put(key, png, 'image/png');
        slides.push({
          role: plan[i].role,
          key,
          url: stored.url,
          width,
          height,
          bytes: stored.bytes,
          sha256: stored.sha256,
          contentType: 'image/png',
        });
      }
      log.info('Rendered post carousel', { folder, slides: slides.length, durationMs: Date.now() - started });
      return { slides };
    },

    /** Renders the branded post card to PNG with headless Chromium and stores it under `input.key`. */
    async renderPostImage(input: RenderPostImageInput): Promise<RenderedImage> {
      const { key, ...template } = parseInput(input);
      const { width, height } = IMAGE_SIZES[template.format];
      if (template.brand.logoDataUrl && !safeLogoDataUrl(template.brand.logoDataUrl)) {
        log.warn('Ignoring brand logo that is not a base64 data:image URL', { key });
      }
      const html = renderPostImageHtml(template);

      const started = Date.now();
      const png = await withHeartbeat({ stage: 'waiting-for-browser' }, (heartbeat) =>
        pool.withPage(
          async (page) => {
            heartbeat.beat({ stage: 'rendering' });
            const { png, state } = await fittedScreenshot(page, html, { width, height });
            if (state !== 'ready') log.warn('Post card did not report ready in time; capturing as laid out');
            heartbeat.beat({ stage: 'storing' });
            return png;
          },
          { signal: heartbeat.signal },
        ),
      );

      const stored = await storage.put(key, png, 'image/png');
      log.info('Rendered post image', {
        key,
        format: template.format,
        postType: template.postType,
        bytes: stored.bytes,
        durationMs: Date.now() - started,
        storage: storage.name,
      });
      return {
        key,
        url: stored.url,
        width,
        height,
        bytes: stored.bytes,
        sha256: stored.sha256,
        contentType: 'image/png',
      };
    },
  };
}

export type RenderActivities = ReturnType<typeof createRenderActivities>;
