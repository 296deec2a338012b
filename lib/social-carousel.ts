/**
 * A carousel's slides planned from a post's copy (issue 12): a cover with the headline, one slide per point of the
 * caption, and a closing call-to-action slide; 3 to 5 slides. Pure, so the render activity and the tests share it.
 */
import { headlineOf } from './social-copy-edit';
import type { PostCopy } from './social';

export type SlideRole = 'cover' | 'point' | 'cta';

export interface CarouselSlide {
  role: SlideRole;
  headline: string;
  body?: string;
}

/** At most this many point slides: with the cover and the call to action, five slides. */
export const MAX_POINT_SLIDES = 3;
const POINT_CHARS = 220;

// Emoji render as empty boxes in the image's system fonts (see headlineOf); list markers are layout, not text.
const plain = (text: string) =>
  text
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '')
    .replace(/^\s*(?:[-*•·▪►✓]|\d{1,2}[.)])\s+/u, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The caption's points: its lines or sentences after the first one (the headline's), hashtags left out. */
export function captionPoints(caption: string): string[] {
  const pieces = caption
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map(plain)
    .filter((p) => p.length > 0 && !/^(#[\p{L}\p{N}_]+\s*)+$/u.test(p));
  return pieces.slice(1);
}

/** Joins consecutive points so that no more than `max` remain, none dropped. */
function grouped(points: string[], max: number): string[] {
  if (points.length <= max) return points;
  const groups: string[] = [];
  for (let i = 0; i < max; i++) {
    const from = Math.round((i * points.length) / max);
    const to = Math.round(((i + 1) * points.length) / max);
    groups.push(points.slice(from, to).join(' '));
  }
  return groups;
}

const cut = (text: string) => {
  if ([...text].length <= POINT_CHARS) return text;
  const head = text.slice(0, POINT_CHARS - 2);
  const space = head.lastIndexOf(' ');
  return `${space > POINT_CHARS / 2 ? head.slice(0, space) : head}…`;
};

/**
 * Cover (the headline; the card's footer carries the brand), up to three points, then the call to action (the brand's name when the
 * copy has none). A one-sentence caption gets one point slide with the caption whole, so a carousel is never a
 * single card.
 */
export function planCarouselSlides(copy: PostCopy, brand: { name: string }): CarouselSlide[] {
  // A lead-in's colon ("A few tips, from the team:") points at the next slide; on a cover of its own it dangles.
  const headline = (headlineOf(copy.caption) || plain(copy.caption).slice(0, 90) || brand.name).replace(
    /\s*[:：]\s*$/u,
    '',
  );
  const found = captionPoints(copy.caption);
  const points = found.length ? grouped(found, MAX_POINT_SLIDES) : [plain(copy.caption) || headline];
  const cta = plain(copy.callToAction);
  return [
    { role: 'cover', headline },
    ...points.map((p): CarouselSlide => ({ role: 'point', headline: cut(p) })),
    cta ? { role: 'cta', headline: cta, body: brand.name } : { role: 'cta', headline: brand.name },
  ];
}
