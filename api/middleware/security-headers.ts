/**
 * Response headers for the UI and the API (helmet), and the guard on /metrics.
 * The channel pages under /c replace this Content-Security-Policy with their own, stricter one (no script at all).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../../lib/config';
import { UnauthorizedError } from '../../lib/errors';

export function securityHeaders(config: Config): RequestHandler {
  const headers = securityHeaderList(config);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** Every response's security headers, as name and value (the start lane sets them without Express). */
export function securityHeaderList(config: Config): [string, string][] {
  const publicOrigin = new URL(config.api.publicUrl).origin;
  const https = publicOrigin.startsWith('https:');
  // Artifacts (images, videos, PDFs) carry PUBLIC_URL's origin, which may differ from the address in the bar.
  const self = ["'self'", publicOrigin];
  return headersOf(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // No inline styles: the UI sets styles through the CSSOM, which a policy does not govern.
          styleSrc: ["'self'"],
          imgSrc: [...self, 'data:', 'blob:'],
          mediaSrc: [...self, 'blob:'],
          // The run page embeds report PDFs with <object>.
          objectSrc: self,
          frameSrc: self,
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          // 'self', not 'none': a PDF this server sends is framed by its own run page.
          frameAncestors: ["'self'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // Published images and videos are embedded by feed readers and other sites.
      crossOriginResourcePolicy: false,
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600 } : false,
      xFrameOptions: { action: 'sameorigin' },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
}

/**
 * Helmet's headers here depend on nothing in the request (no nonce, no per-request directive): they are read once
 * from its middleware and set in one step, where helmet's eleven middlewares cost each request a call chain of their own.
 */
function headersOf(middleware: RequestHandler): [string, string][] {
  const headers: [string, string][] = [];
  let called = false;
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, value]),
    removeHeader: () => undefined,
  };
  void middleware({} as never, recorder as never, (err?: unknown) => {
    if (err) throw err as Error;
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously: its headers cannot be read once');
  return headers;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. Without a token configured it is open in development and
 * test, and closed in production: process metrics tell an attacker more than they should.
 */
export function metricsGuard(config: Config): RequestHandler {
  const token = config.api.metricsToken;
  return (req, res, next) => {
    if (!token) {
      if (config.env !== 'production') return next();
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError('/metrics is closed in production until METRICS_TOKEN is set');
    }
    const [scheme, credential] = (req.get('authorization') ?? '').split(' ');
    // Compare digests: equal length, constant time, whatever was sent.
    if (scheme?.toLowerCase() !== 'bearer' || !credential || !timingSafeEqual(digest(credential), digest(token))) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError('Send "Authorization: Bearer <METRICS_TOKEN>"');
    }
    next();
  };
}
