/**
 * An HTTP load generator on a thread of its own: keep-alive HTTP/1.1 (`node:http`) from a worker thread, so the API's
 * event loop does the server's work and only that, as it would with its callers on other hosts. In the API's process
 * and thread, Node's `fetch` (undici, in JavaScript) cost ~1.2-1.7 ms of that thread per request on top of the
 * server's own ~2 ms (bench/README in docs/benchmarks.md, phase 1) — a cost of the measuring, not of the API.
 *
 * The worker is plain JavaScript evaluated from a string: it needs no TypeScript loader in the thread.
 */
import { Worker } from 'node:worker_threads';

export interface HttpLoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpLoadResponse {
  status: number;
  body: string;
}

export interface HttpLoadResult {
  /** From the first request sent to the last response read, measured in the worker. */
  elapsedMs: number;
  /** Per request, in the order of `requests`. */
  latenciesMs: number[];
  responses: HttpLoadResponse[];
}

const WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { baseUrl, requests, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const send = (r) =>
  new Promise((resolve, reject) => {
    const req = http.request(new URL(r.path, baseUrl), { method: r.method, headers: r.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
(async () => {
  const responses = new Array(requests.length);
  const latenciesMs = new Array(requests.length);
  let next = 0;
  const began = performance.now();
  const lane = async () => {
    while (next < requests.length) {
      const i = next++;
      const t = performance.now();
      responses[i] = await send(requests[i]);
      latenciesMs[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, lane));
  const elapsedMs = performance.now() - began;
  agent.destroy();
  parentPort.postMessage({ elapsedMs, latenciesMs, responses });
})().catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

/** Sends `requests` to `baseUrl` with at most `concurrency` in flight, from a worker thread. */
export function runHttpLoad(
  baseUrl: string,
  requests: HttpLoadRequest[],
  concurrency: number,
): Promise<HttpLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { baseUrl, requests, concurrency } });
    worker.once('message', (message: HttpLoadResult | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(`load generator: ${message.error}`));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}
