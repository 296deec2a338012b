/**
 * Many small business sites on one local server, for enrichment batches: business `i` lives under `/b/<i>/` (a home
 * page and a contact page) with its own name, city, email, phone and social profiles, so a batch of leads has
 * something different to find on each. And a CRM receiver that records the callbacks it gets.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const CITIES = ['Lyon', 'Paris', 'Marseille', 'Toulouse', 'Nantes', 'Bordeaux', 'Lille', 'Nice'];
const TRADES = ['bistro', 'bakery', 'photo studio', 'florist', 'hotel', 'wine bar'];

export interface LeadBusiness {
  index: number;
  name: string;
  city: string;
  trade: string;
  email: string;
  /** E.164. */
  phone: string;
  instagram: string;
}

export const businessOf = (i: number): LeadBusiness => {
  const trade = TRADES[i % TRADES.length];
  const slug = `${trade.replace(/\s+/g, '-')}-${i}`;
  return {
    index: i,
    name: `Maison ${trade[0].toUpperCase()}${trade.slice(1)} ${i}`,
    city: CITIES[i % CITIES.length],
    trade,
    email: `bonjour@${slug}.fr`,
    phone: `+3347${String(2000000 + i).padStart(7, '0')}`,
    instagram: `https://www.instagram.com/${slug.replace(/-/g, '')}`,
  };
};

const page = (title: string, body: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

function home(b: LeadBusiness) {
  return page(
    `${b.name} — ${b.trade} in ${b.city}`,
    `<h1>${b.name}</h1>
<p>${b.name} is a family ${b.trade} in ${b.city}, serving the neighbourhood since 1998 with seasonal produce.</p>
<nav><a href="contact">Contact</a></nav>
<footer><a href="${b.instagram}">Instagram</a></footer>`,
  );
}

function contact(b: LeadBusiness) {
  const national = `0${b.phone.slice(3, 4)} ${b.phone.slice(4).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  return page(
    `Contact — ${b.name}`,
    `<h1>Contact</h1>
<p><a href="mailto:${b.email}">${b.email}</a></p>
<p>Phone: <a href="tel:${b.phone}">${national}</a></p>
<address>12 rue de la République, 69002 ${b.city}, France</address>`,
  );
}

export interface LeadSites {
  origin: string;
  url(i: number): string;
  /** `127.0.0.1:<port>`: the crawler's allow-list entry. */
  allowedHost: string;
  /** Pages served per business index. */
  hits: Map<number, number>;
  /** Times each page was served, by path (`/b/<i>/`, `/b/<i>/contact`). */
  pageHits: Map<string, number>;
  stop(): Promise<void>;
}

/**
 * `slowFrom`: businesses from this index on answer after `slowMs` (a batch that is still running when cancelled);
 * `slowHomeOnly`: only their home page is slow.
 */
export async function startLeadSites(
  options: { slowFrom?: number; slowMs?: number; slowHomeOnly?: boolean } = {},
): Promise<LeadSites> {
  const { slowFrom = Infinity, slowMs = 1_500, slowHomeOnly = false } = options;
  const hits = new Map<number, number>();
  const pageHits = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const match = /^\/b\/(\d+)\/(contact)?$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const i = Number(match[1]);
    hits.set(i, (hits.get(i) ?? 0) + 1);
    pageHits.set(req.url!, (pageHits.get(req.url!) ?? 0) + 1);
    const b = businessOf(i);
    if (i >= slowFrom && !(slowHomeOnly && match[2])) await new Promise((resolve) => setTimeout(resolve, slowMs));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(match[2] ? contact(b) : home(b));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (i) => `${origin}/b/${i}/`,
    allowedHost: origin.slice('http://'.length),
    hits,
    pageHits,
    stop: () => close(server),
  };
}

export interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CrmReceiver {
  url: string;
  allowedHost: string;
  received: ReceivedCallback[];
  /** Answers with this status (default 204) while set. */
  failWith: number | null;
  /**
   * Answers to the callbacks received after the first `holdAfter` wait until `release()` (null: none held): a crash
   * test kills the sender while the CRM has its request and has not answered.
   */
  holdAfter: number | null;
  /** Callbacks received whose answer is being held. */
  held: number;
  release(): void;
  stop(): Promise<void>;
}

/** `delayMs`: every answer comes this long after the request (a CRM that takes its time). */
export async function startCrmReceiver(options: { delayMs?: number } = {}): Promise<CrmReceiver> {
  const { delayMs = 0 } = options;
  let open = () => {};
  let released = new Promise<void>((resolve) => (open = resolve));
  const receiver = {
    received: [] as ReceivedCallback[],
    failWith: null as number | null,
    holdAfter: null as number | null,
    held: 0,
    release() {
      receiver.holdAfter = null;
      open();
      released = new Promise<void>((resolve) => (open = resolve));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const ordinal = receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (receiver.holdAfter !== null && ordinal > receiver.holdAfter) {
        receiver.held += 1;
        await released;
        receiver.held -= 1;
      }
      // The sender may have died meanwhile: answering a closed connection is a no-op.
      if (!res.destroyed) res.writeHead(receiver.failWith ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(receiver, {
    url: `${origin}/crm/leads`,
    allowedHost: origin.slice('http://'.length),
    stop: () => {
      receiver.release();
      return close(server);
    },
  });
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
