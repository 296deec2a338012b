/**
 * Server-sent events fed by polling Temporal: the stream sends a value whenever it changes,
 * a comment every 15 s to keep proxies from closing it, and stops when the client leaves.
 */
import type { Request, Response } from 'express';

export interface SseOptions<T> {
  event: string;
  intervalMs: number;
  load: () => Promise<T>;
  /** When true after a send, the stream sends `end` and closes. */
  isFinal?: (value: T) => boolean;
  onError?: (err: unknown) => void;
}

export function streamChanges<T>(req: Request, res: Response, options: SseOptions<T>): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');

  let last = '';
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = Date.now();
  const close = () => {
    closed = true;
    if (timer) clearTimeout(timer);
  };
  req.on('close', close);

  const tick = async () => {
    if (closed) return;
    try {
      const value = await options.load();
      const data = JSON.stringify(value);
      if (data !== last && !closed) {
        last = data;
        res.write(`event: ${options.event}\ndata: ${data}\n\n`);
        lastWrite = Date.now();
      }
      if (options.isFinal?.(value)) {
        res.write('event: end\ndata: {}\n\n');
        res.end();
        close();
        return;
      }
    } catch (err) {
      options.onError?.(err);
      res.write(`event: error\ndata: ${JSON.stringify({ message: err instanceof Error ? err.message : 'error' })}\n\n`);
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
