/**
 * What every platform client shares: `fetch` with a per-request timeout tied to the activity's cancellation, bearer
 * tokens (refreshed once on a 401 when the token source can), and the mapping of platform failures to the house error
 * taxonomy (the style of `toProviderFailure` in activities/llm/provider-failure.ts):
 *
 * - 401/403 → `ProviderAuth`, non-retryable; a platform's quota reply → `QuotaExhausted`, non-retryable;
 * - 400/413/415/422 and other 4xx → `InvalidInput`, non-retryable, with the platform's own message;
 * - 404 → `NotFound`, non-retryable (a deleted video, a wrong page or account id);
 * - 429 → `RateLimited`, retryable after the platform's Retry-After (or its own reset header);
 * - 408/409, 5xx, timeouts and network errors → `ProviderUnavailable`, retryable.
 *
 * Each client describes its platform's error body (Google's `error.errors[].reason`, Meta's `error.code`, TikTok's
 * `error.code`…) so a 400 that means "bad token" or "slow down" is classified by what it says, not by its status.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type ApplicationFailure } from '@temporalio/common';
import { type FailureType, failure } from '../../lib/failures';

/** How a platform's reply reads, when the status alone says too little. */
export type FailureKind = 'auth' | 'quota' | 'rate' | 'invalid' | 'rejected' | 'notfound' | 'unavailable';

export interface PlatformError {
  /** The platform's own message (what its error body says). */
  message: string;
  kind?: FailureKind;
  retryAfterMs?: number;
}

/** Reads a platform's error body; undefined fields fall back to the status and the raw text. */
export type ErrorReader = (status: number, body: string, headers: Headers) => Partial<PlatformError>;

/** A bearer token, from the configuration or refreshed from an OAuth refresh token. */
export interface TokenSource {
  token(signal?: AbortSignal): Promise<string>;
  /** Forgets a token the platform refused; true when the next `token()` fetches a new one. */
  invalidate(): boolean;
}

export function staticToken(token: string): TokenSource {
  return { token: async () => token, invalidate: () => false };
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | FormData;
  /** Statuses answered to the caller instead of thrown (2xx always are). */
  accept?: number[];
  /** Overrides the client's timeout (uploads take longer than API calls). */
  timeoutMs?: number;
  /** False for pre-signed upload URLs that must not carry the token. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  /** Name in error messages, e.g. "YouTube". */
  provider: string;
  timeoutMs: number;
  auth?: TokenSource;
  readError?: ErrorReader;
  /** Headers every request carries (LinkedIn-Version…). */
  headers?: Record<string, string>;
}

export type HttpClient = (url: string, options?: RequestOptions) => Promise<HttpResponse>;

const MAX_MESSAGE = 500;

/** Retry-After as seconds or an HTTP date, in ms. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The failure for a platform's error reply. */
export function platformFailure(provider: string, status: number, error: PlatformError): ApplicationFailure {
  const text = error.message.trim().slice(0, MAX_MESSAGE) || 'no details';
  const message = `${provider}: HTTP ${status} ${text}`;
  const fail = (type: FailureType, nextRetryDelay?: number) =>
    failure(type, message, { nextRetryDelay, details: [{ status }] });
  const kind = error.kind ?? kindOfStatus(status);
  switch (kind) {
    case 'auth':
      return fail('ProviderAuth');
    case 'quota':
      return fail('QuotaExhausted');
    case 'rate':
      return fail('RateLimited', error.retryAfterMs);
    case 'invalid':
      return fail('InvalidInput');
    case 'rejected':
      return fail('ContentRejected');
    case 'notfound':
      return fail('NotFound');
    case 'unavailable':
      return fail('ProviderUnavailable', error.retryAfterMs);
  }
}

function kindOfStatus(status: number): FailureKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate';
  if (status === 404 || status === 410) return 'notfound';
  if (status === 408 || status === 409 || status >= 500) return 'unavailable';
  return 'invalid';
}

/** A failure the platform's reply could not explain (a missing id, an unknown state): worth another attempt. */
export function unexpectedReply(provider: string, what: string): ApplicationFailure {
  return failure('ProviderUnavailable', `${provider}: unexpected reply: ${what}`);
}

/** The cancellation itself when the activity was cancelled, so it is not retried as a provider error. */
export function rethrowIfCancelled(err: unknown, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : err;
}

