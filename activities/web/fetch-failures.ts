/** How the fetcher's outcomes read in the failure vocabulary: statuses, network errors and its own deadline. */
import { type IncomingHttpHeaders } from 'node:http';
import { ApplicationFailure } from '@temporalio/common';
import { failure } from '../../lib/failures';
import { retryAfterMs } from '../publish/http';

/** Statuses that say "not now" rather than "no": the site may answer a retry. */
const TRANSIENT = new Set([408, 425, 429]);

/** Undefined for 2xx; otherwise the failure the final answer stands for (429 and 5xx retryable, after Retry-After). */
export function statusFailure(url: URL, status: number, headers: IncomingHttpHeaders): ApplicationFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  const details = [{ url: url.href, status }];
  if (status >= 500 || TRANSIENT.has(status)) {
    const retryAfter = headers['retry-after'];
    const nextRetryDelay = retryAfter ? retryAfterMs(new Headers({ 'retry-after': retryAfter })) : undefined;
    return failure('SiteUnreachable', `${url.href} answered ${status}`, { details, nextRetryDelay });
  }
  return failure('RequestRefused', `${url.href} answered ${status}`, { details });
}

/** A total-time budget that starts with the first request, so a politeness wait does not use it up. */
export interface Deadline {
  signal: AbortSignal;
  start(): void;
  readonly expired: boolean;
  clear(): void;
}

export function createDeadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const clock = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: caller ? AbortSignal.any([caller, clock.signal]) : clock.signal,
    start() {
      timer ??= setTimeout(() => clock.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    },
    get expired() {
      return clock.signal.aborted;
    },
    clear: () => clearTimeout(timer),
  };
}

/**
 * Any error of a fetch as the vocabulary says it: failures pass through, the fetcher's own deadline is `FetchTimeout`,
 * a caller's cancellation stays what it is (so the activity ends as cancelled), the rest is `SiteUnreachable`.
 */
export function asFetchFailure(err: unknown, url: string, deadline: Deadline, caller?: AbortSignal): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (deadline.expired && !caller?.aborted)
    return failure('FetchTimeout', `${url} did not answer in time`, { cause: err as Error });
  // The caller's own reason (Temporal's CancelledFailure in an activity), not the socket's AbortError.
  if (caller?.aborted) return caller.reason ?? err;
  const code = (err as NodeJS.ErrnoException).code;
  return failure('SiteUnreachable', `${url}: ${code ?? (err as Error).message}`, { cause: err as Error });
}
