/**
 * Port for one social platform's publishing API. A client uploads one video with the platform's documented flow and
 * reads its engagement back; the activity (publish.activities.ts) owns the publications row, the heartbeats and the
 * error bookkeeping around it.
 *
 * Resuming: `state` is the checkpoint an earlier attempt saved for this idempotency key ({} on the first). A client
 * calls `save` as soon as the platform hands out a session, a media id or a container id, and after each part it
 * sends, so a retry after a crash continues the same upload (or only finishes it) instead of sending it twice.
 */
import type { PlatformMetadata, VideoPlatform } from '../../lib/video/types';

export type ExternalPlatform = Exclude<VideoPlatform, 'local'>;

export const EXTERNAL_PLATFORMS: readonly ExternalPlatform[] = [
  'youtube',
  'facebook',
  'instagram',
  'linkedin',
  'x',
  'tiktok',
];

/** The rendered MP4, read once per attempt and checked against the render's SHA-256. */
export interface UploadSource {
  data: Buffer;
  bytes: number;
  contentType: 'video/mp4';
  durationSeconds: number;
  width: number;
  height: number;
  /** A URL anyone can fetch the video from (a copy under `posts/…`), for platforms that pull it (Instagram). */
  publicUrl(): Promise<string>;
}

export type UploadState = Record<string, unknown>;

export interface PublishContext {
  video: UploadSource;
  metadata: PlatformMetadata;
  /** The checkpoint of an earlier attempt; {} on the first. */
  state: UploadState;
  /** Persists the checkpoint (replacing it), with the platform's id once it has one. */
  save(state: UploadState, externalId?: string): Promise<void>;
  /** Progress for the activity's heartbeat. */
  progress(details: Record<string, unknown>): void;
  /** The activity's cancellation. */
  signal: AbortSignal;
}

export interface PublishedOnPlatform {
  /** The platform's id of the post or video. */
  externalId: string;
  url: string;
}

export interface StatsRef {
  externalId: string;
  url?: string;
  /** The publication's checkpoint (TikTok keeps the post id it learns after moderation there). */
  state: UploadState;
  signal?: AbortSignal;
}

export interface PlatformStats {
  views: number;
  likes: number;
  comments: number;
  /** A changed checkpoint or link to store (the publication's row is updated with them). */
  state?: UploadState;
  url?: string;
}

/** A social post's rendered image (PNG), read from storage once per attempt. */
export interface ImageSource {
  data: Buffer;
  bytes: number;
  contentType: 'image/png';
  /** A URL anyone can fetch the image from (a copy under `posts/…`), for platforms that pull it (Instagram). */
  publicUrl(): Promise<string>;
  /** The same as a JPEG copy (`image.jpg` beside it), for platforms that pull images and take no PNG (TikTok). */
  publicJpegUrl(): Promise<string>;
}

/** The approved copy of a social post. */
export interface PostText {
  caption: string;
  hashtags: string[];
  altText: string;
}

export interface ImagePublishContext extends Omit<PublishContext, 'video' | 'metadata'> {
  image: ImageSource;
  text: PostText;
  /** `story` where the platform has stories (Instagram); a feed post elsewhere. */
  format: 'square' | 'story';
}

/**
 * A carousel (issue 12): several images in order, one post. The slides are already cut to what the platform takes
 * (`carouselSlidesFor`, lib/social.ts); the client posts them all or fails.
 */
export interface CarouselPublishContext extends Omit<ImagePublishContext, 'image' | 'format'> {
  slides: ImageSource[];
}

export interface PlatformClient {
  readonly platform: ExternalPlatform;
  /** For messages: "YouTube". */
  readonly name: string;
  publish(ctx: PublishContext): Promise<PublishedOnPlatform>;
  /** One image post (a social post); absent on platforms whose client posts videos only. */
  publishImage?(ctx: ImagePublishContext): Promise<PublishedOnPlatform>;
  /** One post of several images, in order; absent on platforms without multi-image posts here. */
  publishCarousel?(ctx: CarouselPublishContext): Promise<PublishedOnPlatform>;
  /** Engagement now; null when the platform has none to give yet (a TikTok post still in moderation). */
  stats(ref: StatsRef): Promise<PlatformStats | null>;
}

export type PublishClients = Partial<Record<ExternalPlatform, PlatformClient>>;

/** Description followed by the hashtags it does not already contain: the text most platforms show under a video. */
export function captionOf(metadata: PlatformMetadata): string {
  const description = metadata.description.trim();
  const present = new Set((description.match(/#[\p{L}\p{N}_]+/gu) ?? []).map((t) => t.toLowerCase()));
  const tags = metadata.hashtags
    .map((t) => `#${t.trim().replace(/^#/, '')}`)
    .filter((t) => t.length > 1 && !present.has(t.toLowerCase()));
  return [description, tags.join(' ')].filter(Boolean).join('\n\n');
}

/** A post's caption followed by the hashtags it does not already contain. */
export function postCaptionOf(text: PostText): string {
  return captionOf({ platform: 'local', title: '', description: text.caption, hashtags: text.hashtags });
}

/** Counts arrive as numbers or numeric strings; anything else is 0. */
export function count(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
}
