/**
 * Cookies as plain strings. cookie-parser decoded `j:`-prefixed values as JSON, so a session cookie holding `j:[]`
 * reached the session lookup as an array and answered 500; here a value is only ever a string, and one that is
 * not valid percent-encoding is kept as it came (it then matches no session: 401).
 */
import type { Request, RequestHandler } from 'express';

export function readCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    // The first occurrence wins, as browsers send the most specific path first.
    if (!name || name in cookies) continue;
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** Fills `req.cookies` (the shape cookie-parser gave) from the Cookie header. */
export const plainCookies: RequestHandler = (req: Request, _res, next) => {
  (req as Request & { cookies: Record<string, string> }).cookies = readCookies(req.get('cookie'));
  next();
};
