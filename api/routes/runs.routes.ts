import { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole, stillAuthenticated } from '../middleware/auth';
import type { Principal } from '../services/account.service';
import type { RunRequestService } from '../services/run-request.service';
import type { RunDetail, RunService } from '../services/run.service';
import { RUN_STATUSES } from '../services/run.service';
import { requestLog } from '../request-log';
import { streamChanges, streamWatched, type StreamRegistry } from '../sse';
import { parse } from '../validation';
import { MAX_CURSOR_LENGTH } from '../../lib/cursor';

export const startRunSchema = z
  .object({
    automation: z.string().min(1).describe('Automation name, e.g. social-post'),
    input: z.unknown().describe("The automation's input; see GET /automations for each schema"),
    requestId: z.string().optional().describe('Idempotency key: the same requestId starts one run'),
  })
  .strict();

export const listRunsQuerySchema = z.object({
  automation: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  status: z.enum(RUN_STATUSES as [string, ...string[]]).optional(),
  brandId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional().describe('nextCursor of the previous page'),
});

export const decisionSchema = z
  .object({
    action: z.enum(['approve', 'edit', 'reject']),
    edits: z.record(z.string(), z.unknown()).optional().describe('Fields of the content to replace (edit only)'),
    comment: z.string().max(1000).optional(),
  })
  .strict();

/** RFC 7240: `Prefer: respond-async` (among other preferences) asks for the inbox instead of a start. */
export const prefersAsync = (prefer: string | undefined) =>
  (prefer ?? '').split(',').some((p) => p.split(';')[0].trim().toLowerCase() === 'respond-async');

/** A run request's id is its requestId. */
const runRequestIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'must be 1–80 letters, digits, ".", "_" or "-"');

export interface StartRunOptions {
  requests: RunRequestService;
  onStarted?: (automation: string) => void;
}

/** The synchronous start of a validated request: 201 with the new run, or 200 with the run its requestId started. */
export async function startRun(
  runs: RunService,
  options: StartRunOptions,
  principal: Principal,
  body: z.infer<typeof startRunSchema>,
): Promise<{ status: 200 | 201; location: string; run: RunDetail }> {
  const { created, run } = await runs.start(principal, body);
  if (created) options.onStarted?.(body.automation);
  return { status: created ? 201 : 200, location: `/api/v1/runs/${encodeURIComponent(run.id)}`, run };
}

export function runsRouter(
  runs: RunService,
  options: StartRunOptions & { streamIntervalMs: number; streams: StreamRegistry },
): Router {
  const router = Router();

  router.post('/runs', requireRole('editor'), async (req, res) => {
    const body = parse(startRunSchema, req.body);
    if (prefersAsync(req.get('prefer'))) {
      // Accepted once it is in the inbox; the dispatcher starts it (docs/webhooks.md).
      const { duplicate, request } = await options.requests.accept(principalOf(res), body);
      res
        .status(duplicate ? 200 : 202)
        .set('Preference-Applied', 'respond-async')
        .location(`/api/v1/run-requests/${encodeURIComponent(request.deliveryId)}`)
        .json({ ...request, duplicate, url: `/api/v1/runs/${encodeURIComponent(request.runId)}` });
      return;
    }
    // API-key starts mostly come by the start lane (api/start-lane.ts), which shares `startRun`.
    const { status, location, run } = await startRun(runs, options, principalOf(res), body);
    res.status(status).location(location).json(run);
  });

  router.get('/run-requests/:id', async (req, res) => {
    const request = await options.requests.get(principalOf(res), parse(runRequestIdSchema, req.params.id, 'id'));
    res.json({ ...request, url: `/api/v1/runs/${encodeURIComponent(request.runId)}` });
  });

  router.get('/runs', async (req, res) => {
    const filter = parse(listRunsQuerySchema, req.query);
    res.json(await runs.list(principalOf(res), filter as Parameters<RunService['list']>[1]));
  });

  router.get('/runs/stream', (req, res) => {
    const filter = parse(listRunsQuerySchema, req.query);
    const principal = principalOf(res);
    options.streams.acquire(req, res, `${principal.kind}:${principal.id}`);
    streamChanges(req, res, {
      event: 'runs',
      intervalMs: options.streamIntervalMs,
      authorize: () => stillAuthenticated(res),
      load: async () => ({
        items: (await runs.list(principal, { ...(filter as Parameters<RunService['list']>[1]), cursor: undefined }))
          .items,
      }),
      onError: (err, errorId) => requestLog(res).error('Run list stream failed', { err, errorId }),
    });
  });

  router.get('/runs/:id', async (req, res) => {
    res.json(await runs.get(principalOf(res), req.params.id));
  });

  router.get('/runs/:id/events', async (req, res) => {
    const principal = principalOf(res);
    // Resolve ownership before opening the stream, so a wrong id is a plain 404.
    await runs.get(principal, req.params.id, { withProgress: false });
    options.streams.acquire(req, res, `${principal.kind}:${principal.id}`);
    // Every viewer of this run shares one poll loop (api/services/run-watch.ts).
    streamWatched<RunDetail>(req, res, {
      event: 'run',
      authorize: () => stillAuthenticated(res),
      subscribe: (listener) => runs.subscribe(principal, req.params.id, listener),
      isFinal: (run) => run.status !== 'running' && (run.progress !== null || run.failure !== undefined),
      onError: (err, errorId) => requestLog(res).error('Run stream failed', { err, errorId, runId: req.params.id }),
    });
  });

  router.post('/runs/:id/approvals/:approvalId', requireRole('editor'), async (req, res) => {
    const body = parse(decisionSchema, req.body);
    res.json(
      await runs.decide(principalOf(res), String(req.params.id), {
        approvalId: String(req.params.approvalId),
        ...body,
      }),
    );
  });

  router.post('/runs/:id/cancel', requireRole('editor'), async (req, res) => {
    await runs.cancel(principalOf(res), String(req.params.id));
    res.status(202).json({ id: String(req.params.id), status: 'cancelling' });
  });

  router.post('/runs/:id/retry', requireRole('editor'), async (req, res) => {
    const { run } = await runs.retry(principalOf(res), String(req.params.id));
    res
      .status(201)
      .location(`/api/v1/runs/${encodeURIComponent(run.id)}`)
      .json(run);
  });

  return router;
}
