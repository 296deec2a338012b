/**
 * What each target accepts as media, from the platforms' published limits (2026): image size and aspect ratio, video
 * length, size and aspect ratio. A target without image posts has no `image` rule. Pure.
 */
import { CAROUSEL_LIMITS, carouselCountProblem, carouselSlidesFor, type CarouselTarget } from '../social';
import type { EntryMedia, EntryProblem, EntryTarget } from './entry';

interface MediaRule {
  maxBytes: number;
  minWidth: number;
  /** Width / height. */
  aspect: [number, number];
}
interface VideoRule extends MediaRule {
  minSeconds: number;
  maxSeconds: number;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

export const MEDIA_SPECS: Record<EntryTarget, { image?: MediaRule; video?: VideoRule }> = {
  local: {
    image: { maxBytes: 20 * MB, minWidth: 200, aspect: [0.25, 4] },
    video: { maxBytes: 2 * GB, minWidth: 320, aspect: [0.25, 4], minSeconds: 1, maxSeconds: 3600 },
  },
  instagram: {
    image: { maxBytes: 8 * MB, minWidth: 320, aspect: [0.8, 1.91] },
    video: { maxBytes: 1 * GB, minWidth: 540, aspect: [0.5, 1.91], minSeconds: 3, maxSeconds: 900 },
  },
  facebook: {
    image: { maxBytes: 10 * MB, minWidth: 200, aspect: [0.5, 2] },
    video: { maxBytes: 4 * GB, minWidth: 540, aspect: [0.5, 2], minSeconds: 1, maxSeconds: 14_400 },
  },
  linkedin: {
    image: { maxBytes: 8 * MB, minWidth: 200, aspect: [0.4, 2.4] },
    video: { maxBytes: 5 * GB, minWidth: 256, aspect: [0.4, 2.4], minSeconds: 3, maxSeconds: 1800 },
  },
  x: {
    image: { maxBytes: 5 * MB, minWidth: 4, aspect: [1 / 3, 3] },
    video: { maxBytes: 512 * MB, minWidth: 32, aspect: [1 / 3, 3], minSeconds: 0.5, maxSeconds: 140 },
  },
  tiktok: {
    image: { maxBytes: 20 * MB, minWidth: 360, aspect: [0.5, 1.91] },
    video: { maxBytes: 4 * GB, minWidth: 360, aspect: [0.5, 1.91], minSeconds: 3, maxSeconds: 600 },
  },
  youtube: {
    video: { maxBytes: 256 * GB, minWidth: 426, aspect: [0.5, 2.4], minSeconds: 1, maxSeconds: 43_200 },
  },
};

const size = (bytes: number) => (bytes >= GB ? `${(bytes / GB).toFixed(1)} GB` : `${(bytes / MB).toFixed(1)} MB`);

/** Every way `media` breaks `target`'s rules; empty when it fits. */
export function checkMedia(media: EntryMedia, target: EntryTarget): EntryProblem[] {
  const rule = MEDIA_SPECS[target][media.kind];
  const problem = (message: string): EntryProblem => ({ platform: target, field: 'media', message });
  if (!rule) return [problem(`${target} does not take ${media.kind} posts`)];
  const problems: EntryProblem[] = [];
  if (media.bytes > rule.maxBytes)
    problems.push(problem(`${media.kind} is ${size(media.bytes)}; ${target} allows ${size(rule.maxBytes)}`));
  if (media.width < rule.minWidth)
    problems.push(problem(`${media.kind} is ${media.width} px wide; ${target} needs at least ${rule.minWidth}`));
  const aspect = media.width / media.height;
  if (aspect < rule.aspect[0] - 0.005 || aspect > rule.aspect[1] + 0.005)
    problems.push(
      problem(
        `${media.width}×${media.height} (${aspect.toFixed(2)}:1) is outside ${target}'s ${rule.aspect[0].toFixed(2)}–${rule.aspect[1].toFixed(2)}:1`,
      ),
    );
  if (media.kind === 'video' && 'maxSeconds' in rule) {
    const seconds = media.durationSeconds ?? 0;
    if (seconds < rule.minSeconds || seconds > rule.maxSeconds)
      problems.push(problem(`video is ${seconds} s; ${target} takes ${rule.minSeconds}–${rule.maxSeconds} s`));
  }
  return problems;
}

/**
 * Every way a carousel's slides break `target`'s rules: each slide as an image, and their number. A platform that takes
 * fewer slides than the carousel has (X: 4) is not a problem: it gets the first slides and the last
 * (`carouselSlidesFor`), and only those are checked.
 */
export function checkCarousel(slides: EntryMedia[], target: EntryTarget): EntryProblem[] {
  if (!(target in CAROUSEL_LIMITS))
    return [{ platform: target, field: 'media', message: `${target} does not take carousel posts` }];
  const sent = carouselSlidesFor(slides, target as CarouselTarget);
  const count = carouselCountProblem(sent.length, target as CarouselTarget);
  const problems: EntryProblem[] = count ? [{ platform: target, field: 'media', message: count }] : [];
  for (const slide of sent) {
    const n = slides.indexOf(slide) + 1;
    if (slide.kind !== 'image')
      problems.push({ platform: target, field: 'media', message: `slide ${n} is a ${slide.kind}; slides are images` });
    else for (const p of checkMedia(slide, target)) problems.push({ ...p, message: `slide ${n}: ${p.message}` });
  }
  return problems;
}
