/**
 * Local web sites on 127.0.0.1 for the web fetcher and the lead crawler: one HTTP server per named site (so each has
 * its own origin, robots.txt and politeness slot), started on free ports. Fetchers reach them only through the
 * allow-list (`farm.allowedHosts`); every request is recorded.
 *
 * | site             | what it does                                                                            |
 * | ---------------- | --------------------------------------------------------------------------------------- |
 * | normal           | home, /about, /contact; no robots.txt (404); /bad-redirect; POST /hook echoes JSON (and  |
 * |                  | /hook/500, /hook/404, /hook/moved)                                                      |
 * | jsOnly           | an empty page whose content /app.js writes                                              |
 * | jsProbe          | a script page that also tries every way out of the lead renderer's interception (fetch, |
 * |                  | WebSocket, WebRTC, beacon, preconnect, image, frame) towards `trapPort` and 169.254…    |
 * | jsRedirect       | a script sends the page to `trapPort`                                                   |
 * | jsSpin           | a script that never returns                                                             |
 * | robotsDisallow   | robots.txt disallows everything but /open for every agent                              |
 * | robotsError      | robots.txt answers 503                                                                  |
 * | slow             | / answers after `slowMs`; /trickle sends a byte then stalls; /drip a byte every 50 ms    |
 * | huge             | / streams `hugeBytes` of HTML; /declared says so in Content-Length; /gzip is a bomb     |
 * | redirectLoop     | / → /a → /b → /a                                                                        |
 * | metadataRedirect | / → http://169.254.169.254/latest/meta-data/                                            |
 * | apiRedirect      | / → http://127.0.0.1:<apiPort>/api/v1/workspaces (the API's own port)                   |
 * | notHtml          | / is a PDF, /logo.png a PNG                                                             |
 * | malformed        | a page of broken HTML                                                                   |
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  JS_ONLY_PAGE,
  JS_ONLY_SCRIPT,
  JS_PROBE_PAGE,
  JS_PROBE_SCRIPT,
  JS_REDIRECT_PAGE,
  JS_SPIN_PAGE,
  MALFORMED_PAGE,
  NORMAL_PAGES,
  PDF_BYTES,
} from './site-farm.pages';

export const SITE_NAMES = [
  'normal',
  'jsOnly',
  'jsProbe',
  'jsRedirect',
  'jsSpin',
  'robotsDisallow',
  'robotsError',
  'slow',
  'huge',
  'redirectLoop',
  'metadataRedirect',
  'apiRedirect',
  'notHtml',
  'malformed',
] as const;

export type SiteName = (typeof SITE_NAMES)[number];

export interface FarmRequest {
  site: SiteName;
  method: string;
  path: string;
  at: number;
  userAgent?: string;
}

export interface SiteFarmOptions {
  /** The port apiRedirect points at (the API's own); 9 (discard) when not given. */
  apiPort?: number;
  /** A loopback port outside the allow-list that the jsProbe and jsRedirect pages aim at; 9 when not given. */
  trapPort?: number;
  slowMs?: number;
  hugeBytes?: number;
}

