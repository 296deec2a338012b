/**
 * Google Places API (New), Text Search (https://developers.google.com/maps/documentation/places/web-service/text-search):
 *
 *   POST {base}/v1/places:searchText
 *     headers: X-Goog-Api-Key: <key>, X-Goog-FieldMask: places.id,places.displayName,… (required: no default list)
 *     body:    { textQuery, languageCode?, regionCode? (CLDR two letters), pageSize? (1–20) }
 *     200 { places?: Place[] } (no `places` when nothing matched)
 *
 * Errors are `{ error: { code, message, status, details?: [{ '@type': '…ErrorInfo', reason }] } }`. Through the
 * shared platform HTTP client (activities/publish/http.ts) they become the house failures:
 *
 * - 400 with reason API_KEY_INVALID, and 403 PERMISSION_DENIED (no key, the API not enabled for the key's project,
 *   a key restricted to other APIs) → `ProviderAuth`, non-retryable, naming PLACES_API_KEY;
 * - other 400 INVALID_ARGUMENT → `InvalidInput`, non-retryable;
 * - 429 RESOURCE_EXHAUSTED → `RateLimited`, retryable; 5xx, timeouts, network errors → `ProviderUnavailable`.
 */
import { createHttpClient, parseJson, unexpectedReply, type ErrorReader } from '../publish/http';
import type { Config } from '../../lib/config';
import { failure } from '../../lib/failures';
import { PLACE_FIELDS, type GooglePlace } from '../../lib/leads/places';

export const PLACES_BASE_URL = 'https://places.googleapis.com';
/** Every field the mapper reads, under the response's `places`. Billing follows the fields asked for. */
export const PLACES_FIELD_MASK = PLACE_FIELDS.map((f) => `places.${f}`).join(',');
const MAX_PAGE_SIZE = 20;

export interface PlacesSearchOptions {
  /** BCP 47 language of the names and addresses returned (it, en-GB). */
  languageCode?: string;
  /** CLDR region code (ISO 3166 alpha-2) that biases the results and formats addresses. */
  regionCode?: string;
  /** Candidates wanted, 1–20; default 5. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface PlacesClient {
  searchText(query: string, options?: PlacesSearchOptions): Promise<GooglePlace[]>;
}

export interface PlacesClientOptions {
  apiKey: string;
  /** https://places.googleapis.com; a local server in tests. */
  baseUrl?: string;
  /** Per request, in milliseconds; default 10 s. */
  timeoutMs?: number;
}

interface GoogleRpcError {
  error?: { code?: number; message?: string; status?: string; details?: { reason?: string }[] };
}

export const readPlacesError: ErrorReader = (status, body) => {
  const error = (parseJson(body) as GoogleRpcError | undefined)?.error;
  if (!error?.message) return { message: body.slice(0, 300) };
  const reasons = (error.details ?? []).map((d) => d.reason).filter(Boolean);
  const label = [error.status, ...reasons].filter(Boolean).join(', ');
  const message = `${error.message}${label ? ` (${label})` : ''}`;
  if (reasons.includes('API_KEY_INVALID') || status === 401 || status === 403)
    return {
      message: `${message}; check PLACES_API_KEY and that the Places API (New) is enabled for it`,
      kind: 'auth',
    };
  return { message };
};

export function createPlacesClient(options: PlacesClientOptions): PlacesClient {
  if (!options.apiKey) throw new Error('The Places client needs an API key (PLACES_API_KEY)');
  const url = `${(options.baseUrl ?? PLACES_BASE_URL).replace(/\/+$/, '')}/v1/places:searchText`;
  const http = createHttpClient({
    provider: 'Google Places',
    timeoutMs: options.timeoutMs ?? 10_000,
    readError: readPlacesError,
    headers: { 'x-goog-api-key': options.apiKey, 'x-goog-fieldmask': PLACES_FIELD_MASK },
  });

  return {
    async searchText(query, opts = {}) {
      const textQuery = query.trim();
      if (!textQuery) throw failure('InvalidInput', 'Google Places: the search needs a query');
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(opts.pageSize ?? 5)));
      const res = await http(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          textQuery,
          ...(opts.languageCode ? { languageCode: opts.languageCode } : {}),
          ...(opts.regionCode ? { regionCode: opts.regionCode } : {}),
          pageSize,
        }),
        signal: opts.signal,
      });
      const body = res.json<{ places?: unknown }>();
      if (body === null || typeof body !== 'object') throw unexpectedReply('Google Places', 'not an object');
      const places = body.places ?? [];
      if (!Array.isArray(places)) throw unexpectedReply('Google Places', '`places` is not a list');
      // A place without an id cannot be recorded or linked; Google always sends one when the mask asks for it.
      return places.filter(
        (p): p is GooglePlace => typeof p === 'object' && p !== null && typeof (p as GooglePlace).id === 'string',
      );
    },
  };
}

/** The client when a key is configured, else null (the lookup then answers `not-configured`). */
export function placesClientFromConfig(config: Pick<Config, 'places'>): PlacesClient | null {
  const { apiKey, baseUrl, timeoutMs } = config.places;
  return apiKey ? createPlacesClient({ apiKey, baseUrl, timeoutMs }) : null;
}
