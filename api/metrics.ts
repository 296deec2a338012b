/** Prometheus metrics for the API process. */
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'studioflow_api_' });
  const httpDuration = new client.Histogram({
    name: 'studioflow_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const runsStarted = new client.Counter({
    name: 'studioflow_runs_started_total',
    help: 'Runs started through the API and webhooks, by automation',
    labelNames: ['automation', 'source'],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route pattern keeps label cardinality bounded (no ids).
      const route =
        (req.route as { path?: string } | undefined)?.path ??
        (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other');
      end({
        method: req.method,
        route: `${req.baseUrl}${typeof route === 'string' && route !== req.baseUrl ? route : ''}`,
        status: String(res.statusCode),
      });
    });
    next();
  };

  /** Times a request answered outside Express (the start lane), under the label its Express route would have. */
  const timeRoute = (res: ServerResponse, method: string, route: string) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => end({ method, route, status: String(res.statusCode) }));
  };

  return { registry, middleware, runsStarted, timeRoute };
}

export type Metrics = ReturnType<typeof createMetrics>;
