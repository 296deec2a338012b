/** Collects Content-Security-Policy violations of a puppeteer page (the `securitypolicyviolation` events). */
import type { Page } from 'puppeteer-core';

export async function watchCspViolations(page: Page, sink: string[]): Promise<void> {
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('CSP violation:') || /Content Security Policy/i.test(text)) sink.push(text);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}