export interface SiteFarm {
  /** Each site's origin, `http://127.0.0.1:<port>`. */
  origins: Record<SiteName, string>;
  url(site: SiteName, path?: string): string;
  /** `127.0.0.1:<port>` of every site: the fetcher's allow-list for the farm. */
  allowedHosts: string[];
  requests: FarmRequest[];
  requestsTo(site: SiteName, path?: string): FarmRequest[];
  stop(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

const html = (res: ServerResponse, page: string, status = 200) =>
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(page);
const redirect = (res: ServerResponse, location: string, status = 302) => res.writeHead(status, { location }).end();
const notFound = (res: ServerResponse) => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');

function handlers(options: Required<SiteFarmOptions>, origins: Record<SiteName, string>): Record<SiteName, Handler> {
  const bomb = gzipSync(Buffer.alloc(options.hugeBytes, ' '));
  const trap = `http://127.0.0.1:${options.trapPort}`;
  const script = (res: ServerResponse, code: string) =>
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
  return {
    normal: (req, res, body) => {
      if (req.method === 'POST' && req.url === '/hook')
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ received: JSON.parse(body.toString() || 'null') }));
      if (req.url === '/hook/500') return res.writeHead(500, { 'retry-after': '7' }).end('down');
      if (req.url === '/hook/404') return notFound(res);
      if (req.url === '/hook/moved') return redirect(res, '/hook', 307);
      if (req.url === '/bad-redirect') return redirect(res, 'http://[oops/');
      const page = NORMAL_PAGES[req.url ?? ''];
      return page ? html(res, page) : notFound(res);
    },
    jsOnly: (req, res) => {
      if (req.url === '/') return html(res, JS_ONLY_PAGE);
      if (req.url === '/app.js') return script(res, JS_ONLY_SCRIPT);
      return notFound(res);
    },
    jsProbe: (req, res) => {
      if (req.url === '/') return html(res, JS_PROBE_PAGE(trap));
      if (req.url === '/probe.js') return script(res, JS_PROBE_SCRIPT(trap, origins.metadataRedirect));
      if (req.url === '/data.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"phone":"+49 30 7654321"}');
      return notFound(res);
    },
    jsRedirect: (req, res) => (req.url === '/' ? html(res, JS_REDIRECT_PAGE(trap)) : notFound(res)),
    jsSpin: (req, res) => (req.url === '/' ? html(res, JS_SPIN_PAGE) : notFound(res)),
    robotsDisallow: (req, res) => {
      if (req.url === '/robots.txt')
        return res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /open\nDisallow: /\n');
      if (req.method === 'POST') return res.writeHead(204).end();
      // /open links to /contact, which robots.txt closes: a crawler may read the one, not the other.
      return html(res, '<!doctype html><title>Open</title><p>An open page. <a href="/contact">Contact us</a></p>');
    },
    robotsError: (req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(503).end('overloaded');
      return html(res, '<!doctype html><title>Up</title>');
    },
    slow: (req, res) => {
      if (req.url === '/robots.txt') return notFound(res);
      res.writeHead(200, { 'content-type': 'text/html' });
      if (req.url === '/trickle') return void res.write('<!doctype html>'); // then silence
      if (req.url === '/drip') {
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      setTimeout(() => res.end('<!doctype html><title>Finally</title>'), options.slowMs).unref();
    },
    huge: (req, res) => {
      if (req.url === '/robots.txt') return notFound(res);
      if (req.url === '/declared')
        return res.writeHead(200, { 'content-type': 'text/html', 'content-length': options.hugeBytes }).end();
      if (req.url === '/gzip')
        return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, '<p>lorem ipsum</p>\n');
      let sent = 0;
      const pump = () => {
        while (sent < options.hugeBytes && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    },
    redirectLoop: (req, res) => {
      if (req.url === '/robots.txt') return notFound(res);
      return redirect(res, req.url === '/a' ? '/b' : '/a', 301);
    },
    metadataRedirect: (req, res) =>
      req.url === '/robots.txt' ? notFound(res) : redirect(res, 'http://169.254.169.254/latest/meta-data/'),
    apiRedirect: (req, res) =>
      req.url === '/robots.txt'
        ? notFound(res)
        : redirect(res, `http://127.0.0.1:${options.apiPort}/api/v1/workspaces`),
    notHtml: (req, res) => {
      if (req.url === '/') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF_BYTES);
      if (req.url === '/logo.png')
        return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a', 'hex'));
      return notFound(res);
    },
    malformed: (req, res) => (req.url === '/' ? html(res, MALFORMED_PAGE) : notFound(res)),
  };
}

export async function startSiteFarm(options: SiteFarmOptions = {}): Promise<SiteFarm> {
  const settings = { apiPort: 9, trapPort: 9, slowMs: 3_000, hugeBytes: 8 * 1024 * 1024, ...options };
  const requests: FarmRequest[] = [];
  const servers: Server[] = [];
  const origins = {} as Record<SiteName, string>;
  const all = handlers(settings, origins);
  for (const site of SITE_NAMES) {
    const server = createServer((req, res) => {
      requests.push({
        site,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        at: Date.now(),
        userAgent: req.headers['user-agent'],
      });
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => all[site](req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    origins[site] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    origins,
    url: (site, path = '/') => `${origins[site]}${path}`,
    allowedHosts: SITE_NAMES.map((site) => new URL(origins[site]).host),
    requests,
    requestsTo: (site, path) => requests.filter((r) => r.site === site && (path === undefined || r.path === path)),
    async stop() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
