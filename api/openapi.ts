/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod emits directly).
 */
import { z } from 'zod';
import type { AutomationRegistry } from './automations';
import { brandReportPaths } from './openapi-brand-report';
import { accountPaths } from './openapi-accounts';
import { connectedAccountPaths } from './openapi-connected-accounts';
import { creditsPaths } from './openapi-credits';
import { leadsPaths, leadsSchemas } from './openapi-leads';
import { experimentsPaths } from './openapi-experiments';
import { calendarPaths } from './openapi-calendar';
import { createApiKeySchema, createUserSchema, loginSchema } from './routes/accounts.routes';
import { brandPatchSchema, brandSchema, pageQuerySchema } from './routes/brands.routes';
import { decisionSchema, listRunsQuerySchema, startRunSchema } from './routes/runs.routes';
import { webhooksPaths } from './openapi-webhooks';
import { DELIVERY_STATES } from '../lib/delivery-states';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'input') => {
  const json = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
};

const problem = { $ref: '#/components/schemas/Problem' };
const json = (s: unknown) => ({ 'application/json': { schema: s } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: PROBLEM_TEXT[c] ?? 'Error', content: { 'application/problem+json': { schema: problem } } },
    ]),
  );
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request; `errors` names each field at fault',
  401: 'Not authenticated, or a bad webhook signature',
  403: 'Role too weak',
  404: 'Not found (or in another workspace)',
  409: 'Conflict with the current state',
  413: 'Body too large',
  429: 'Rate limited; `Retry-After` says when to try again',
};

const tooMany = {
  description: PROBLEM_TEXT[429],
  headers: { 'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer' } } },
  content: { 'application/problem+json': { schema: problem } },
};

/**
 * Every operation may answer 429 (log-in and auth routes per address and account, the API per key, webhooks per
 * endpoint, event streams per caller); cookie-authenticated writes may answer 403 when they look cross-site.
 */
function withAbuseResponses<T extends { paths: Record<string, Record<string, { responses?: object }>> }>(doc: T): T {
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const extra: Record<string, unknown> = { 429: tooMany };
      // Signed webhooks are exempt from the CSRF check.
      if (method !== 'get' && !path.startsWith('/hooks/') && !('403' in op.responses))
        extra[403] = {
          description: 'Role too weak, or a cookie-authenticated write without JSON or X-Requested-With (CSRF)',
          content: { 'application/problem+json': { schema: problem } },
        };
      op.responses = { ...op.responses, ...extra };
    }
  return doc;
}

function queryParams(s: z.ZodObject) {
  const props = (schema(s).properties ?? {}) as Record<string, unknown>;
  return Object.entries(props).map(([name, sch]) => ({ name, in: 'query', required: false, schema: sch }));
}

const idParam = (name = 'id', description = 'Identifier') => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const ok = (description: string, body?: unknown) => ({ description, ...(body ? { content: json(body) } : {}) });

