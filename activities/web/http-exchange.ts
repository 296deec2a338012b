/**
 * One HTTP request to checked addresses (no redirect following): the head first, so the caller can refuse a redirect,
 * a status or a content type before any body is read; then the body, decompressed and capped while it streams.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { type ApplicationFailure } from '@temporalio/common';
import { failure } from '../../lib/failures';
import { pinnedLookup, type ResolvedAddress } from './address-guard';

export interface ExchangeRequest {
  url: URL;
  addresses: readonly ResolvedAddress[];
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  /** No byte in either direction for this long ends the exchange with `FetchTimeout`. */
  idleTimeoutMs: number;
  /** Aborts the exchange; the caller maps its reason (its own total timeout, or a cancellation). */
  signal: AbortSignal;
}

export interface ExchangeHead {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, decoded; beyond `maxBytes` it throws `ResponseTooLarge`, or with `truncate` stops there. */
  readBody(maxBytes: number, options?: { truncate?: boolean }): Promise<Buffer>;
  /** Drops the body unread and closes the connection. */
  discard(): void;
}

export function exchange(request: ExchangeRequest): Promise<ExchangeHead> {
  const { url } = request;
  const client = url.protocol === 'https:' ? https : http;
  let stopped: ApplicationFailure | undefined;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: request.method,
      headers: request.headers,
      lookup: pinnedLookup(request.addresses),
      // One connection per exchange: a pooled socket would outlive the addresses checked for this hop.
      agent: false,
      signal: request.signal,
    });
    req.setTimeout(request.idleTimeoutMs, () => {
      stopped = failure('FetchTimeout', `${url.host} sent nothing for ${request.idleTimeoutMs} ms`);
      req.destroy(stopped);
    });
    req.on('error', (err) => reject(stopped ?? err));
    req.on('response', (res) => {
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        readBody: (maxBytes, options) =>
          readBody(res, maxBytes, options?.truncate ?? false, url).catch((err: Error) => {
            throw stopped ?? err;
          }),
        discard: () => {
          res.resume();
          req.destroy();
        },
      });
    });
    req.end(request.body);
  });
}

function decoderFor(encoding: string | undefined): NodeJS.ReadWriteStream | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

async function readBody(res: IncomingMessage, maxBytes: number, truncate: boolean, url: URL): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (!truncate && Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge(url, maxBytes, `declares ${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  const full = new Error('cap reached');
  // What stopped the reading: pipeline may report the teardown (an AbortError from zlib) instead of it.
  let stop: Error | undefined;
  // The cap counts decoded bytes, so a small compressed bomb stops at the same size as a plain page.
  const collect = async (source: AsyncIterable<Buffer | string>) => {
    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      const room = maxBytes - bytes;
      if (chunk.length > room) {
        stop = truncate ? full : tooLarge(url, maxBytes, 'goes on beyond it');
        chunks.push(chunk.subarray(0, room));
        bytes = maxBytes;
        throw stop;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    }
  };
  const decoder = decoderFor(res.headers['content-encoding']);
  try {
    await (decoder ? pipeline(res, decoder, collect) : pipeline(res, collect));
  } catch (err) {
    if ((stop ?? err) !== full) throw stop ?? err;
  }
  return Buffer.concat(chunks, bytes);
}

function tooLarge(url: URL, maxBytes: number, what: string): ApplicationFailure {
  return failure('ResponseTooLarge', `${url.href} ${what}: more than the ${maxBytes}-byte limit`, {
    details: [{ url: url.href, maxBytes }],
  });
}
