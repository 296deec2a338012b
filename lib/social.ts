/**
 * Platform and post-type rules shared by the API (validation), the activities (generation)
 * and the workflows (approval edits). Pure: no I/O, clock or randomness, so workflows may import it.
 */

/** A brand's palette as stored and as templates use it: hex colours. */
export interface BrandColors {
  primary: string;
  secondary: string;
  accent?: string;
  background?: string;
  text?: string;
}

export const PLATFORMS = ['instagram', 'facebook', 'linkedin', 'x', 'tiktok'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The nine post types of the content creator (seed 001). */
export const POST_TYPES = {
  educational: 'Educational content with tips and insights',
  promotional: 'Promotional content for products/services',
  engagement: 'Engagement-focused content (polls, questions)',
  storytelling: 'Brand storytelling and behind-the-scenes',
  announcement: 'News and announcements',
  tips: 'Quick tips and how-to content',
  testimonial: 'Customer testimonials and case studies',
  seasonal: 'Seasonal and holiday content',
  trending: 'Trending topics and current events',
} as const;
export type PostType = keyof typeof POST_TYPES;
export const POST_TYPE_NAMES = Object.keys(POST_TYPES) as PostType[];

export const POST_FORMATS = ['square', 'story', 'carousel'] as const;
export type PostFormat = (typeof POST_FORMATS)[number];

/** A carousel's slides are square: the one shape every platform's multi-image post takes uncropped. */
export const IMAGE_SIZES: Record<PostFormat, { width: number; height: number }> = {
  square: { width: 1080, height: 1080 },
  story: { width: 1080, height: 1920 },
  carousel: { width: 1080, height: 1080 },
};

/**
 * How many images one multi-image post may hold, by target (the platforms' published limits, 2026): Instagram
 * carousels 2–10, Facebook multi-photo posts 2–10 here (attached_media), LinkedIn multiImage 2–20, X 4 media on a
 * post, TikTok photo posts up to 35. The brand's channel shows up to 10.
 */
export type CarouselTarget = 'local' | Platform;
export const CAROUSEL_LIMITS: Record<CarouselTarget, { min: number; max: number }> = {
  local: { min: 2, max: 10 },
  instagram: { min: 2, max: 10 },
  facebook: { min: 2, max: 10 },
  linkedin: { min: 2, max: 20 },
  x: { min: 2, max: 4 },
  tiktok: { min: 2, max: 35 },
};

/** Why `count` slides cannot go to `target` as one post; null when they can. */
export function carouselCountProblem(count: number, target: CarouselTarget): string | null {
  const { min, max } = CAROUSEL_LIMITS[target];
  if (count < min) return `A carousel needs at least ${min} images; it has ${count}`;
  if (count > max) return `${target} takes at most ${max} images in one post; the carousel has ${count}`;
  return null;
}

/**
 * The slides a target gets, in order: all of them when they fit, else the first `max - 1` and the last, so the
 * closing call to action is kept (X: cover, two points and the call to action of a five-slide carousel).
 */
export function carouselSlidesFor<T>(slides: readonly T[], target: CarouselTarget): T[] {
  const { max } = CAROUSEL_LIMITS[target];
  if (slides.length <= max) return [...slides];
  return [...slides.slice(0, max - 1), slides[slides.length - 1]];
}

export interface PlatformLimits {
  /** Maximum caption length in characters, hashtags included when the platform counts them. */
  captionMax: number;
  hashtagsMax: number;
  altTextMax: number;
  /** Whether the hashtags are part of the caption's character count. */
  hashtagsCountTowardsCaption: boolean;
  defaultFormat: PostFormat;
}

export const PLATFORM_LIMITS: Record<Platform, PlatformLimits> = {
  instagram: {
    captionMax: 2200,
    hashtagsMax: 30,
    altTextMax: 100,
    hashtagsCountTowardsCaption: true,
    defaultFormat: 'square',
  },
  facebook: {
    captionMax: 63206,
    hashtagsMax: 30,
    altTextMax: 1000,
    hashtagsCountTowardsCaption: true,
    defaultFormat: 'square',
  },
  linkedin: {
    captionMax: 3000,
    hashtagsMax: 30,
    altTextMax: 1000,
    hashtagsCountTowardsCaption: true,
    defaultFormat: 'square',
  },
  x: { captionMax: 280, hashtagsMax: 5, altTextMax: 1000, hashtagsCountTowardsCaption: true, defaultFormat: 'square' },
  tiktok: {
    captionMax: 2200,
    hashtagsMax: 30,
    altTextMax: 1000,
    hashtagsCountTowardsCaption: true,
    defaultFormat: 'story',
  },
};

export interface PostCopy {
  caption: string;
  hashtags: string[];
  callToAction: string;
  altText: string;
}

/** The text as it will appear on the platform: caption, call to action, then hashtags. */
export function composePostText(copy: PostCopy): string {
  const tags = copy.hashtags.map((t) => `#${t.replace(/^#/, '')}`).join(' ');
  return [copy.caption.trim(), copy.callToAction.trim(), tags].filter(Boolean).join('\n\n');
}

export interface CopyViolation {
  field: keyof PostCopy;
  message: string;
}

const HASHTAG = /^#?[\p{L}\p{N}_]{1,100}$/u;

/** Every rule a post's copy must satisfy on a platform; an empty list means it can be published. */
export function checkPostCopy(copy: PostCopy, platform: Platform): CopyViolation[] {
  const limits = PLATFORM_LIMITS[platform];
  const violations: CopyViolation[] = [];
  if (!copy.caption.trim()) violations.push({ field: 'caption', message: 'Caption must not be empty' });
  const length = limits.hashtagsCountTowardsCaption ? [...composePostText(copy)].length : [...copy.caption].length;
  if (length > limits.captionMax) {
    violations.push({
      field: 'caption',
      message: `Post text is ${length} characters; ${platform} allows ${limits.captionMax}`,
    });
  }
  if (copy.hashtags.length > limits.hashtagsMax) {
    violations.push({ field: 'hashtags', message: `${platform} allows at most ${limits.hashtagsMax} hashtags` });
  }
  const bad = copy.hashtags.find((t) => !HASHTAG.test(t));
  if (bad !== undefined) violations.push({ field: 'hashtags', message: `"${bad}" is not a valid hashtag` });
  if ([...copy.altText].length > limits.altTextMax) {
    violations.push({ field: 'altText', message: `Alt text is limited to ${limits.altTextMax} characters` });
  }
  if (!copy.altText.trim()) violations.push({ field: 'altText', message: 'Alt text must not be empty' });
  return violations;
}
