/** OpenAPI paths of inbound webhooks: endpoints, the signed delivery, and each endpoint's delivery inbox. */
import { DELIVERY_STATES } from '../lib/delivery-states';
import { createWebhookEndpointSchema, listDeliveriesQuerySchema } from './routes/webhooks.routes';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'schema' | 'json' | 'errors' | 'ok' | 'idParam' | 'queryParams'>;

const DELIVERY = {
  type: 'object',
  properties: {
    endpointId: { type: 'string', format: 'uuid' },
    deliveryId: { type: 'string' },
    automation: { type: 'string' },
    state: { enum: [...DELIVERY_STATES] },
    runId: { type: 'string', description: 'The workflow id the run has, or will have once dispatched' },
    input: { description: 'The mapped input, as the automation accepted it' },
    attempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    receivedAt: { type: 'string', format: 'date-time' },
    dispatchedAt: { type: ['string', 'null'], format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

const ACCEPTED = {
  type: 'object',
  properties: {
    deliveryId: { type: 'string' },
    state: { enum: [...DELIVERY_STATES] },
    runId: { type: 'string', description: 'The workflow id the run has, or will have once dispatched' },
    duplicate: { type: 'boolean' },
    url: { type: 'string', description: 'The run (404 until the delivery is dispatched)' },
  },
};

export function webhooksPaths({ schema, json, errors, ok, idParam, queryParams }: Helpers) {
  return {
    '/webhook-endpoints': {
      get: { summary: 'Inbound webhook endpoints (admin)', responses: { 200: ok('Endpoints') } },
      post: {
        summary: 'Create an endpoint; its secret is shown once',
        requestBody: { content: json(schema(createWebhookEndpointSchema)) },
        responses: { 201: ok('Created'), ...errors(400, 403) },
      },
    },
    '/webhook-endpoints/{id}': {
      delete: {
        summary: 'Delete an endpoint',
        parameters: [idParam()],
        responses: { 204: ok('Deleted'), ...errors(403, 404) },
      },
    },
    '/webhook-endpoints/{id}/deliveries': {
      get: {
        summary: "The endpoint's delivery inbox, newest first: pending, dispatched, failed with reason (admin)",
        parameters: [idParam(), ...queryParams(listDeliveriesQuerySchema)],
        responses: {
          200: ok('A page of deliveries', {
            type: 'object',
            properties: { items: { type: 'array', items: DELIVERY }, nextCursor: { type: ['string', 'null'] } },
          }),
          ...errors(400, 403, 404),
        },
      },
    },
    '/webhook-endpoints/{id}/deliveries/{deliveryId}/dispatch': {
      post: {
        summary: 'Queue a failed delivery again; the dispatcher starts its run (admin)',
        parameters: [idParam(), idParam('deliveryId', 'The delivery id (webhook-id header)')],
        responses: { 202: ok('Pending again', DELIVERY), ...errors(400, 403, 404, 409) },
      },
    },
    '/hooks/{endpoint}': {
      post: {
        summary: 'Deliver a webhook (Standard Webhooks signature); accepted into the inbox, its run started after',
        security: [],
        parameters: [
          idParam('endpoint', 'Endpoint id'),
          {
            name: 'webhook-id',
            in: 'header',
            required: true,
            description: 'Delivery id; a replay of the same id answers with the first delivery',
            schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
          },
          { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: { content: json({}) },
        responses: {
          202: ok('Accepted: recorded in the inbox, the run starts shortly', ACCEPTED),
          200: ok('Duplicate delivery: the first one, in its current state', ACCEPTED),
          ...errors(400, 401, 404, 413),
        },
      },
    },
  };
}
