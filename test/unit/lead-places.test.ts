/**
 * The Places client and `lookupLeadPlace` against a local server speaking Google's Places API (New) Text Search
 * (test/fakes/places-server.ts): the request the client sends, a match, no match, no key, and each error reply
 * mapped to its failure type.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createPlacesActivities,
  createPlacesClient,
  placesClientFromConfig,
  PLACES_FIELD_MASK,
  type LookupLeadPlaceInput,
  type LookupLeadPlaceResult,
  type PlacesClient,
} from '../../activities/leads';
import { loadConfig } from '../../lib/config';
import { startFakePlacesServer, type FakePlacesServer } from '../fakes/places-server';
import { PLACES_FIXTURE, ROSSI_MILANO } from '../fixtures/leads/places';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;

let fake: FakePlacesServer;
beforeAll(async () => {
  fake = await startFakePlacesServer({ places: PLACES_FIXTURE });
});
afterAll(() => fake?.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const client = (over: { apiKey?: string; timeoutMs?: number } = {}) =>
  createPlacesClient({ apiKey: fake.apiKey, baseUrl: fake.url, timeoutMs: 2_000, ...over });

const lookup = (input: Partial<LookupLeadPlaceInput>, placesClient: PlacesClient | null = client()) =>
  new MockActivityEnvironment(undefined, { logger: quiet }).run(
    createPlacesActivities({ client: placesClient }).lookupLeadPlace,
    { companyName: null, website: null, domain: null, city: null, country: null, ...input },
  ) as Promise<LookupLeadPlaceResult>;

async function failureOf(promise: Promise<unknown>) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { type?: string; nonRetryable?: boolean; message?: string } | undefined;
  return { type: err?.type, retryable: err ? !err.nonRetryable : undefined, message: err?.message };
}

describe('Places client', () => {
  it('posts the query with the key, the field mask and the search options', async () => {
    const places = await client().searchText('Rossi Impianti, Milano', { languageCode: 'it', regionCode: 'IT' });
    expect(places.map((p) => p.id)).toEqual([ROSSI_MILANO.id, 'ChIJrossiElettricoMilano02']);
    // The fake returns only the masked fields: every field the mapper reads came back.
    expect(places[0]).toEqual(ROSSI_MILANO);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/places:searchText' });
    expect(request.headers['x-goog-api-key']).toBe(fake.apiKey);
    expect(request.headers['x-goog-fieldmask']).toBe(PLACES_FIELD_MASK);
    expect(PLACES_FIELD_MASK.split(',')).toEqual(
      expect.arrayContaining(['places.id', 'places.displayName', 'places.internationalPhoneNumber']),
    );
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      textQuery: 'Rossi Impianti, Milano',
      languageCode: 'it',
      regionCode: 'IT',
      pageSize: 5,
    });
  });

  it('answers an empty list when Google finds nothing (a reply without `places`)', async () => {
    expect(await client().searchText('Nessuno Qui')).toEqual([]);
  });

  it('a wrong key (400 API_KEY_INVALID) is ProviderAuth, not retried, and names the setting', async () => {
    const result = await failureOf(client({ apiKey: 'wrong-key' }).searchText('Rossi'));
    expect(result).toMatchObject({ type: 'ProviderAuth', retryable: false });
    expect(result.message).toMatch(/API key not valid.*API_KEY_INVALID.*PLACES_API_KEY/);
  });

  it('403 PERMISSION_DENIED (the API not enabled for the key) is ProviderAuth, not retried', async () => {
    fake.fail(403);
    const result = await failureOf(client().searchText('Rossi'));
    expect(result).toMatchObject({ type: 'ProviderAuth', retryable: false });
    expect(result.message).toMatch(/HTTP 403 Places API \(New\) has not been used.*PERMISSION_DENIED/);
  });

  it('429 RESOURCE_EXHAUSTED is RateLimited and 5xx ProviderUnavailable, both retried', async () => {
    fake.fail(429);
    expect(await failureOf(client().searchText('Rossi'))).toMatchObject({ type: 'RateLimited', retryable: true });
    fake.fail(500);
    expect(await failureOf(client().searchText('Rossi'))).toMatchObject({
      type: 'ProviderUnavailable',
      retryable: true,
    });
  });

  it('a request Google refuses for its content (400 INVALID_ARGUMENT) is InvalidInput, not retried', async () => {
    fake.fail(400, { message: 'Invalid region_code: XX.' });
    expect(await failureOf(client().searchText('Rossi'))).toMatchObject({ type: 'InvalidInput', retryable: false });
  });

  it('gives up after its timeout as ProviderUnavailable', async () => {
    fake.hang();
    const result = await failureOf(client({ timeoutMs: 200 }).searchText('Rossi'));
    expect(result).toMatchObject({ type: 'ProviderUnavailable', retryable: true });
    expect(result.message).toMatch(/no reply within 200 ms/);
  });

  it('is built from the configuration only when a key is set', () => {
    expect(loadConfig({}).places).toEqual({
      enabled: false,
      apiKey: undefined,
      baseUrl: 'https://places.googleapis.com',
      timeoutMs: 10_000,
    });
    expect(placesClientFromConfig(loadConfig({}))).toBeNull();
    expect(placesClientFromConfig(loadConfig({ PLACES_API_KEY: '  ' }))).toBeNull();
    const configured = loadConfig({ PLACES_API_KEY: 'k', PLACES_BASE_URL: `${fake.url}/`, PLACES_TIMEOUT_MS: '500' });
    expect(configured.places).toEqual({ enabled: true, apiKey: 'k', baseUrl: fake.url, timeoutMs: 500 });
    expect(placesClientFromConfig(configured)).not.toBeNull();
  });
});

describe('the fake speaks Google (so the client is tested against the documented behaviour)', () => {
  it('refuses a request without a field mask, as Google does', async () => {
    const res = await fetch(`${fake.url}/v1/places:searchText`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': fake.apiKey },
      body: JSON.stringify({ textQuery: 'Rossi' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(/^FieldMask is a required/) },
    });
  });

  it('returns only the fields the mask names', async () => {
    const res = await fetch(`${fake.url}/v1/places:searchText`, {
      method: 'POST',
      headers: { 'x-goog-api-key': fake.apiKey, 'x-goog-fieldmask': 'places.id,places.displayName' },
      body: JSON.stringify({ textQuery: 'Atelier Lumière Lyon', pageSize: 1 }),
    });
    expect(await res.json()).toEqual({
      places: [{ id: 'ChIJatelierLumiereLyon03', displayName: { text: 'Atelier Lumière', languageCode: 'fr' } }],
    });
  });
});

describe('lookupLeadPlace', () => {
  it('matches the lead own business and returns the fields it gives', async () => {
    const result = await lookup({
      companyName: 'Rossi Impianti S.r.l.',
      website: 'https://rossi-impianti.it',
      domain: 'rossi-impianti.it',
      city: 'Milano',
      country: 'Italia',
      language: 'it-IT',
    });
    expect(result).toEqual({
      status: 'matched',
      placeId: ROSSI_MILANO.id,
      fields: {
        companyName: 'Idraulica Rossi Impianti',
        website: 'https://www.rossi-impianti.it/',
        domain: 'rossi-impianti.it',
        address: 'Via Giuseppe Verdi, 12, 20121 Milano MI, Italia',
        city: 'Milano',
        country: 'IT',
        category: 'Idraulico',
        phones: ['+390212345678'],
      },
      mapsUrl: 'https://maps.google.com/?cid=1234567890123456789',
      rating: 4.7,
      ratingCount: 132,
      businessStatus: 'OPERATIONAL',
    });
    // The lead's language and country shape the search; the field mask went with it.
    expect(fake.requests[0].body).toEqual({
      textQuery: 'Rossi Impianti S.r.l., Milano',
      languageCode: 'it',
      regionCode: 'IT',
      pageSize: 5,
    });
    expect(fake.requests[0].headers['x-goog-fieldmask']).toBe(PLACES_FIELD_MASK);
  });

  it('finds a lead with no website by its name in its city', async () => {
    const result = await lookup({ companyName: 'Atelier Lumière', city: 'Lyon', country: 'FR' });
    expect(result).toMatchObject({
      status: 'matched',
      placeId: 'ChIJatelierLumiereLyon03',
      fields: { address: '14 Rue Mercière, 69002 Lyon, France', phones: ['+33472000000'], category: 'Bakery' },
    });
  });

  it('answers no-match when the only candidates are on other websites', async () => {
    const result = await lookup({ companyName: 'Rossi Impianti', domain: 'rossi-idraulica.it', city: 'Milano' });
    expect(result).toEqual({
      status: 'no-match',
      candidates: 2,
      reason: 'its website is rossi-impianti.it, not rossi-idraulica.it',
    });
  });

  it('answers no-match without asking Google when the lead has nothing to search for', async () => {
    expect(await lookup({ city: 'Milano' })).toEqual({
      status: 'no-match',
      candidates: 0,
      reason: 'the lead has neither a name nor a website',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('answers not-configured without a client', async () => {
    expect(await lookup({ companyName: 'Rossi Impianti' }, null)).toEqual({ status: 'not-configured' });
    expect(fake.requests).toHaveLength(0);
  });

  it('lets a bad key fail the activity for good and a rate limit be retried', async () => {
    expect(await failureOf(lookup({ companyName: 'Rossi' }, client({ apiKey: 'revoked' })))).toMatchObject({
      type: 'ProviderAuth',
      retryable: false,
    });
    fake.fail(429);
    expect(await failureOf(lookup({ companyName: 'Rossi' }))).toMatchObject({ type: 'RateLimited', retryable: true });
  });
});
