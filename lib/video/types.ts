/**
 * The video pipeline's data (issue 4) as it travels between the workflow's steps: brief → script → narration →
 * frames → rendered video → metadata → publications. Plain JSON (Temporal payloads); pure: workflows import it.
 */

export const VIDEO_FORMATS = {
  vertical: { width: 1080, height: 1920 },
  horizontal: { width: 1920, height: 1080 },
} as const;
export type VideoFormat = keyof typeof VIDEO_FORMATS;

export const MIN_VIDEO_SECONDS = 15;
export const MAX_VIDEO_SECONDS = 180;

/** Where a video can be published. `local` is the brand's own channel (page + feeds), always available. */
export const VIDEO_PLATFORMS = ['local', 'youtube', 'facebook', 'instagram', 'linkedin', 'x', 'tiktok'] as const;
export type VideoPlatform = (typeof VIDEO_PLATFORMS)[number];

export interface VideoBrief {
  topic: string;
  audience: string;
  /** e.g. "friendly, expert". */
  tone: string;
  /** BCP 47 primary language, e.g. `en`, `fr`. */
  language: string;
  callToAction: string;
}

/** The brand facts a script and its frames use. */
export interface VideoBrand {
  id: string;
  name: string;
  slug: string;
  slogan: string | null;
  mission: string | null;
  category: string | null;
  keywords: string[];
  colors: { primary: string; secondary: string; accent?: string; background?: string; text?: string };
  fontFamily: string | null;
  /** The stored logo, read by the frame render (a key, so the image stays out of workflow history); null without one. */
  logoKey?: string | null;
  /** `data:image/...;base64,`: inlined by the render, or carried by runs recorded before `logoKey`. */
  logoDataUrl?: string | null;
}

export interface Scene {
  /** 0-based, in play order. */
  index: number;
  /** What the voice says. */
  narration: string;
  /** Short text set on the frame (and not the subtitles, which follow the narration). */
  onScreenText: string;
  /** What the frame shows, for an image provider or the template's choice of layout. */
  visual: string;
  /** Planned length from the words at the voice's rate; the narration's measured length replaces it at render. */
  plannedSeconds: number;
}

export interface VideoScript {
  title: string;
  scenes: Scene[];
  /** Σ plannedSeconds: the narration. */
  plannedSeconds: number;
  /** The video's planned length: the narration plus the pauses the render puts around its scenes. */
  videoSeconds: number;
  /** The speaking rate the plan assumed. */
  wordsPerMinute: number;
  /** The narration's language when not English: the plan counts numbers as they are said in it. */
  language?: string;
  /**
   * The narration as the voice recorded it, before approval (lib/video/length-fit.ts): its measured length, the video
   * it makes with the pauses, and the rate it was spoken at. Absent on an edited script until the voice records it.
   */
  measured?: MeasuredNarration;
}

export interface MeasuredNarration {
  narrationSeconds: number;
  videoSeconds: number;
  /** The speaking rate the voice was asked for (words per minute). */
  wordsPerMinute: number;
  provider: string;
}

export interface VoiceChoice {
  /** `espeak` (embedded) or `elevenlabs`; default from configuration. */
  provider?: 'espeak' | 'elevenlabs';
  /** espeak-ng voice (e.g. `en-us`, `en+f3`, `fr`) or an ElevenLabs voice id. Default by language. */
  voice?: string;
  /** Words per minute; default 160. */
  wordsPerMinute?: number;
}

/** One scene's narration, stored as audio. */
export interface NarrationClip {
  sceneIndex: number;
  key: string;
  /** Measured from the audio with ffprobe. */
  durationSeconds: number;
  provider: string;
  voice: string;
  characters: number;
}

/** One scene's still frame, stored as PNG at the video's size. */
export interface SceneFrame {
  sceneIndex: number;
  key: string;
  width: number;
  height: number;
}

export interface RenderVideoScene {
  index: number;
  frameKey: string;
  audioKey: string;
  /** The narration's length; the scene lasts this plus padding. */
  audioSeconds: number;
  /** Subtitle text for the scene (its narration). */
  subtitle: string;
}

export interface RenderVideoInput {
  /** Storage folder: `videos/<brandId>/<videoId>`; outputs are `video.mp4`, `thumbnail.jpg`, `subtitles.vtt|srt`. */
  keyPrefix: string;
  format: VideoFormat;
  scenes: RenderVideoScene[];
  /** Optional background music, mixed under the narration. */
  musicKey?: string;
  burnSubtitles?: boolean;
}

export interface RenderedVideo {
  video: { key: string; bytes: number; sha256: string; durationSeconds: number; width: number; height: number };
  thumbnail: { key: string };
  subtitles: { vttKey: string; srtKey: string };
}

/** Title, description and hashtags for one platform, within its limits. */
export interface PlatformMetadata {
  platform: VideoPlatform;
  title: string;
  description: string;
  hashtags: string[];
}

export interface Publication {
  platform: VideoPlatform;
  status: 'published' | 'failed';
  /** The platform's id of the post or video. */
  externalId?: string;
  url?: string;
  error?: string;
}

/** Engagement read back from a platform after publishing. */
export interface VideoStats {
  platform: VideoPlatform;
  views: number;
  likes: number;
  comments: number;
  at: string;
}
