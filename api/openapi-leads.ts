/** OpenAPI paths of leads: list, detail, single and bulk creation, the CSV import and its preview, the ICP. */
import { IMPORT_FIELDS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../lib/leads/csv-import';
import { LEAD_SOURCE_KINDS, LEAD_STATUSES } from '../lib/leads/lead-fields';
import { leadProfileSchema } from '../lib/leads/profile';
import {
  importQuerySchema,
  leadBodySchema,
  leadCallbackSchema,
  leadListQuerySchema,
  MAX_BULK_LEADS,
  previewQuerySchema,
  profileQuerySchema,
} from './routes/leads.routes';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'schema' | 'json' | 'errors' | 'ok' | 'idParam' | 'queryParams'>;

const nullableText = { type: ['string', 'null'] };
const strings = { type: 'array', items: { type: 'string' } };
const SOURCE = {
  type: 'object',
  properties: {
    kind: { enum: [...LEAD_SOURCE_KINDS] },
    reference: { ...nullableText, description: 'Import file name, webhook delivery, page URL' },
    row: { type: ['integer', 'null'], description: 'CSV row (the header is row 1)' },
    outcome: { enum: ['created', 'merged'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
};
const LEAD = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    brandId: { type: ['string', 'null'], format: 'uuid' },
    companyName: nullableText,
    website: nullableText,
    domain: { ...nullableText, description: 'Normalised: lowercase, punycode, no www.; unique per workspace' },
    emails: strings,
    phones: strings,
    socials: { type: 'object', additionalProperties: { type: 'string' } },
    address: nullableText,
    city: nullableText,
    country: nullableText,
    category: nullableText,
    description: nullableText,
    language: nullableText,
    technologies: strings,
    score: { type: ['integer', 'null'], minimum: 0, maximum: 100 },
    scoreReasons: { type: 'array', items: { type: 'object' } },
    status: { enum: [...LEAD_STATUSES] },
    failureReason: nullableText,
    fieldSources: {
      type: 'object',
      description: 'Field → the source that first gave it a value ({source, reference, at})',
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
const ENRICHMENT = {
  type: 'object',
  description: 'One enrichment run of the lead (a child run of a lead enrichment batch)',
  properties: {
    workflowId: { type: 'string', description: 'The run: GET /runs/{id}' },
    batchWorkflowId: { type: ['string', 'null'] },
    status: { enum: ['running', 'enriched', 'failed'] },
    pages: { type: 'integer', description: 'Pages of the site read' },
    failure: { ...nullableText, description: 'Why the site could not be read (its label and message)' },
    score: { type: ['integer', 'null'] },
    writtenBy: { ...nullableText, description: '`rules`, or the model that qualified the lead' },
    tokens: { type: ['object', 'null'], properties: { input: { type: 'integer' }, output: { type: 'integer' } } },
    costUsd: { type: ['number', 'null'] },
    callback: { enum: ['sent', 'not-configured', 'failed', null] },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
const CALLBACK = {
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri' },
    enabled: { type: 'boolean' },
    updatedAt: { type: 'string', format: 'date-time' },
    secret: { type: 'string', description: 'Only when created or rotated: the `whsec_…` key that signs each callback' },
  },
};
const ROW_ERROR = {
  type: 'object',
  properties: {
    row: { type: 'integer' },
    column: { type: 'string', description: 'The CSV header of the cell at fault' },
    field: { enum: [...IMPORT_FIELDS] },
    message: { type: 'string' },
  },
};
const PROFILE = {
  type: 'object',
  properties: {
    brandId: { type: ['string', 'null'], format: 'uuid' },
    profile: { $ref: '#/components/schemas/LeadProfile' },
    updatedAt: { type: ['string', 'null'], format: 'date-time', description: 'null: never saved, defaults shown' },
  },
};

const CSV_BODY = {
  required: true,
  description: `The CSV file (comma, semicolon or tab separated; header row first), at most ${MAX_IMPORT_BYTES} bytes and ${MAX_IMPORT_ROWS} rows`,
  content: { 'text/csv': { schema: { type: 'string' } } },
};
const MAPPING_TEXT =
  'Columns are mapped to lead fields by their headers (English and Italian: "Ragione sociale", "Sito web", "Telefono", …); ' +
  '`map.<field>=<header>` overrides a guess, `map.<field>=` leaves the field out. A row needs a website or an email; ' +
  'emails and phones cells may hold several values separated by `;` or `,`.';

export function leadsSchemas({ schema }: Pick<Helpers, 'schema'>) {
  return { Lead: LEAD, LeadProfile: schema(leadProfileSchema, 'output') };
}

export function leadsPaths({ schema, json, errors, ok, idParam, queryParams: query }: Helpers) {
  const lead = { $ref: '#/components/schemas/Lead' };
  return {
    '/leads': {
      get: {
        summary: 'List leads: search, filter by score, status, city, source or brand; sort; pass nextCursor as cursor',
        parameters: query(leadListQuerySchema),
        responses: {
          200: ok('A page of leads', {
            type: 'object',
            properties: { items: { type: 'array', items: lead }, nextCursor: { type: ['string', 'null'] } },
          }),
          ...errors(400, 401),
        },
      },
      post: {
        summary: `Add a lead, or up to ${MAX_BULK_LEADS} as an array; a lead with a known domain or email is merged`,
        description:
          'Deduplicated on the normalised domain, then on any email: a match is merged (no value it has is lost) and answers 200 with `outcome: merged`; a new lead answers 201. ' +
          'An array answers 200 with `items: [{outcome, lead}]`; any invalid lead is a 400 naming it (`2.website`) and none is saved.',
        requestBody: { content: json(schema(leadBodySchema)) },
        responses: {
          201: ok('Created', lead),
          200: ok('Merged into an existing lead, or the outcome of each lead of an array'),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/leads/import/preview': {
      post: {
        summary: 'Read a CSV of leads without saving: the column mapping, the first rows mapped, every row error',
        description: MAPPING_TEXT,
        parameters: query(previewQuerySchema),
        requestBody: CSV_BODY,
        responses: {
          200: ok('The preview', {
            type: 'object',
            properties: {
              headers: strings,
              mapping: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
              totalRows: { type: 'integer' },
              validRows: { type: 'integer' },
              refusedRows: { type: 'integer' },
              rows: { type: 'array', items: { type: 'object' } },
              errors: { type: 'array', items: ROW_ERROR },
            },
          }),
          ...errors(400, 401, 403, 404, 413),
        },
      },
    },
    '/leads/import': {
      post: {
        summary: 'Import a CSV of leads: each row created, merged into the lead it duplicates, or refused with reasons',
        description: `${MAPPING_TEXT} Every saved row adds a source (file name and row) to its lead.`,
        parameters: query(importQuerySchema),
        requestBody: CSV_BODY,
        responses: {
          200: ok('The outcome of each row', {
            type: 'object',
            properties: {
              fileName: nullableText,
              mapping: { type: 'object' },
              totals: { type: 'object' },
              rows: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    row: { type: 'integer' },
                    outcome: { enum: ['created', 'merged', 'refused'] },
                    leadId: { type: 'string', format: 'uuid' },
                    errors: { type: 'array', items: ROW_ERROR },
                  },
                },
              },
            },
          }),
          ...errors(400, 401, 403, 404, 413),
        },
      },
    },
    '/leads/{id}': {
      get: {
        summary:
          'A lead, with the history of where it came from (`sources`) and of its enrichment runs (`enrichments`), newest first',
        parameters: [idParam()],
        responses: {
          200: ok('The lead', {
            allOf: [
              lead,
              {
                type: 'object',
                properties: {
                  sources: { type: 'array', items: SOURCE },
                  enrichments: { type: 'array', items: ENRICHMENT },
                },
              },
            ],
          }),
          ...errors(400, 404),
        },
      },
    },
    '/lead-profile': {
      get: {
        summary: 'The ideal customer profile leads are scored against (the defaults until one is saved)',
        parameters: query(profileQuerySchema),
        responses: { 200: ok('The profile', PROFILE), ...errors(400, 401, 404) },
      },
      put: {
        summary: 'Save the ideal customer profile of the workspace, or of a brand',
        parameters: query(profileQuerySchema),
        requestBody: { content: json(schema(leadProfileSchema)) },
        responses: { 200: ok('Saved', PROFILE), ...errors(400, 401, 403, 404) },
      },
    },
    '/lead-callback': {
      get: {
        summary: 'The CRM callback enriched leads are posted to (the secret is never shown again)',
        responses: { 200: ok('The callback', CALLBACK), ...errors(401, 404) },
      },
      put: {
        summary:
          'Set the CRM callback: each enriched lead is POSTed as `{type: "lead.enriched", timestamp, data}`, signed with Standard Webhooks headers (`webhook-id` stable per lead run, `webhook-timestamp`, `webhook-signature`). Created: 201 with the secret, shown once',
        requestBody: { content: json(schema(leadCallbackSchema)) },
        responses: {
          200: ok('Updated', CALLBACK),
          201: ok('Created, with its secret', CALLBACK),
          ...errors(400, 401, 403),
        },
      },
      delete: {
        summary: 'Stop posting enriched leads',
        responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404) },
      },
    },
    '/lead-callback/secret': {
      post: {
        summary: 'Rotate the callback secret: the new one is returned once and signs from now on',
        responses: { 200: ok('The callback with its new secret', CALLBACK), ...errors(401, 403, 404) },
      },
    },
  };
}
