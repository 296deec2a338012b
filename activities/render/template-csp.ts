/** The Content-Security-Policy of the pages Chromium renders: nothing from the network, inline styles, data: images. */
import { createHash } from 'node:crypto';

/** `script`: the one inline script the page may run (its hash is allowed); none for script-free pages. */
export function templateCsp(script?: string): string {
  const rules = ["default-src 'none'", 'img-src data:', 'font-src data:', "style-src 'unsafe-inline'"];
  if (script) rules.push(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  return rules.join('; ');
}