function networkFailure(provider: string, err: unknown, timeoutMs: number): ApplicationFailure {
  if ((err as { name?: string } | null)?.name === 'TimeoutError') {
    return failure('ProviderUnavailable', `${provider}: no reply within ${timeoutMs} ms`);
  }
  let detail = err instanceof Error ? err.message : String(err);
  let cause: unknown = (err as { cause?: unknown } | null)?.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    detail = cause.message || detail;
    cause = (cause as { cause?: unknown }).cause;
  }
  return failure('ProviderUnavailable', `${provider}: network error (${detail})`, {
    cause: err instanceof Error ? err : undefined,
  });
}

/** `fetch` for one platform: timeouts, the token, and failures already in the house taxonomy. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { provider } = options;

  async function once(url: string, opts: RequestOptions): Promise<Response> {
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs;
    const headers: Record<string, string> = { ...options.headers, ...opts.headers };
    if (options.auth && opts.auth !== false) headers.authorization = `Bearer ${await options.auth.token(opts.signal)}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(url, {
        method: opts.method ?? 'GET',
        headers,
        body: opts.body as BodyInit | undefined,
        signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
        redirect: 'manual',
      });
    } catch (err) {
      rethrowIfCancelled(err, opts.signal);
      throw networkFailure(provider, err, timeoutMs);
    }
  }

  return async (url, opts = {}) => {
    let res = await once(url, opts);
    if (res.status === 401 && opts.auth !== false && options.auth?.invalidate()) {
      await res.body?.cancel();
      res = await once(url, opts);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      rethrowIfCancelled(err, opts.signal);
      throw networkFailure(provider, err, opts.timeoutMs ?? options.timeoutMs);
    }
    const accepted = (res.status >= 200 && res.status < 300) || (opts.accept ?? []).includes(res.status);
    if (!accepted) {
      const read = options.readError?.(res.status, text, res.headers) ?? {};
      throw platformFailure(provider, res.status, {
        message: read.message ?? (text || res.statusText),
        kind: read.kind,
        retryAfterMs: read.retryAfterMs ?? retryAfterMs(res.headers),
      });
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      json<T>(): T {
        try {
          return JSON.parse(text) as T;
        } catch {
          throw unexpectedReply(provider, `not JSON (${text.slice(0, 120)})`);
        }
      },
    };
  };
}

/** A Blob of bytes for a multipart body (Node's Buffers are backed by a plain ArrayBuffer, never a shared one). */
export function blobOf(data: Uint8Array, type: string): Blob {
  return new Blob([data as Uint8Array<ArrayBuffer>], { type });
}

/** Parses a JSON error body leniently. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Waits, or throws the cancellation when the activity is cancelled meanwhile. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (err) {
    rethrowIfCancelled(err, signal);
    throw err;
  }
}

/**
 * An OAuth 2 access token refreshed from a refresh token (RFC 6749 §6), cached until a minute before it expires.
 * Used for Google, whose access tokens last an hour and whose refresh tokens do not rotate.
 */
export function refreshingToken(opts: {
  provider: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
}): TokenSource {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const http = createHttpClient({
    provider: `${opts.provider} OAuth`,
    timeoutMs: opts.timeoutMs,
    readError: (status, body) => {
      const error = parseJson(body) as { error?: string; error_description?: string } | undefined;
      // invalid_grant: the refresh token was revoked or expired; invalid_client: wrong id or secret.
      const auth = error?.error === 'invalid_grant' || error?.error === 'invalid_client';
      return {
        message: [error?.error, error?.error_description].filter(Boolean).join(': ') || body,
        kind: auth ? 'auth' : undefined,
      };
    },
  });

  async function refresh(signal?: AbortSignal): Promise<string> {
    const res = await http(opts.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: opts.refreshToken,
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
      }).toString(),
      signal,
    });
    const body = res.json<{ access_token?: string; expires_in?: number }>();
    if (!body.access_token) throw unexpectedReply(`${opts.provider} OAuth`, 'no access_token');
    cached = { token: body.access_token, expiresAt: Date.now() + ((body.expires_in ?? 3600) - 60) * 1000 };
    return body.access_token;
  }

  return {
    async token(signal) {
      if (cached && cached.expiresAt > Date.now()) return cached.token;
      pending ??= refresh(signal).finally(() => (pending = undefined));
      return pending;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}