export function buildOpenApiDocument(options: { publicUrl: string; automations: AutomationRegistry; version: string }) {
  const automationInputs = Object.fromEntries(
    options.automations.list().map((a) => [`${a.name}-input`, schema(a.inputSchema)]),
  );
  const secured = [{ session: [] }, { apiKey: [] }];

  return withAbuseResponses({
    openapi: '3.1.0',
    info: {
      title: 'Studioflow API',
      version: options.version,
      description:
        'Start, watch, approve and cancel durable marketing automations. Runs are Temporal workflows; their ids are business ids such as `social-post/<brandId>/<requestId>` (URL-encode them in paths).',
    },
    servers: [{ url: `${options.publicUrl}/api/v1` }],
    security: secured,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sf_session', description: 'Set by POST /auth/login' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key `sf_…` created in settings' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
        Progress: {
          type: 'object',
          description: 'The shared run-state shape every automation reports',
          properties: {
            automation: { type: 'string' },
            phase: { enum: ['running', 'waiting', 'completed', 'failed', 'cancelled'] },
            summary: { type: 'string' },
            updatedAt: { type: 'string', format: 'date-time' },
            steps: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  title: { type: 'string' },
                  status: { enum: ['pending', 'running', 'waiting', 'done', 'failed', 'skipped'] },
                  startedAt: { type: 'string' },
                  endedAt: { type: 'string' },
                  attempt: { type: 'integer' },
                  detail: { type: 'string' },
                  provider: { type: 'string' },
                },
              },
            },
            artifacts: {
              type: 'array',
              items: {
                type: 'object',
                properties: { kind: { type: 'string' }, url: { type: 'string' }, title: { type: 'string' } },
              },
            },
            approvals: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  step: { type: 'string' },
                  kind: {
                    type: 'string',
                    description:
                      "What the approval asks about, from the automation's manifest (post-copy, report-delivery, video-script): the shape of `content` and of its edits",
                  },
                  title: { type: 'string' },
                  content: {},
                  actions: { type: 'array', items: { type: 'string' } },
                  deadline: { type: 'string' },
                  onTimeout: { type: 'string' },
                },
              },
            },
          },
        },
        Run: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            runId: { type: 'string' },
            automation: { type: 'string' },
            status: {
              enum: ['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out', 'continued_as_new'],
            },
            brandId: { type: ['string', 'null'] },
            startTime: { type: ['string', 'null'] },
            closeTime: { type: ['string', 'null'] },
            temporalUrl: { type: 'string' },
            progress: { oneOf: [{ $ref: '#/components/schemas/Progress' }, { type: 'null' }] },
            result: {},
            failure: {
              type: 'object',
              properties: {
                message: { type: 'string' },
                type: { type: 'string', description: 'The failure type (lib/failures.ts), e.g. InvalidInput' },
                label: { type: 'string', description: 'The type in words, for people' },
              },
            },
          },
        },
        RunRequest: {
          type: 'object',
          properties: {
            deliveryId: { type: 'string', description: 'The requestId, given or generated' },
            automation: { type: 'string' },
            state: { enum: [...DELIVERY_STATES] },
            runId: { type: 'string', description: 'The workflow id the run has, or will have once dispatched' },
            input: {},
            attempts: { type: 'integer' },
            lastError: { type: ['string', 'null'] },
            receivedAt: { type: 'string', format: 'date-time' },
            dispatchedAt: { type: ['string', 'null'], format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            duplicate: { type: 'boolean', description: 'In the answer to POST /runs only' },
            url: { type: 'string', description: 'The run (404 until dispatched)' },
          },
        },
        Brand: schema(brandSchema, 'output'),
        ...leadsSchemas({ schema }),
        ...automationInputs,
      },
    },
    paths: {
      '/auth/login': {
        post: {
          summary: 'Log in (sets the session cookie)',
          security: [],
          requestBody: { content: json(schema(loginSchema)) },
          responses: { 200: ok('Logged in'), ...errors(400, 401) },
        },
      },
      '/auth/logout': { post: { summary: 'Log out', responses: { 204: ok('Logged out') } } },
      '/auth/me': {
        get: {
          summary: 'The caller, their workspace and the Temporal Web UI address',
          responses: { 200: ok('Caller'), ...errors(401) },
        },
      },
      '/automations': {
        get: {
          summary: 'Automations and their input schemas',
          description:
            "Each item also carries its run-view manifest: `steps` (name, title), `approvals` (approval step → kind) and `details` (the input and result values a run's page lists: label, value path, format)",
          responses: { 200: ok('Automations') },
        },
      },
      '/runs': {
        get: {
          summary: "List the workspace's runs from Temporal visibility",
          parameters: queryParams(listRunsQuerySchema),
          responses: { 200: ok('A page of runs; pass nextCursor as cursor for the next'), ...errors(400, 401) },
        },
        post: {
          summary: 'Start an automation',
          description: `input is validated against the automation's schema: ${options.automations
            .names()
            .map((n) => `#/components/schemas/${n}-input`)
            .join(', ')}`,
          parameters: [
            {
              name: 'Prefer',
              in: 'header',
              required: false,
              description:
                '`respond-async`: accepted into the inbox once it is in PostgreSQL (202, with Location to poll); the dispatcher starts it, Temporal reachable or not. Bad input is still a 400 at once',
              schema: { type: 'string', maxLength: 200 },
            },
          ],
          requestBody: { content: json(schema(startRunSchema)) },
          responses: {
            201: ok('Started', { $ref: '#/components/schemas/Run' }),
            202: ok('Accepted (Prefer: respond-async): Location is the run request to poll', {
              $ref: '#/components/schemas/RunRequest',
            }),
            200: ok(
              'Already started with this requestId; with Prefer: respond-async, the request of this requestId (duplicate: true)',
            ),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      '/run-requests/{id}': {
        get: {
          summary: 'A run request accepted with Prefer: respond-async: pending, dispatched (its run started) or failed',
          parameters: [idParam('id', 'The requestId')],
          responses: {
            200: ok('Run request', { $ref: '#/components/schemas/RunRequest' }),
            ...errors(400, 401, 404),
          },
        },
      },
      '/runs/stream': {
        get: {
          summary: 'Server-sent events: `runs` with the first page whenever it changes',
          parameters: queryParams(listRunsQuerySchema),
          responses: { 200: { description: 'text/event-stream' } },
        },
      },
      '/runs/{id}': {
        get: {
          summary: 'A run with its progress, result or failure',
          description:
            "A running run's progress comes from its worker within 3 s. When no worker answers in time it is the " +
            'last progress read (if any), and `null` for a run never read before.',
          parameters: [idParam('id', 'URL-encoded workflow id')],
          responses: { 200: ok('Run', { $ref: '#/components/schemas/Run' }), ...errors(401, 404) },
        },
      },
      '/runs/{id}/events': {
        get: {
          summary: 'Server-sent events: `run` on every change, `end` when closed',
          parameters: [idParam()],
          responses: { 200: { description: 'text/event-stream' }, ...errors(401, 404) },
        },
      },
      '/runs/{id}/approvals/{approvalId}': {
        post: {
          summary: 'Approve, edit or reject a pending approval',
          parameters: [idParam(), idParam('approvalId')],
          requestBody: { content: json(schema(decisionSchema)) },
          responses: { 200: ok('Decision accepted'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/runs/{id}/cancel': {
        post: {
          summary: 'Cancel a running run',
          parameters: [idParam()],
          responses: { 202: ok('Cancellation requested'), ...errors(401, 403, 404, 409) },
        },
      },
      '/runs/{id}/retry': {
        post: {
          summary: 'Start a new run with the same input',
          parameters: [idParam()],
          responses: { 201: ok('New run', { $ref: '#/components/schemas/Run' }), ...errors(401, 403, 404) },
        },
      },
      '/brands': {
        get: {
          summary: 'List brands',
          parameters: queryParams(pageQuerySchema),
          responses: { 200: ok('A page of brands') },
        },
        post: {
          summary: 'Create a brand (and its local channel)',
          requestBody: { content: json(schema(brandSchema)) },
          responses: { 201: ok('Created', { $ref: '#/components/schemas/Brand' }), ...errors(400, 401, 403) },
        },
      },
      '/brands/{id}': {
        get: { summary: 'A brand', parameters: [idParam()], responses: { 200: ok('Brand'), ...errors(404) } },
        patch: {
          summary: 'Update a brand',
          parameters: [idParam()],
          requestBody: { content: json(schema(brandPatchSchema)) },
          responses: { 200: ok('Updated'), ...errors(400, 403, 404) },
        },
        delete: {
          summary: 'Delete a brand',
          parameters: [idParam()],
          responses: { 204: ok('Deleted'), ...errors(403, 404) },
        },
      },
      ...brandReportPaths({ schema, json, errors, ok, idParam }),
      ...creditsPaths({ schema, json, errors, ok }),
      ...leadsPaths({ schema, json, errors, ok, idParam, queryParams }),
      ...experimentsPaths({ schema, json, errors, ok, idParam, queryParams }),
      ...calendarPaths({ schema, json, errors, ok, idParam, queryParams }),
      ...accountPaths({ schema, json, errors, ok }),
      ...connectedAccountPaths({ errors, ok }),
      '/api-keys': {
        get: { summary: 'API keys (admin)', responses: { 200: ok('Keys') } },
        post: {
          summary: 'Create an API key; the key is shown once',
          requestBody: { content: json(schema(createApiKeySchema)) },
          responses: { 201: ok('Created'), ...errors(400, 403) },
        },
      },
      '/api-keys/{id}': {
        delete: {
          summary: 'Revoke an API key',
          parameters: [idParam()],
          responses: { 204: ok('Revoked'), ...errors(403, 404) },
        },
      },
      '/users': {
        get: { summary: 'Users of the workspace (admin)', responses: { 200: ok('Users') } },
        post: {
          summary: 'Add a user',
          requestBody: { content: json(schema(createUserSchema)) },
          responses: { 201: ok('Created'), ...errors(400, 403, 409) },
        },
      },
      ...webhooksPaths({ schema, json, errors, ok, idParam, queryParams }),
      '/openapi.json': {
        get: { summary: 'This document', security: [], responses: { 200: ok('OpenAPI 3.1 document') } },
      },
      '/files/{key}': {
        get: {
          summary:
            "A draft file of the caller's workspace (drafts/<workspaceId>/…); published media are at /files/{key}",
          parameters: [idParam('key', 'Storage key; its segments separated by "/", each URL-encoded')],
          responses: {
            200: { description: 'The file', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
            ...errors(400, 401, 404),
          },
        },
      },
      '/system/status': {
        get: { summary: 'Database, Temporal and task-queue pollers', responses: { 200: ok('Status') } },
      },
    },
  });
}
