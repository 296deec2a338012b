/**
 * Server-sent events fed by polling Temporal: the stream sends a value whenever it changes,
 * a comment every 15 s to keep proxies from closing it, and stops when the client leaves.
 *
 * Every tick first re-checks the caller's credential (a revoked key or a logged-out session ends the stream with an
 * `unauthorized` event), and a failed load sends a generic message with an error id, never the internal message.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { TooManyRequestsError } from '../lib/errors';

export interface SseOptions<T> {
  event: string;
  intervalMs: number;
  load: () => Promise<T>;
  /** Re-checks the credential the stream was opened with; false ends the stream. */
  authorize: () => Promise<boolean>;
  /** When true after a send, the stream sends `end` and closes. */
  isFinal?: (value: T) => boolean;
  /** Logs the failure under its id (the client sees only the id). */
  onError?: (err: unknown, errorId: string) => void;
}

/** Open streams per principal, in this process: each one polls Temporal, so one caller cannot open hundreds. */
export function createStreamRegistry(maxPerPrincipal: number) {
  const open = new Map<string, number>();
  return {
    /** Reserves a slot or throws 429; the slot is released when the request closes. */
    acquire(req: Request, res: Response, principalKey: string): void {
      const count = open.get(principalKey) ?? 0;
      if (count >= maxPerPrincipal) {
        res.set('Retry-After', '5');
        throw new TooManyRequestsError(
          `At most ${maxPerPrincipal} event streams may be open at once; close one (another tab?) first`,
          { extra: { retryAfterSeconds: 5, limit: maxPerPrincipal } },
        );
      }
      open.set(principalKey, count + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (open.get(principalKey) ?? 1) - 1;
        if (left > 0) open.set(principalKey, left);
        else open.delete(principalKey);
      };
      req.on('close', release);
      res.on('close', release);
    },
    count: (principalKey: string) => open.get(principalKey) ?? 0,
  };
}

export type StreamRegistry = ReturnType<typeof createStreamRegistry>;

function openStream(res: Response): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
}

const failureEvent = (errorId: string) =>
  `event: error\ndata: ${JSON.stringify({ message: 'Could not read the latest state; retrying', errorId })}\n\n`;

export interface WatchedSseOptions<T> {
  event: string;
  /** Joins the one poll loop of what is watched (api/services/run-watch.ts); returns the way out. */
  subscribe: (listener: (event: { value: T } | { error: unknown }) => void) => () => void;
  authorize: () => Promise<boolean>;
  isFinal?: (value: T) => boolean;
  onError?: (err: unknown, errorId: string) => void;
}

/**
 * The same stream as `streamChanges`, fed by a shared poll loop instead of its own: a hundred viewers of a run cost one
 * read of it per interval. The credential is still re-checked before each value this viewer is sent.
 */
export function streamWatched<T>(req: Request, res: Response, options: WatchedSseOptions<T>): void {
  openStream(res);
  let last = '';
  let closed = false;
  let queue: Promise<void> = Promise.resolve();
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  let unsubscribe = () => {};
  const close = () => {
    closed = true;
    clearInterval(keepAlive);
    unsubscribe();
  };
  const finish = (event: string, data: unknown) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.end();
    close();
  };
  const deliver = async (event: { value: T } | { error: unknown }) => {
    if (closed) return;
    if (!(await options.authorize())) {
      if (!closed) finish('unauthorized', { message: 'The session ended or the API key was revoked' });
      return;
    }
    if (closed) return;
    if ('error' in event) {
      const errorId = randomUUID();
      options.onError?.(event.error, errorId);
      res.write(failureEvent(errorId));
      return;
    }
    const data = JSON.stringify(event.value);
    if (data !== last) {
      last = data;
      res.write(`event: ${options.event}\ndata: ${data}\n\n`);
    }
    if (options.isFinal?.(event.value)) finish('end', {});
  };
  req.on('close', close);
  // One value at a time, in order, for this viewer (an authorisation check may be slower than the next tick).
  unsubscribe = options.subscribe((event) => {
    queue = queue.then(() => deliver(event)).catch((err: unknown) => options.onError?.(err, randomUUID()));
  });
  if (closed) unsubscribe();
}

export function streamChanges<T>(req: Request, res: Response, options: SseOptions<T>): void {
  openStream(res);

  let last = '';
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = Date.now();
  const close = () => {
    closed = true;
    if (timer) clearTimeout(timer);
  };
  req.on('close', close);
  const finish = (event: string, data: unknown) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.end();
    close();
  };

  const tick = async () => {
    if (closed) return;
    try {
      if (!(await options.authorize())) {
        if (!closed) finish('unauthorized', { message: 'The session ended or the API key was revoked' });
        return;
      }
      const value = await options.load();
      if (closed) return;
      const data = JSON.stringify(value);
      if (data !== last) {
        last = data;
        res.write(`event: ${options.event}\ndata: ${data}\n\n`);
        lastWrite = Date.now();
      }
      if (options.isFinal?.(value)) {
        finish('end', {});
        return;
      }
    } catch (err) {
      const errorId = randomUUID();
      options.onError?.(err, errorId);
      if (closed) return;
      res.write(failureEvent(errorId));
      lastWrite = Date.now();
    }
    if (Date.now() - lastWrite > 15_000) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    if (!closed) timer = setTimeout(() => void tick(), options.intervalMs);
  };
  void tick();
}
