/** The HTML-render kit's layout text, fonts, colours, data URLs and policies (escaping: public-text.test.ts). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  cleanText,
  contrastRatio,
  escapeHtml,
  fontStack,
  initials,
  legibleOnWhite,
  mixColors,
  PRINT_SANS_STACK,
  publicPageCsp,
  rgba,
  SANS_STACK,
  safeBackgroundDataUrl,
  safeLogoDataUrl,
  templateCsp,
  templateHead,
  WHITE,
} from '../../lib/html';

describe('HTML-render kit', () => {
  it('cleans layout text: controls out, newlines kept, cut with an ellipsis', () => {
    expect(cleanText(' a\u0000b\tc\r\nd\u007f ')).toBe('abc\nd');
    expect(cleanText(null)).toBe('');
    expect(cleanText(42)).toBe('42');
    expect(cleanText('abcdef', 4)).toBe('abc…');
    expect(cleanText('😀😀😀😀😀', 3)).toBe('😀😀…');
  });

  it('folds spaces and blank lines, and cuts at a word, only when asked', () => {
    expect(cleanText('a  b\n\n\nc', Infinity, { foldSpace: true })).toBe('a b\nc');
    expect(cleanText('a  b\n\n\nc')).toBe('a  b\n\n\nc');
    expect(cleanText('grind the beans fresh', 14)).toBe('grind the bea…');
    expect(cleanText('grind the beans fresh', 14, { atWord: true })).toBe('grind the…');
    // A cut at a word that would drop most of the text cuts mid-word instead.
    expect(cleanText('a verylongwordindeed', 14, { atWord: true })).toBe('a verylongwor…');
  });

  it('makes monograms from the first two words', () => {
    expect(initials('Lumen <Coffee> Roasters')).toBe('LC');
    expect(initials('lumen')).toBe('LU');
    expect(initials('!!!')).toBe('•');
  });

  it('lets only safe family names into a font stack', () => {
    expect(fontStack('Inter')).toBe(`'Inter', ${SANS_STACK}`);
    expect(fontStack("x'; } body { background: url(//evil)")).toBe(SANS_STACK);
    expect(fontStack(undefined, PRINT_SANS_STACK)).toBe(PRINT_SANS_STACK);
    expect(fontStack(7)).toBe(SANS_STACK);
  });

  it('mixes colours and keeps lines legible on white', () => {
    expect(mixColors('#000000', '#FFFFFF', 0.5)).toBe('#808080');
    expect(rgba('#FF8000', 0.5)).toBe('rgba(255, 128, 0, 0.5)');
    expect(contrastRatio('#000000', WHITE)).toBeCloseTo(21, 5);
    const pale = legibleOnWhite('#FDE68A', 4.5);
    expect(contrastRatio(pale, WHITE)).toBeGreaterThanOrEqual(4.5);
  });

  it('embeds only base64 image data URLs', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(safeLogoDataUrl(png)).toBe(png);
    expect(safeLogoDataUrl('data:image/svg+xml;base64,PHN2Zz4=')).not.toBeNull();
    expect(safeBackgroundDataUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBeNull();
    expect(safeLogoDataUrl('https://example.com/logo.png')).toBeNull();
    expect(safeBackgroundDataUrl('data:image/png;base64,AA"><script>')).toBeNull();
  });

  it('writes the policies: a hashed script for templates, a hashed stylesheet for public pages', () => {
    expect(templateCsp()).toBe("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'");
    expect(templateCsp('x')).toMatch(/; script-src 'sha256-[A-Za-z0-9+/]+=*'$/);
    const page = publicPageCsp('body{}', 'https://pub.example:8443/base/');
    expect(page).toContain("img-src 'self' https://pub.example:8443;");
    expect(page).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(page).not.toContain('script-src');
  });

  it('starts every template with its CSP and an escaped title', () => {
    const head = templateHead({ csp: templateCsp(), viewport: 'width=10', title: '<b>"x"</b>', css: 'p{}' });
    expect(head.indexOf('Content-Security-Policy')).toBeLessThan(head.indexOf('<title>'));
    expect(head).toContain(`<title>${escapeHtml('<b>"x"</b>')}</title>`);
  });

  it('stays pure: imports nothing from activities, the API or the database', () => {
    const dir = path.join(__dirname, '../../lib/html');
    for (const file of readdirSync(dir)) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => /\/(activities|api|db)\b/.test(i))).toEqual([]);
    }
  });
});
