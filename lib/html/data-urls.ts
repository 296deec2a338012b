/** Images a template may embed: base64 data URLs only, so a render never touches the network. */

const LOGO_DATA_URL = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[a-z0-9+/]+=*$/i;
const BACKGROUND_DATA_URL = /^data:image\/(png|jpeg|webp);base64,[a-z0-9+/]+=*$/i;

/** A base64 PNG, JPEG, GIF, WebP or SVG data URL (an `<img>` runs no SVG script); anything else is refused. */
export function safeLogoDataUrl(value: string | undefined): string | null {
  return value && LOGO_DATA_URL.test(value) ? value : null;
}

/** Only a base64 PNG, JPEG or WebP data URL; anything else (a URL, SVG with scripts) is refused. */
export function safeBackgroundDataUrl(value: string | undefined): string | null {
  return value && BACKGROUND_DATA_URL.test(value) ? value : null;
}
