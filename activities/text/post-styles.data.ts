/** How a post is shaped on each platform, and the emoji that opens each post type. */
import { type Platform, type PostType } from '../../lib/social';

export interface PlatformStyle {
  /** How many hashtags read naturally on the platform (the hard cap is PLATFORM_LIMITS). */
  tags: number;
  maxBody: number;
  /** Each body sentence its own paragraph, or all in one. */
  bodyAsParagraphs: boolean;
  separator: string;
  closer: boolean;
  slogan: boolean;
  mission: boolean;
}

export const STYLES: Record<Platform, PlatformStyle> = {
  x: { tags: 2, maxBody: 1, bodyAsParagraphs: false, separator: '\n', closer: false, slogan: false, mission: false },
  tiktok: {
    tags: 5,
    maxBody: 1,
    bodyAsParagraphs: false,
    separator: '\n\n',
    closer: false,
    slogan: false,
    mission: false,
  },
  instagram: {
    tags: 8,
    maxBody: Infinity,
    bodyAsParagraphs: true,
    separator: '\n\n',
    closer: true,
    slogan: true,
    mission: false,
  },
  facebook: {
    tags: 3,
    maxBody: Infinity,
    bodyAsParagraphs: false,
    separator: '\n\n',
    closer: true,
    slogan: true,
    mission: false,
  },
  linkedin: {
    tags: 4,
    maxBody: Infinity,
    bodyAsParagraphs: true,
    separator: '\n\n',
    closer: true,
    slogan: true,
    mission: true,
  },
};

export const EMOJI: Record<PostType, string> = {
  educational: '💡',
  promotional: '✨',
  engagement: '💬',
  storytelling: '📖',
  announcement: '📣',
  tips: '📌',
  testimonial: '💛',
  seasonal: '🎉',
  trending: '🔥',
};
