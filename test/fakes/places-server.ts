/**
 * A local Google Places API (New) Text Search for tests (DESIGN §5: third-party APIs are tested against a local
 * server that speaks their documented shapes).
 *
 *   POST /v1/places:searchText
 *     headers: X-Goog-Api-Key (required), X-Goog-FieldMask (required: `places.<field>,…`, `places` or `*`)
 *     body:    { textQuery (required), languageCode?, regionCode?, pageSize? (0–20, 0 or unset: 20) }
 *     200 { places: Place[] } with only the fields the mask names; `{}` when nothing matched
 *
 * Errors are Google's `{ error: { code, message, status, details? } }`: no key → 403 PERMISSION_DENIED; a wrong key
 * → 400 INVALID_ARGUMENT with an ErrorInfo of reason API_KEY_INVALID; no field mask → 400 INVALID_ARGUMENT
 * ("FieldMask is a required parameter…"); no textQuery or a bad pageSize → 400 INVALID_ARGUMENT.
 *
 * A fixture place matches a query when a word of its name (three letters or more, accents folded) or its website's
 * host is in the query; the more words, the earlier. `fail` scripts error replies (429, 403, 500…), `hang` a reply
 * that never comes. Every request is recorded with its headers and parsed body.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import type { GooglePlace } from '../../lib/leads/places';

export interface RecordedPlacesRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakePlacesServer {
  /** Root to use as PLACES_BASE_URL, e.g. http://127.0.0.1:5555. */
  url: string;
  apiKey: string;
  requests: RecordedPlacesRequest[];
  /** The next `times` searches (default 1) answer `status` with Google's error body for it. */
  fail(status: number, options?: { times?: number; message?: string }): void;
  /** The next search is accepted and never answered (until the server closes). */
  hang(): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  403: 'Places API (New) has not been used in project 123456789 before or it is disabled.',
  429: "Quota exceeded for quota metric 'SearchTextRequest' and limit 'SearchTextRequest per minute'.",
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

function googleError(res: ServerResponse, code: number, message: string, details?: unknown[]): void {
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN', details } }, null, 2));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

const words = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3);

/** How many of the place's name words (or its host) the query holds; 0: not a match. */
function relevance(place: GooglePlace, query: string): number {
  const asked = new Set(words(query));
  const host = place.websiteUri ? new URL(place.websiteUri).hostname.replace(/^www\./, '') : null;
  const byHost = host && query.toLowerCase().includes(host) ? 1 : 0;
  return words(place.displayName?.text ?? '').filter((w) => asked.has(w)).length + byHost;
}

/** The place with only the fields a mask names (`places.displayName` or `places.displayName.text`, `*`). */
function masked(place: GooglePlace, mask: string[]): Partial<GooglePlace> {
  if (mask.includes('*') || mask.includes('places') || mask.includes('places.*')) return place;
  const out: Record<string, unknown> = {};
  for (const path of mask) {
    const field = path.replace(/^places\./, '').split('.')[0];
    if (field in place) out[field] = (place as unknown as Record<string, unknown>)[field];
  }
  return out as Partial<GooglePlace>;
}

export async function startFakePlacesServer(
  options: { apiKey?: string; places?: GooglePlace[] } = {},
): Promise<FakePlacesServer> {
  const apiKey = options.apiKey ?? 'fake-places-key';
  const places = options.places ?? [];
  const requests: RecordedPlacesRequest[] = [];
  const failures: { status: number; message?: string }[] = [];
  let hangNext = false;
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void (async () => {
      let body: any;
      try {
        body = await readJson(req);
      } catch {
        return googleError(res, 400, 'Invalid JSON payload received.');
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/places:searchText')
        return googleError(res, 404, `Method not found: ${req.method} ${req.url}`);

      const key = req.headers['x-goog-api-key'];
      if (!key)
        return googleError(res, 403, 'The request is missing a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_MISSING' },
        ]);
      if (key !== apiKey)
        return googleError(res, 400, 'API key not valid. Please pass a valid API key.', [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'places.googleapis.com' },
          },
        ]);
      const failing = failures.shift();
      if (failing)
        return googleError(res, failing.status, failing.message ?? DEFAULT_MESSAGES[failing.status] ?? 'Error.');
      if (hangNext) {
        hangNext = false;
        hanging.add(res);
        return;
      }
      const maskHeader = req.headers['x-goog-fieldmask'];
      const mask = (Array.isArray(maskHeader) ? maskHeader.join(',') : (maskHeader ?? ''))
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      if (mask.length === 0)
        return googleError(
          res,
          400,
          "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to value 'places.displayName', 'places.id' to ask for the display name and the place id of a place. You can also set the value to '*' in manual testing to get all the available response fields.",
        );
      if (typeof body?.textQuery !== 'string' || !body.textQuery.trim())
        return googleError(res, 400, 'Invalid request: textQuery is required.');
      const pageSize = body.pageSize ?? 0;
      if (!Number.isInteger(pageSize) || pageSize < 0)
        return googleError(res, 400, 'Invalid page_size: must be a non-negative integer.');

      const found = places
        .map((place, index) => ({ place, index, score: relevance(place, body.textQuery) }))
        .filter((p) => p.score > 0)
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, Math.min(pageSize || 20, 20))
        .map((p) => masked(p.place, mask));
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(found.length > 0 ? { places: found } : {}));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    fail(status, opts = {}) {
      for (let i = 0; i < (opts.times ?? 1); i++) failures.push({ status, message: opts.message });
    },
    hang() {
      hangNext = true;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
