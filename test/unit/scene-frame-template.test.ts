import { createHash } from 'node:crypto';
import { contrastRatio, safeBackgroundDataUrl } from '../../lib/html';
import { frameColors, GLOW_ALPHA } from '../../activities/render/scene-frame.colors';
import {
  chooseSceneLayout,
  SCENE_LAYOUTS,
  splitFigure,
  SUBTITLE_BAND,
  TEXT_SAFE_AREA,
  type SceneFrameInput,
} from '../../activities/render/scene-frame.layout';
import { renderSceneFrameHtml } from '../../activities/render/scene-frame.template';
import { VIDEO_FORMATS } from '../../lib/video/types';

const PIXEL_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const brand = {
  name: 'Lumen <Coffee>',
  slogan: 'Brewed "with" light',
  colors: { primary: '#2d1b69', secondary: '#f59e0b' },
  fontFamily: null,
  logoDataUrl: null,
};

const input = (overrides: Partial<SceneFrameInput> = {}, scene: Partial<SceneFrameInput['scene']> = {}) => ({
  brand,
  scene: { index: 1, onScreenText: 'Grind right before you brew', visual: 'Beans in a burr grinder', ...scene },
  sceneCount: 5,
  format: 'vertical' as const,
  ...overrides,
});

const layoutOf = (html: string) => /data-layout="(\w+)"/.exec(html)?.[1];

