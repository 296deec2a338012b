/**
 * The shape of a post phrasebook: what a post type says in one language, filled in from the brand's facts. Templates
 * only state what the brand facts support: no invented numbers, customers or quotes.
 */
import { type PostType } from '../../../lib/social';

export type Lang = 'en' | 'it';

/** The request, cleaned up and resolved into what the templates need. */
export interface Facts {
  name: string;
  /** What the post is about: the topic, else the first keyword, else the category; templates cope without one. */
  subject?: string;
  topic?: string;
  /** Up to three brand keywords. */
  keywords: string[];
  /** The keywords minus the subject, for sentences that already name the subject. */
  otherKeywords: string[];
  category?: string;
  slogan?: string;
  mission?: string;
  site?: string;
  /** Whether the platform renders links in the caption (Instagram and TikTok do not). */
  linkable: boolean;
  /** '.' for a professional voice, which reads better without exclamation marks. */
  bang: '!' | '.';
  variant: number;
}

/** What a post type says, before it is shaped for a platform. */
export interface Draft {
  hook: string;
  body: string[];
  /** Render `body` as a bullet list (tips) instead of prose. */
  bullets?: boolean;
  closer?: string;
  cta: string;
  /** The template already told the mission, so the LinkedIn mission line would repeat it. */
  usesMission?: boolean;
}

export interface Phrasebook {
  list(items: string[]): string;
  listOr(items: string[]): string;
  drafts: Record<PostType, (f: Facts) => Draft>;
  missionLine(mission: string): string;
  /** Alt-text shapes from richest to plainest; `h` is the (possibly clipped) headline. */
  altTexts: ((name: string, h: string) => string)[];
  /** Hashtag that labels the post type. */
  typeTags: Record<PostType, string>;
}

/** A template variant chosen by the request's hash: stable for a request, varied across brands and posts. */
export function pick<T>(f: Facts, variants: T[]): T {
  return variants[f.variant % variants.length];
}

/** Promotional CTA: the website where links work, the bio link where they do not, else a direct message. */
export function promoCta(f: Facts, sitePrefix: string, bioLink: string, message: string): string {
  if (f.site && f.linkable) return `${sitePrefix} ${f.site}`;
  return f.site ? bioLink : message;
}
