/**
 * Cross-site request forgery, beyond SameSite=Lax. A write that a browser would authenticate with the session
 * cookie must prove it came from our own pages:
 * - `Sec-Fetch-Site`, when the browser sends it, is `same-origin` (or `none`: typed by the user);
 * - `Origin`, when sent, is this server's own origin or PUBLIC_URL's;
 * - and the request is JSON (`application/json`) or carries `X-Requested-With`. A cross-site HTML form can send
 *   neither without a CORS preflight, which this API never grants.
 * API-key requests (`Authorization` header) carry no ambient credential and are exempt, as are signed webhooks
 * (mounted before this middleware).
 */
import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../lib/errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfProtection(options: { publicUrl: string }): RequestHandler {
  const publicOrigin = new URL(options.publicUrl).origin;
  return (req, _res, next) => {
    if (SAFE.has(req.method) || req.get('authorization')) return next();
    const refuse = (why: string) => {
      throw new ForbiddenError(`Cross-site request refused: ${why}`, {
        extra: { reason: 'csrf' },
        errors: [{ field: 'headers', message: why }],
      });
    };
    const site = req.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') refuse(`Sec-Fetch-Site is ${site}`);
    const origin = req.get('origin');
    if (origin !== undefined && origin !== publicOrigin && origin !== `${req.protocol}://${req.get('host')}`)
      refuse(`Origin ${origin.slice(0, 200)} is not this site`);
    const json = /^application\/([\w.+-]+\+)?json\b/i.test(req.get('content-type') ?? '');
    if (!json && !req.get('x-requested-with'))
      refuse('send the request as application/json or with an X-Requested-With header');
    next();
  };
}
