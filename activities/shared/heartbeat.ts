/**
 * The one heartbeat loop every long activity uses.
 *
 * Why beat on a timer as well as on progress: a cold Chromium, one LLM call or one ffmpeg pass can each outlast the
 * preset's heartbeat timeout without any progress to report, and a cancellation reaches a running activity only in
 * the reply to a heartbeat. So `withHeartbeat` beats at once, then every `intervalMs` with the latest details, and
 * on every `beat()`; the worker sends them at most every 2 s (`maxHeartbeatThrottleInterval`). The timer stops when
 * the work settles, whatever the outcome.
 */
import { Context } from '@temporalio/activity';

/** Often enough for the shortest heartbeat timeout in workflows/activity-options.ts (15 s), cheap enough to ignore. */
export const HEARTBEAT_INTERVAL_MS = 2_000;

export interface Heartbeat<D> {
  /** The details the next beat sends. */
  readonly details: D;
  /** Aborted when Temporal cancels the activity (or the worker shuts down); pass it to whatever can stop early. */
  readonly signal: AbortSignal;
  /** Beats now, with `next` as the details from now on when given. */
  beat(next?: D): void;
  /** Merges `partial` into the details and beats. */
  update(partial: Partial<D>): void;
  /** Throws the cancellation's reason once the activity is cancelled; call it between steps. */
  throwIfCancelled(): void;
}

export interface HeartbeatOptions {
  intervalMs?: number;
}

/**
 * Runs `work` while heartbeating. `details` is the first beat's details, or a function that reads the activity's
 * current state, called for every beat (for work whose progress changes more often than it is worth beating).
 */
export async function withHeartbeat<D, T>(
  details: D | (() => D),
  work: (heartbeat: Heartbeat<D>) => Promise<T>,
  options: HeartbeatOptions = {},
): Promise<T> {
  const context = Context.current();
  const signal = context.cancellationSignal;
  let current: () => D = typeof details === 'function' ? (details as () => D) : () => details;
  const heartbeat: Heartbeat<D> = {
    get details() {
      return current();
    },
    signal,
    beat(next) {
      if (next !== undefined) current = () => next;
      context.heartbeat(current());
    },
    update(partial) {
      heartbeat.beat({ ...current(), ...partial });
    },
    throwIfCancelled() {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Activity cancelled');
    },
  };
  heartbeat.beat();
  const ticker = setInterval(() => heartbeat.beat(), options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
  try {
    return await work(heartbeat);
  } finally {
    clearInterval(ticker);
  }
}
