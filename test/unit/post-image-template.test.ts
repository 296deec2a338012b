import {
  escapeHtml,
  normalizeHexColor,
  renderPostImageHtml,
  resolvePalette,
} from '../../activities/render/post-image.template';

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

describe('post image template', () => {
  it('escapes every piece of brand and copy text', () => {
    const html = renderPostImageHtml(input);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Grind fresh');
    expect(html).toContain('Lumen &lt;Coffee&gt;');
    expect(html).toContain('Tell us &amp; share');
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('allows no network access: a CSP with only inline styles, data: images and the hashed fit script', () => {
    const html = renderPostImageHtml(input);
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('uses the brand colours and falls back to defaults for invalid ones', () => {
    expect(normalizeHexColor('#abc')).toBe('#AABBCC');
    expect(normalizeHexColor('red')).toBeNull();
    const palette = resolvePalette({ primary: 'not-a-colour', secondary: '#f59e0b' });
    expect(palette.primary).toBe('#4F46E5');
    expect(palette.secondary).toBe('#F59E0B');
    expect(renderPostImageHtml(input)).toContain('#2D1B69');
  });

  it('lays out square and story formats at their sizes', () => {
    expect(renderPostImageHtml(input)).toContain('width: 1080px; height: 1080px');
    const story = renderPostImageHtml({ ...input, format: 'story' });
    expect(story).toContain('data-format="story"');
    expect(story).toContain('width: 1080px; height: 1920px');
  });
});
