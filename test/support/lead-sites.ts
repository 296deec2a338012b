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
  stop(): Promise<void>;
}

/** `slowFrom`: businesses from this index on answer after `slowMs` (a batch that is still running when cancelled). */
export async function startLeadSites(options: { slowFrom?: number; slowMs?: number } = {}): Promise<LeadSites> {
  const { slowFrom = Infinity, slowMs = 1_500 } = options;
  const hits = new Map<number, number>();
  const server = createServer(async (req, res) => {
    const match = /^\/b\/(\d+)\/(contact)?$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const i = Number(match[1]);
    hits.set(i, (hits.get(i) ?? 0) + 1);
    const b = businessOf(i);
    if (i >= slowFrom) await new Promise((resolve) => setTimeout(resolve, slowMs));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(match[2] ? contact(b) : home(b));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (i) => `${origin}/b/${i}/`,
    allowedHost: origin.slice('http://'.length),
    hits,
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
  stop(): Promise<void>;
}

export async function startCrmReceiver(): Promise<CrmReceiver> {
  const receiver = { received: [] as ReceivedCallback[], failWith: null as number | null };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(receiver.failWith ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(receiver, {
    url: `${origin}/crm/leads`,
    allowedHost: origin.slice('http://'.length),
    stop: () => close(server),
  });
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