/** The colour of a CSS custom value in the frame's own stylesheet, e.g. the gradient's first stop. */
const gradientStops = (html: string) =>
  /\.frame \{[^}]*linear-gradient\(\d+deg, (#[0-9A-F]{6}) 0%, (#[0-9A-F]{6}) 55%, (#[0-9A-F]{6}) 100%\)/
    .exec(html)
    ?.slice(1);

describe('scene frame template', () => {
  it('escapes the on-screen text and every piece of brand text', () => {
    const html = renderSceneFrameHtml(
      input({}, { onScreenText: '<script>alert(1)</script> & "more"', visual: '<b>bold</b>' }),
    );
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(html).toContain('Lumen &lt;Coffee&gt;');
    expect(html).not.toContain('<b>bold</b>');
    const end = renderSceneFrameHtml(input({}, { index: 4, onScreenText: 'Shop now' }));
    expect(end).toContain('Brewed &quot;with&quot; light');
    // Exactly one script element: the static, hashed fit script.
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('keeps hostile values out of attributes, CSS and the page', () => {
    const html = renderSceneFrameHtml({
      ...input(),
      brand: {
        ...brand,
        fontFamily: "x'; } body { background: url(http://evil.test/) } .a { '",
        colors: { primary: 'red;}</style><script>', secondary: '#fff', accent: 'url(http://evil.test/a)' },
        logoDataUrl: 'data:image/png;base64,AAAA" onerror="alert(1)',
      },
      style: { backgroundDataUrl: 'https://evil.test/bg.png', layout: '"><img src=x>' as never },
    });
    expect(html).not.toContain('evil.test');
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('</style><script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain('data-background');
  });

  it('allows no network access: a CSP with data: images, inline styles and only the hashed fit script', () => {
    const html = renderSceneFrameHtml(input());
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(script).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(script).toContain("setAttribute('data-ready', 'true')");
  });

  it('is deterministic', () => {
    expect(renderSceneFrameHtml(input())).toBe(renderSceneFrameHtml(input()));
  });

  it('renders both formats at their sizes', () => {
    for (const format of ['vertical', 'horizontal'] as const) {
      const { width, height } = VIDEO_FORMATS[format];
      const html = renderSceneFrameHtml(input({ format }));
      expect(html).toContain(`data-format="${format}"`);
      expect(html).toContain(`html, body { width: ${width}px; height: ${height}px;`);
      // The text box ends above the subtitle band.
      expect(TEXT_SAFE_AREA[format].bottom).toBeGreaterThanOrEqual(Math.ceil(height * SUBTITLE_BAND[format]));
      expect(html).toContain(`bottom: ${TEXT_SAFE_AREA[format].bottom}px;`);
    }
    // Vertical frames keep clear of the platform's action column on the right and its header on top.
    expect(TEXT_SAFE_AREA.vertical.right).toBeGreaterThanOrEqual(140);
    expect(TEXT_SAFE_AREA.vertical.top).toBeGreaterThanOrEqual(300);
  });

  describe('layout', () => {
    const scene = (index: number, onScreenText = 'Fresh grounds lose aroma fast', visual = 'A grinder') => ({
      index,
      onScreenText,
      visual,
    });

    it('opens with a title card and ends with a call to action', () => {
      expect(chooseSceneLayout(scene(0), 6)).toBe('title');
      expect(chooseSceneLayout(scene(5), 6)).toBe('cta');
      expect(chooseSceneLayout(scene(0), 1)).toBe('title');
      expect(chooseSceneLayout(scene(1), 2)).toBe('cta');
    });

    it('numbers the points in between, and sets quotes and figures apart', () => {
      expect(chooseSceneLayout(scene(2), 6)).toBe('point');
      expect(chooseSceneLayout(scene(2, '“Best cup at home.”'), 6)).toBe('quote');
      expect(chooseSceneLayout(scene(2, 'Best cup at home', 'Customer testimonial on screen'), 6)).toBe('quote');
      expect(chooseSceneLayout(scene(2, '73% of flavour is aroma'), 6)).toBe('stat');
      expect(chooseSceneLayout(scene(2, '3× more aroma'), 6)).toBe('stat');
      expect(chooseSceneLayout(scene(2, '$20 a month'), 6)).toBe('stat');
      expect(chooseSceneLayout(scene(2, '3 ways to brew better'), 6)).toBe('point');
      expect(chooseSceneLayout(scene(2, '12 000 happy cups', 'Big counter animation'), 6)).toBe('stat');
    });

    it('splits a figure from its text', () => {
      expect(splitFigure('73% of flavour is aroma')).toEqual({ figure: '73%', rest: 'of flavour is aroma' });
      expect(splitFigure('+40 % — more crema')).toEqual({ figure: '+40 %', rest: 'more crema' });
      expect(splitFigure('1,5× faster')).toEqual({ figure: '1,5×', rest: 'faster' });
      expect(splitFigure('73%')).toBeNull();
      expect(splitFigure('2024 was our year')).toBeNull();
    });

    it('marks the layout on the page and honours an explicit one', () => {
      expect(layoutOf(renderSceneFrameHtml(input({}, { index: 0 })))).toBe('title');
      expect(layoutOf(renderSceneFrameHtml(input({}, { index: 4 })))).toBe('cta');
      expect(layoutOf(renderSceneFrameHtml(input({}, { index: 2, onScreenText: '73% of flavour is aroma' })))).toBe(
        'stat',
      );
      for (const layout of SCENE_LAYOUTS) {
        const html = renderSceneFrameHtml(input({ style: { layout } }, { onScreenText: '40% less waste' }));
        expect(layoutOf(html)).toBe(layout);
      }
      // A stat card without a figure to set large is a point.
      expect(layoutOf(renderSceneFrameHtml(input({ style: { layout: 'stat' } })))).toBe('point');
    });

    it('shows the logo and brand name on the title card', () => {
      const html = renderSceneFrameHtml(input({ brand: { ...brand, logoDataUrl: PIXEL_PNG } }, { index: 0 }));
      expect(html).toContain(`<img src="${PIXEL_PNG}" alt="">`);
      expect(html).toContain('<div class="eyebrow">Lumen &lt;Coffee&gt;</div>');
      expect(html).toContain('>Grind right before you brew</h1>');
    });

    it('gives a point its number', () => {
      const html = renderSceneFrameHtml(input({}, { index: 3 }));
      expect(html).toContain('<div class="number" aria-hidden="true">03</div>');
    });

    it('sets a stat figure apart from its text', () => {
      const html = renderSceneFrameHtml(input({}, { index: 2, onScreenText: '73% of flavour is aroma' }));
      expect(html).toMatch(/<div id="figure"[^>]*>73%<\/div>/);
      expect(html).toMatch(/<h1 id="headline"[^>]*>of flavour is aroma<\/h1>/);
    });

    it('draws its own quotation mark on a quote card', () => {
      const html = renderSceneFrameHtml(input({}, { index: 2, onScreenText: '"Best cup I have had at home."' }));
      expect(html).toContain('class="mark"');
      expect(html).toMatch(/<h1 id="headline"[^>]*>Best cup I have had at home\.<\/h1>/);
    });

    it('ends with the brand name, the slogan and the call to action on a button', () => {
      const html = renderSceneFrameHtml(input({}, { index: 4, onScreenText: 'Visit lumen.coffee' }));
      expect(layoutOf(html)).toBe('cta');
      expect(html).toMatch(/<div id="brand-name"[^>]*>Lumen &lt;Coffee&gt;<\/div>/);
      expect(html).toMatch(/<div id="slogan"[^>]*>Brewed &quot;with&quot; light<\/div>/);
      expect(html).toMatch(/<div class="button"><span id="headline"[^>]*>Visit lumen\.coffee<\/span>/);
      const noSlogan = renderSceneFrameHtml(input({ brand: { ...brand, slogan: null } }, { index: 4 }));
      expect(noSlogan).not.toContain('id="slogan"');
    });

    it('uses a monogram when the logo is not a data URL', () => {
      const html = renderSceneFrameHtml(
        input({ brand: { ...brand, logoDataUrl: 'https://cdn.test/logo.png' } }, { index: 0 }),
      );
      expect(html).not.toContain('cdn.test');
      expect(html).toMatch(/class="chip chip-large"[^>]*>LC<\/div>/);
    });
  });

  describe('progress', () => {
    it('shows scene i of n as segments and a counter', () => {
      const html = renderSceneFrameHtml(input({ sceneCount: 8 }, { index: 2 }));
      expect(html.match(/class="seg /g)).toHaveLength(8);
      expect(html.match(/class="seg done"/g)).toHaveLength(2);
      expect(html.match(/class="seg current"/g)).toHaveLength(1);
      expect(html).toContain('<span class="count">03 / 08</span>');
    });

    it('turns into a single bar for long videos', () => {
      const html = renderSceneFrameHtml(input({ sceneCount: 20 }, { index: 9 }));
      expect(html.match(/class="seg /g)).toHaveLength(1);
      expect(html).toContain('class="fill" style="width: 50.00%"');
      expect(html).toContain('10 / 20');
    });

    it('clamps an index beyond the scene count', () => {
      const html = renderSceneFrameHtml(input({ sceneCount: 3 }, { index: 7 }));
      expect(html).toContain('data-scene="2"');
      expect(layoutOf(html)).toBe('cta');
    });
  });

  describe('colours', () => {
    it('paints the title card from the brand primary and the end card from the secondary', () => {
      const colors = { primary: '#1d4ed8', secondary: '#be123c' };
      const title = renderSceneFrameHtml(input({ brand: { ...brand, colors } }, { index: 0 }));
      expect(gradientStops(title)?.[0]).toBe('#1D4ED8');
      expect(title).toContain(`rgba(190, 18, 60, ${GLOW_ALPHA})`); // the secondary lights it
      const end = renderSceneFrameHtml(input({ brand: { ...brand, colors } }, { index: 4 }));
      expect(gradientStops(end)?.[0]).toBe('#BE123C');
    });

    it('falls back to the default palette for invalid colours', () => {
      const html = renderSceneFrameHtml(
        input({ brand: { ...brand, colors: { primary: 'blue', secondary: 'nope' } } }, { index: 0 }),
      );
      expect(gradientStops(html)?.[0]).toBe('#4F46E5');
    });

    it('keeps text readable on every card for light, dark and clashing brands', () => {
      const palettes = [
        { primary: '#2d1b69', secondary: '#f59e0b' },
        { primary: '#fde68a', secondary: '#fbcfe8', text: '#ffffff' },
        { primary: '#A7F3D0', secondary: '#065F46', accent: '#F472B6' },
        { primary: '#DC2626', secondary: '#111827' },
        { primary: '#808080', secondary: '#7f7f7f' },
        { primary: '#ffffff', secondary: '#000000' },
        { primary: '#00ff00', secondary: '#ff00ff', accent: '#ffff00' },
      ];
      for (const colors of palettes) {
        for (const layout of SCENE_LAYOUTS) {
          const c = frameColors(colors, layout);
          for (const stop of c.stops) {
            expect(contrastRatio(c.ink, stop)).toBeGreaterThanOrEqual(3);
            expect(contrastRatio(c.highlight, stop)).toBeGreaterThanOrEqual(3);
          }
          expect(contrastRatio(c.onButton, c.button)).toBeGreaterThanOrEqual(3);
          expect(contrastRatio(c.onChip, c.chip)).toBeGreaterThanOrEqual(3);
        }
      }
    });

    it('uses a brand text colour only when it is readable', () => {
      expect(frameColors({ primary: '#1e3a8a', secondary: '#1e40af', text: '#fef3c7' }, 'point').ink).toBe('#FEF3C7');
      expect(frameColors({ primary: '#fde68a', secondary: '#fbcfe8', text: '#ffffff' }, 'title').ink).toBe('#0F172A');
    });
  });

  describe('background image', () => {
    it('places a generated image under a brand-coloured veil', () => {
      const html = renderSceneFrameHtml(input({ style: { backgroundDataUrl: PIXEL_PNG } }));
      expect(html).toContain('data-background="image"');
      expect(html).toContain(`<img class="photo" src="${PIXEL_PNG}" alt="">`);
      expect(html).toContain('<div class="veil"></div>');
      expect(html).toMatch(/\.veil \{[^}]*rgba\(45, 27, 105, 0\.8\d*\)/);
    });

    it('accepts only base64 PNG, JPEG or WebP data URLs', () => {
      expect(safeBackgroundDataUrl(PIXEL_PNG)).toBe(PIXEL_PNG);
      expect(safeBackgroundDataUrl('data:image/jpeg;base64,/9j/4AAQ')).toBe('data:image/jpeg;base64,/9j/4AAQ');
      expect(safeBackgroundDataUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBeNull();
      expect(safeBackgroundDataUrl('https://images.test/a.png')).toBeNull();
      expect(safeBackgroundDataUrl(undefined)).toBeNull();
    });
  });

  it('cleans and caps the on-screen text', () => {
    const html = renderSceneFrameHtml(input({}, { onScreenText: `  Line one\u0007\n\n\nLine two ${'x'.repeat(400)}` }));
    const text = /<h1 id="headline"[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '';
    expect(text.startsWith('Line one\nLine two')).toBe(true);
    expect([...text].length).toBeLessThanOrEqual(220);
    expect(text.endsWith('…')).toBe(true);
  });

  it('starts long text smaller than short text', () => {
    const size = (onScreenText: string) =>
      Number(
        /id="headline"[^>]*style="font-size: (\d+)px"/.exec(renderSceneFrameHtml(input({}, { onScreenText })))?.[1],
      );
    expect(size('Short')).toBeGreaterThan(
      size('A much longer line of on-screen text that needs several lines to say it'),
    );
  });
});
