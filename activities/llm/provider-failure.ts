/**
 * How every model call (chat, embeddings, images) reports a failed HTTP/SDK call: the house error taxonomy (STYLE
 * habit 7), with the server's Retry-After honoured, so Temporal retries what is worth retrying and nothing else.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type FailureType, failure } from '../../lib/failures';

const QUOTA_EXHAUSTED =
  /insufficient[_ -]?quota|quota (?:has been )?(?:exhausted|exceeded)|exceeded your (?:current )?quota|billing|out of credits|credit balance/i;
const CONTENT_REJECTED = /content[_ ]?(?:policy|filter|management)|safety system|flagged/i;

interface HttpishError {
  status?: number;
  headers?: Headers | Record<string, string | undefined>;
  code?: string | null;
  error?: { code?: string | null; type?: string; message?: string } | null;
  message?: string;
  retryAfterMs?: number;
}

function header(err: HttpishError, name: string): string | undefined {
  const h = err.headers;
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  return (h as Record<string, string | undefined>)[name];
}

/** Retry-After in ms: `retry-after-ms`, then `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(err: HttpishError): number | undefined {
  const ms = Number(header(err, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = header(err, 'retry-after')?.trim();
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return typeof err.retryAfterMs === 'number' ? err.retryAfterMs : undefined;
}

function cleanMessage(err: unknown): string {
  const message =
    typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
      ? (err as { message: string }).message
      : String(err);
  // LangChain appends a troubleshooting link that adds nothing to a run's history.
  return message.replace(/\s*Troubleshooting URL:.*$/s, '').trim() || 'unknown error';
}

/** The innermost cause of a network failure ("connect ECONNREFUSED 127.0.0.1:80"), which says more than "fetch failed". */
function networkDetail(err: unknown): string {
  let cause: unknown = (err as { cause?: unknown } | null)?.cause;
  let detail: string | undefined;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    detail = cause.message;
    cause = (cause as { cause?: unknown }).cause;
  }
  return detail && detail !== cleanMessage(err) ? ` (${detail})` : '';
}

/** Maps an SDK/HTTP error to the house taxonomy (STYLE habit 7). */
export function toProviderFailure(err: unknown, provider: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const text = cleanMessage(err);
  const statusPrefix = status && !text.startsWith(String(status)) ? `HTTP ${status} ` : '';
  const message = `${provider}: ${statusPrefix}${text}${networkDetail(err)}`;
  const code = `${e.code ?? ''} ${e.error?.code ?? ''} ${e.error?.type ?? ''}`;
  const cause = err instanceof Error ? err : undefined;
  const fail = (type: FailureType, nextRetryDelay?: number) => failure(type, message, { cause, nextRetryDelay });

  const rejected = CONTENT_REJECTED.test(code) || CONTENT_REJECTED.test(message);
  // Some gateways (OpenRouter) answer 403 when moderation flags the prompt: that is about content, not the key.
  if (status === 403 && rejected) return fail('ContentRejected');
  if (status === 401 || status === 403) return fail('ProviderAuth');
  if (status === 402) return fail('QuotaExhausted');
  if (status === 429) {
    if (QUOTA_EXHAUSTED.test(code) || QUOTA_EXHAUSTED.test(message)) return fail('QuotaExhausted');
    return fail('RateLimited', retryAfterMs(e));
  }
  if (status === 400 || status === 422) return fail(rejected ? 'ContentRejected' : 'InvalidInput');
  // 404: a wrong model name or base URL; retrying will not fix configuration.
  if (status === 404) return fail('ProviderMisconfigured');
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409) {
    return fail('InvalidInput');
  }
  // Network errors, timeouts, 408/409 and 5xx are worth another attempt.
  return fail('ProviderUnavailable');
}

/** Throws the cancellation itself when the activity was cancelled mid-call. */
export function rethrowIfCancelled(err: unknown, signal: AbortSignal | undefined): void {
  // A cancelled activity must surface the cancellation itself, not a provider error that Temporal would retry or a
  // fallback chain would hand to the next provider.
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : err;
}
