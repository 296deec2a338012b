/** OpenAPI paths of workspace credits: balance, ledger, admin grants (docs/credits.md). */
import { grantSchema, ledgerQuerySchema, quoteQuerySchema } from './routes/credits.routes';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'schema' | 'json' | 'errors' | 'ok'>;

const BALANCE = {
  type: 'object',
  required: ['balance', 'reserved', 'available'],
  properties: {
    balance: { type: 'integer', description: 'Credits owned: grants and adjustments less captured charges' },
    reserved: { type: 'integer', description: 'Credits held by videos still running' },
    available: { type: 'integer', description: 'balance − reserved: what a new video may reserve' },
  },
};

const ENTRY = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'Sequence number; the ledger cursor' },
    workspaceId: { type: 'string', format: 'uuid' },
    kind: { enum: ['grant', 'reserve', 'capture', 'release', 'adjust'] },
    amount: {
      type: 'integer',
      description: 'Signed credits: grant > 0, reserve ≤ 0 (hold), release ≥ 0 (hold returned), capture ≤ 0 (charge)',
    },
    reservationId: {
      type: ['string', 'null'],
      description: 'The saga key (the workflow id) of reserve/capture/release',
    },
    reference: { type: ['string', 'null'] },
    description: { type: 'string' },
    createdBy: { type: ['string', 'null'], description: 'The user who granted' },
    metadata: { type: 'object' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

export function creditsPaths({ schema, json, errors, ok }: Helpers) {
  const query = Object.entries((schema(ledgerQuerySchema).properties ?? {}) as Record<string, unknown>).map(
    ([name, sch]) => ({ name, in: 'query', required: false, schema: sch }),
  );
  const quoteQuery = Object.entries((schema(quoteQuerySchema).properties ?? {}) as Record<string, unknown>).map(
    ([name, sch]) => ({ name, in: 'query', required: name === 'seconds', schema: sch }),
  );
  return {
    '/credits/quote': {
      get: {
        summary: 'What a video would reserve: its estimate with the configured default providers',
        parameters: quoteQuery,
        responses: {
          200: ok('The estimate', {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              blocks: { type: 'integer', description: 'Started 10-second blocks' },
              lines: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    item: { enum: ['render', 'voice', 'script', 'images', 'publish'] },
                    credits: { type: 'integer' },
                    detail: { type: 'string' },
                  },
                },
              },
            },
          }),
          ...errors(400, 401),
        },
      },
    },
    '/credits': {
      get: {
        summary: "The workspace's credits: balance, reserved by running videos, available",
        responses: { 200: ok('Credits', BALANCE), ...errors(401) },
      },
    },
    '/credits/ledger': {
      get: {
        summary: 'Ledger entries, newest first; pass nextCursor as cursor for older ones',
        parameters: query,
        responses: {
          200: ok('A page of entries', {
            type: 'object',
            properties: { items: { type: 'array', items: ENTRY }, nextCursor: { type: ['string', 'null'] } },
          }),
          ...errors(400, 401),
        },
      },
    },
    '/credits/grants': {
      post: {
        summary: 'Grant credits to the workspace (admin)',
        description:
          'Send an `Idempotency-Key` header to make a retried request safe: the same key returns the first entry (200); with another amount it is a 409. ' +
          "Grants by the workspace's own admins and admin keys count against CREDIT_SELF_GRANT_CAP (all their grants together); one beyond it is a 403 naming `amount`, with `cap` and `selfGranted`. Instance admins are not capped.",
        parameters: [
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
        ],
        requestBody: { content: json(schema(grantSchema)) },
        responses: {
          201: ok('The grant entry, with the new balance', {
            allOf: [ENTRY, { type: 'object', properties: { balance: BALANCE } }],
          }),
          200: ok('Already granted with this Idempotency-Key'),
          ...errors(400, 401, 403, 409),
        },
      },
    },
  };
}
