import { escapeHtml } from './escape';

export interface TemplateHead {
  /** The page's policy, from `templateCsp`; a meta tag, since Chromium loads the page with `setContent`. */
  csp: string;
  viewport: string;
  /** Plain text; escaped here. */
  title: string;
  /** The page's one stylesheet, built by the template from validated values. */
  css: string;
}

/** The `<head>` every Chromium template starts with: charset, its CSP first of all content, viewport, title, styles. */
export function templateHead({ csp, viewport, title, css }: TemplateHead): string {
  return `<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="${viewport}">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>`;
}
