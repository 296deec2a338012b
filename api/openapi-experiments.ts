/** The A/B experiment routes in the OpenAPI document (issue 13). */
import { experimentInputSchema, MAX_EVENT_BATCH } from '../lib/abtest/experiment';
import {
  assignmentQuerySchema,
  experimentControlSchema,
  experimentEventsBodySchema,
  experimentListQuerySchema,
} from './routes/experiments.routes';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'schema' | 'json' | 'errors' | 'ok' | 'idParam' | 'queryParams'>;

const STATS = {
  type: 'array',
  description: 'Per variant: exposures (units), conversions on the primary metric, the rate, guardrail conversions',
  items: {
    type: 'object',
    properties: {
      key: { type: 'string' },
      name: { type: 'string' },
      control: { type: 'boolean' },
      exposures: { type: 'integer' },
      conversions: { type: 'integer' },
      rate: { type: ['number', 'null'] },
      guardrails: { type: 'object', additionalProperties: { type: 'integer' } },
    },
  },
};

export function experimentsPaths({ schema, json, errors, ok, idParam, queryParams: query }: Helpers) {
  return {
    '/experiments': {
      get: {
        summary: 'Experiments, newest first',
        parameters: query(experimentListQuerySchema),
        responses: { 200: ok('A page of experiments'), ...errors(400) },
      },
      post: {
        summary:
          'Create an experiment (a draft): a brand, a hypothesis, the primary metric, guardrails, 2–5 variants with weights (the first is the control unless one says so) and the evaluation settings',
        requestBody: { content: json(schema(experimentInputSchema)) },
        responses: { 201: ok('Created'), ...errors(400, 403, 404) },
      },
    },
    '/experiments/{id}': {
      get: {
        summary: 'An experiment with its variants and per-variant counts (`stats`)',
        parameters: [idParam()],
        responses: { 200: ok('The experiment', { type: 'object', properties: { stats: STATS } }), ...errors(400, 404) },
      },
    },
    '/experiments/{id}/assignment': {
      get: {
        summary:
          'The variant of a unit: a hash of (experiment, unit) on the weights, the same on every call; while the experiment runs the unit’s exposure is recorded (once). Paused: the same variant, not counted; a draft or an ended experiment: the promoted variant, else the control, not counted. No Temporal call on this path.',
        parameters: [idParam(), ...query(assignmentQuerySchema)],
        responses: { 200: ok('The variant'), ...errors(400, 404) },
      },
    },
    '/experiments/{id}/control': {
      post: {
        summary:
          'Pause, resume, stop or extend (days) a started experiment: a validated update of its ab-test run (409 when it cannot apply, e.g. resuming one that is not paused)',
        parameters: [idParam()],
        requestBody: { content: json(schema(experimentControlSchema)) },
        responses: { 200: ok('Accepted'), ...errors(400, 403, 404, 409) },
      },
    },
    '/experiments/{id}/events': {
      post: {
        summary: `Exposures and conversions of a running experiment, one or up to ${MAX_EVENT_BATCH}; idempotent by eventId. A unit's exposure counts once, its conversion once per metric (and records its exposure when missing).`,
        parameters: [idParam()],
        requestBody: { content: json(schema(experimentEventsBodySchema)) },
        responses: {
          200: ok('What was counted', {
            type: 'object',
            properties: {
              accepted: { type: 'integer' },
              duplicates: { type: 'integer' },
              counted: { type: 'integer' },
            },
          }),
          ...errors(400, 403, 404, 409),
        },
      },
    },
  };
}
