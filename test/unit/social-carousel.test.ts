/** Issue 12, carousels: slides planned from the copy, and how many of them each platform takes. */
import { CAROUSEL_LIMITS, carouselCountProblem, carouselSlidesFor, type PostCopy } from '../../lib/social';
import { captionPoints, planCarouselSlides } from '../../lib/social-carousel';
import { renderPostImageHtml } from '../../activities/render/post-image.template';
import { checkCarousel } from '../../lib/calendar/media-specs';

const copy = (caption: string, callToAction = 'Book a tasting'): PostCopy => ({
  caption,
  callToAction,
  hashtags: ['coffee'],
  altText: 'Coffee',
});
const brand = { name: 'Bean There' };

describe('planCarouselSlides', () => {
  it('makes a cover of the headline, a slide per point and a closing call to action', () => {
    const slides = planCarouselSlides(copy('Better coffee at home. Grind fresh. Weigh the beans.'), brand);
    expect(slides).toEqual([
      { role: 'cover', headline: 'Better coffee at home.' },
      { role: 'point', headline: 'Grind fresh.' },
      { role: 'point', headline: 'Weigh the beans.' },
      { role: 'cta', headline: 'Book a tasting', body: 'Bean There' },
    ]);
  });

  it("drops a lead-in's colon from the cover", () => {
    const slides = planCarouselSlides(
      copy('A few quick tips on cold brew, from the team:\n- Grind coarse\n- Wait a day'),
      brand,
    );
    expect(slides[0]).toEqual({ role: 'cover', headline: 'A few quick tips on cold brew, from the team' });
    expect(slides[1].headline).toBe('Grind coarse');
  });

  it('takes points from lines, without list markers, emoji or a hashtag line', () => {
    const caption = 'Three rules ☕\n- Grind fresh\n2) Use filtered water 💧\n• Pour slowly\n#coffee #brew';
    expect(captionPoints(caption)).toEqual(['Grind fresh', 'Use filtered water', 'Pour slowly']);
  });

  it('joins points so a carousel has at most five slides, losing none', () => {
    const caption = 'Six steps. One. Two. Three. Four. Five. Six.';
    const slides = planCarouselSlides(copy(caption), brand);
    expect(slides).toHaveLength(5);
    expect(slides.slice(1, 4).map((s) => s.headline)).toEqual(['One. Two.', 'Three. Four.', 'Five. Six.']);
  });

  it('gives a one-sentence caption one point slide, so a carousel never has fewer than three slides', () => {
    const slides = planCarouselSlides(copy('Fresh beans every Monday', ''), brand);
    expect(slides.map((s) => s.role)).toEqual(['cover', 'point', 'cta']);
    expect(slides[1].headline).toBe('Fresh beans every Monday');
    // No call to action in the copy: the closing slide names the brand.
    expect(slides[2]).toEqual({ role: 'cta', headline: 'Bean There' });
  });

  it('shortens a long point on a word boundary', () => {
    const long = `Intro. ${'word '.repeat(80).trim()}.`;
    const [, point] = planCarouselSlides(copy(long), brand);
    expect([...point.headline].length).toBeLessThanOrEqual(220);
    expect(point.headline).toMatch(/word…$/);
  });
});

describe('carousel limits by platform', () => {
  it('has the platforms’ published counts', () => {
    expect(CAROUSEL_LIMITS).toMatchObject({
      instagram: { min: 2, max: 10 },
      x: { max: 4 },
      tiktok: { max: 35 },
      linkedin: { max: 20 },
    });
  });

  it('keeps the first slides and the last (the call to action) when a platform takes fewer', () => {
    expect(carouselSlidesFor([1, 2, 3, 4, 5], 'x')).toEqual([1, 2, 3, 5]);
    expect(carouselSlidesFor([1, 2, 3, 4], 'x')).toEqual([1, 2, 3, 4]);
    expect(carouselSlidesFor([1, 2, 3, 4, 5], 'instagram')).toEqual([1, 2, 3, 4, 5]);
  });

  it('names a count a platform refuses', () => {
    expect(carouselCountProblem(1, 'instagram')).toMatch(/at least 2/);
    expect(carouselCountProblem(11, 'instagram')).toMatch(/at most 10/);
    expect(carouselCountProblem(5, 'x')).toMatch(/at most 4/);
    expect(carouselCountProblem(35, 'tiktok')).toBeNull();
  });
});

it('draws a slide counter on a carousel card', () => {
  const html = renderPostImageHtml({
    brand: { name: 'Bean There', colors: { primary: '#112233', secondary: '#445566' } },
    headline: 'Grind fresh',
    postType: 'tips',
    platform: 'instagram',
    format: 'carousel',
    slide: { index: 2, count: 5 },
  });
  expect(html).toContain('data-format="carousel"');
  expect(html).toContain('<div class="count" data-slide="2">2 / 5</div>');
});

describe('checkCarousel (calendar media rules)', () => {
  const slide = (width = 1080, height = 1080, bytes = 200_000) =>
    ({ kind: 'image', url: 'https://example.test/s.png', width, height, bytes }) as const;

  it('accepts five square slides everywhere that takes images, X taking four of them', () => {
    for (const target of ['local', 'instagram', 'facebook', 'linkedin', 'x', 'tiktok'] as const)
      expect(
        checkCarousel(
          [1, 2, 3, 4, 5].map(() => slide()),
          target,
        ),
      ).toEqual([]);
  });

  it('names the slide that breaks a platform’s image rules, and a count below the minimum', () => {
    expect(checkCarousel([slide(), slide(1080, 1920)], 'instagram')).toEqual([
      { platform: 'instagram', field: 'media', message: expect.stringMatching(/^slide 2: 1080×1920/) },
    ]);
    expect(checkCarousel([slide()], 'linkedin')[0].message).toMatch(/at least 2/);
    expect(checkCarousel([slide(), slide()], 'youtube')[0].message).toMatch(/does not take carousel/);
  });
});
