/** The A/B experiment routes in the OpenAPI document (issue 13). */
import { experimentInputSchema, MAX_EVENT_BATCH } from '../lib/abtest/experiment';
import {
  assignmentQuerySchema,
  experimentControlSchema,
  experimentEventsBodySchema,
  experimentListQuerySchema,
  evaluationListQuerySchema,
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

const INTERVAL = { type: 'object', properties: { lower: { type: 'number' }, upper: { type: 'number' } } };

const EVALUATION = {
  type: 'object',
  description: 'One evaluation of the experiment by its run',
  properties: {
    n: { type: 'integer', description: '1 for the first evaluation' },
    evaluatedAt: { type: 'string', format: 'date-time' },
    elapsedMs: { type: 'integer', description: 'Time since the start (the run’s clock)' },
    action: { type: 'string', enum: ['continue', 'stop-winner', 'stop-futility', 'stop-max', 'pause-srm'] },
    winner: { type: ['string', 'null'] },
    reasons: { type: 'array', items: { type: 'string' } },
    srmPValue: { type: ['number', 'null'], description: 'Sample ratio mismatch test (null while too few exposures)' },
    variants: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          exposures: { type: 'integer' },
          conversions: { type: 'integer' },
          rate: { type: 'number' },
          rateInterval: { ...INTERVAL, description: 'Wilson interval at the experiment’s alpha' },
          chanceToBeBest: { type: 'number' },
          sequentialPValue: { type: 'number', description: 'Treatments: always-valid p-value against the control' },
          confidenceSequence: { ...INTERVAL, description: 'Treatments: of the difference against the control' },
        },
      },
    },
    guardrails: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          metric: { type: 'string' },
          variant: { type: 'string' },
          controlRate: { type: 'number' },
          rate: { type: 'number' },
          change: { type: ['number', 'null'], description: 'Relative to the control' },
          regressed: { type: 'boolean', description: 'True blocks this variant’s win' },
        },
      },
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
    '/experiments/{id}/evaluations': {
      get: {
        summary:
          'Every evaluation its run made, oldest first: per-variant counts, rates with intervals and chance to be best, the verdict and its reasons, guardrails (the series behind the chance-to-be-best chart)',
        parameters: [idParam(), ...query(evaluationListQuerySchema)],
        responses: {
          200: ok('A page of evaluations', {
            type: 'object',
            properties: {
              items: { type: 'array', items: EVALUATION },
              nextCursor: { type: ['string', 'null'] },
            },
          }),
          ...errors(400, 404),
        },
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
