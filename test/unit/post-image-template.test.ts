import { contrastRatio, escapeHtml, normalizeHexColor, resolvePalette, safeLogoDataUrl } from '../../lib/html';
import { renderPostImageHtml } from '../../activities/render/post-image.template';

const input = {
  brand: {
    name: 'Lumen <Coffee>',
    slogan: 'Brewed "with" light',
    colors: { primary: '#2d1b69', secondary: '#f59e0b' },
  },
  headline: '<script>alert(1)</script> Grind fresh',
  body: 'Tell us & share',
  postType: 'tips' as const,
  platform: 'instagram' as const,
  format: 'square' as const,
};

const PIXEL_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('post image template', () => {
  it('escapes every piece of brand and copy text', () => {
    const html = renderPostImageHtml(input);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Grind fresh');
    expect(html).toContain('Lumen &lt;Coffee&gt;');
    expect(html).toContain('Brewed &quot;with&quot; light');
    expect(html).toContain('Tell us &amp; share');
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
    // Exactly one script element: the static, hashed fit script.
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('keeps hostile values out of attributes, CSS and the badge', () => {
    const html = renderPostImageHtml({
      ...input,
      brand: {
        ...input.brand,
        fontFamily: "x'; } body { background: url(http://evil.test/) } .a { '",
        colors: { primary: 'red;}</style><script>', secondary: '#fff' },
        logoDataUrl: 'data:image/png;base64,AAAA" onerror="alert(1)',
      },
      postType: '"><img src=x>' as never,
      platform: '"><b>' as never,
    });
    expect(html).not.toContain('evil.test');
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('</style><script>');
    expect(html).not.toContain('"><b>');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('allows no network access: a CSP with only inline styles, data: images and the hashed fit script', () => {
    const html = renderPostImageHtml(input);
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('uses a data: logo and ignores any other URL', () => {
    expect(safeLogoDataUrl(PIXEL_PNG)).toBe(PIXEL_PNG);
    expect(safeLogoDataUrl('https://cdn.test/logo.png')).toBeNull();
    expect(safeLogoDataUrl('data:text/html;base64,PHNjcmlwdD4=')).toBeNull();
    const withLogo = renderPostImageHtml({ ...input, brand: { ...input.brand, logoDataUrl: PIXEL_PNG } });
    expect(withLogo).toContain(`<img src="${PIXEL_PNG}"`);
    const remote = renderPostImageHtml({ ...input, brand: { ...input.brand, logoDataUrl: 'https://cdn.test/l.png' } });
    expect(remote).not.toContain('cdn.test');
    expect(remote).toContain('>LC<'); // the monogram stands in
  });

  it('uses the brand colours and falls back to defaults for invalid ones', () => {
    expect(normalizeHexColor('#abc')).toBe('#AABBCC');
    expect(normalizeHexColor(' 2d1b69 ')).toBe('#2D1B69');
    expect(normalizeHexColor('#2d1b69cc')).toBe('#2D1B69');
    expect(normalizeHexColor('red')).toBeNull();
    expect(normalizeHexColor('#12345')).toBeNull();
    expect(normalizeHexColor(undefined)).toBeNull();
    const palette = resolvePalette({ primary: 'not-a-colour', secondary: '#f59e0b' });
    expect(palette.primary).toBe('#4F46E5');
    expect(palette.secondary).toBe('#F59E0B');
    expect(renderPostImageHtml(input)).toContain('#2D1B69');
  });

  it('derives a missing secondary from the primary and keeps text readable', () => {
    const dark = resolvePalette({ primary: '#1e3a8a' });
    expect(dark.secondary).not.toBe('#DB2777');
    expect(dark.ink).toBe('#FFFFFF');
    const pastel = resolvePalette({ primary: '#fde68a', secondary: '#fbcfe8', text: '#ffffff' });
    expect(pastel.ink).toBe('#0F172A'); // white on pastel fails 3:1, so the brand text colour is overridden
    const branded = resolvePalette({ primary: '#064e3b', secondary: '#065f46', text: '#f0fdf4', accent: '#fde68a' });
    expect(branded.ink).toBe('#F0FDF4');
    expect(contrastRatio(branded.onAccent, branded.accent)).toBeGreaterThanOrEqual(4.5);
  });

  it('lays out square and story formats at their sizes', () => {
    expect(renderPostImageHtml(input)).toContain('width: 1080px; height: 1080px');
    const story = renderPostImageHtml({ ...input, format: 'story' });
    expect(story).toContain('data-format="story"');
    expect(story).toContain('width: 1080px; height: 1920px');
  });

  it('starts long headlines smaller than short ones', () => {
    const size = (headline: string) =>
      Number(/id="headline" style="font-size: (\d+)px"/.exec(renderPostImageHtml({ ...input, headline }))?.[1]);
    expect(size('Short')).toBeGreaterThan(size('A much longer headline that needs several lines to say everything'));
  });

  it('does not double the quotation marks of a testimonial', () => {
    const html = renderPostImageHtml({ ...input, postType: 'testimonial', headline: '"Best beans in town."' });
    expect(html).toContain('>Best beans in town.</h1>');
    expect(html).toContain('class="quote"');
  });
});
