/** Content-Security-Policies of the documents the product renders: Chromium templates and the public pages. */
import { createHash } from 'node:crypto';

/** The CSP source that allows exactly this inline script or stylesheet. */
const hashSource = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The policy of the pages Chromium renders: nothing from the network, inline styles, data: images. `script`: the one
 * inline script the page may run (its hash is allowed); none for script-free pages.
 */
export function templateCsp(script?: string): string {
  const rules = ["default-src 'none'", 'img-src data:', 'font-src data:', "style-src 'unsafe-inline'"];
  if (script) rules.push(`script-src ${hashSource(script)}`);
  return rules.join('; ');
}

/**
 * A public page's policy: no script at all, the one inline stylesheet by its hash, media from this server (and the
 * public URL's origin, when a proxy serves it under another name), and no framing.
 */
export function publicPageCsp(css: string, publicUrl: string): string {
  const media = `'self' ${new URL(publicUrl).origin}`;
  return [
    "default-src 'none'",
    `style-src ${hashSource(css)}`,
    `img-src ${media}`,
    `media-src ${media}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
