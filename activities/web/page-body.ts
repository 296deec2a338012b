/** What a fetched body is: its media type, whether it is a page, and its text in the charset it declares. */
import { type IncomingHttpHeaders } from 'node:http';

export interface MediaType {
  /** Lower case, without parameters; empty when the server sent none. */
  type: string;
  charset?: string;
}

export function parseContentType(header: string | undefined): MediaType {
  if (!header) return { type: '' };
  const [type, ...params] = header.split(';');
  const charset = params
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1])
    .find((c): c is string => Boolean(c));
  return { type: type.trim().toLowerCase(), charset: charset?.toLowerCase() };
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const TEXT_TYPES = /^(text\/|application\/([\w.+-]+\+)?(json|xml|javascript)$)/;

export const isHtmlType = (type: string): boolean => HTML_TYPES.has(type);

export const isTextType = (type: string): boolean => TEXT_TYPES.test(type);

/** A server that names no type still gets its page read when the body starts like HTML (as browsers sniff). */
export function looksLikeHtml(head: Buffer): boolean {
  return /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|title|meta)[\s>]/i.test(
    head.subarray(0, 512).toString('latin1'),
  );
}

/** The body as text: the header's charset, else a `<meta charset>` in the first 1 KiB, else UTF-8. */
export function decodeText(body: Buffer, headerCharset: string | undefined): string {
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(body.subarray(0, 1024).toString('latin1'))?.[1];
  for (const label of [headerCharset, meta]) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(body);
    } catch {
      // An unknown label: try the next source.
    }
  }
  return new TextDecoder('utf-8').decode(body);
}

/** Response headers a browser needs to use a body it did not fetch itself: its type, CORS, caching hints. */
const PASSED_ON = [
  'content-type',
  'content-language',
  'cache-control',
  'last-modified',
  'etag',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
];

export function passedOnHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED_ON) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
