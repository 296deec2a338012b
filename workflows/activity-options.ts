/**
 * Named option presets for activity calls, so timeouts and retries are chosen once per kind
 * of work instead of scattered through workflows. The queue is chosen by `activitiesOn` (activities-on.ts). Errors that retrying cannot fix are
 * non-retryable by type.
 */
import type { Duration } from '@temporalio/common';
import { NON_RETRYABLE_TYPES } from '../lib/failures';
import { ActivityCancellationType, patched, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';

/** `maximumAttempts` Infinity is "no limit" (the SDK leaves the field out; the server then records 0). */
const retry = (
  maximumAttempts: number,
  initialInterval: Duration = '1s',
  maximumInterval: Duration = '1m',
): RetryPolicy => ({
  initialInterval,
  backoffCoefficient: 2,
  maximumInterval,
  maximumAttempts,
  // What retrying cannot fix, by type (lib/failures.ts): Temporal stops at the first such failure.
  nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
});

/** Database reads and small writes. */
export const quick: ActivityOptions = { startToCloseTimeout: '15s', retry: retry(10) };

/**
 * Recording an outcome that has already happened (a calendar entry's publications): the row must not stay as it was
 * because the database was away for longer than `quick` retries (about four minutes), so this retries until it is
 * written. Only what retrying cannot fix (non-retryable types) stops it.
 */
export const untilRecorded: ActivityOptions = {
  startToCloseTimeout: '15s',
  retry: retry(Number.POSITIVE_INFINITY, '1s', '1m'),
};

/**
 * Text generation: slow providers, rate limits; the chain falls back to the offline writer. The activity heartbeats
 * while the model writes (activities/shared/heartbeat.ts), so a cancel or a lost worker is noticed in seconds.
 */
export const llm: ActivityOptions = { startToCloseTimeout: '2m', heartbeatTimeout: '20s', retry: retry(5, '2s') };

/** External side effects: each call carries an idempotency key, so retrying is safe. */
export const publish: ActivityOptions = { startToCloseTimeout: '20s', retry: retry(20, '1s', '30s') };

/** Reading many publications' stats from the platforms (each bounded): heartbeats per publication read. */
export const platformReads: ActivityOptions = {
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: retry(5, '10s', '2m'),
};

/** Sending mail: longer than one SMTP delivery (SMTP_TIMEOUT_MS), retried for minutes. */
export const mail: ActivityOptions = {
  startToCloseTimeout: '2m',
  heartbeatTimeout: '20s',
  retry: retry(10, '5s', '5m'),
};

/**
 * For activities that own a child process (Chromium's page, ffmpeg, espeak-ng, poppler): a cancelled run closes only
 * once the activity has stopped its process, so nothing keeps writing files for a run that has ended. Runs that
 * started before this rule replay without it, as they were recorded.
 */
function waitsForCancellation(options: ActivityOptions): ActivityOptions {
  if (!patched('wait-for-cancelled-activities')) return options;
  return { ...options, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED };
}

/** Puppeteer (the browser queue): heartbeats so a dead worker is noticed in seconds, not minutes. */
export function render(): ActivityOptions {
  return waitsForCancellation({
    startToCloseTimeout: '3m',
    heartbeatTimeout: '15s',
    retry: retry(5, '2s'),
  });
}

/** ffmpeg / TTS (the media queue). */
export function media(): ActivityOptions {
  return waitsForCancellation({
    startToCloseTimeout: '30m',
    heartbeatTimeout: '30s',
    retry: retry(5, '5s'),
  });
}

/** A report PDF on the browser queue: two print passes and text extraction, longer than one post image. */
export function pdf(): ActivityOptions {
  return { ...render(), startToCloseTimeout: '5m', heartbeatTimeout: '20s' };
}

/**
 * Reading a lead's site (activities/web): a few tries for a site that is down or slow; a refusal (robots.txt, a
 * private address, not HTML) is not retried. Heartbeats per page, so a lost worker is noticed in seconds.
 */
export const crawl: ActivityOptions = {
  startToCloseTimeout: '2m',
  heartbeatTimeout: '30s',
  // Four tries: a lost worker uses one up too, and a site down for a moment should still get its chances.
  retry: retry(4, '5s', '30s'),
};

/** Rendering a lead's page in Chromium: once more at most, as a page that timed out once usually will again. */
export function leadPage(): ActivityOptions {
  return { ...render(), retry: retry(2, '2s') };
}

/** A CRM callback: retried with backoff for a few minutes, then the lead's run notes it failed. */
export const callback: ActivityOptions = {
  startToCloseTimeout: '30s',
  // The post heartbeats: a lost worker is noticed in seconds, not at the 30 s timeout.
  heartbeatTimeout: '10s',
  retry: retry(8, '2s', '2m'),
};

/** Uploading a video to a platform: minutes for a large file, heartbeating per chunk. */
export const upload: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: retry(10, '5s', '5m'),
};
