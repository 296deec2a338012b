/** The editorial calendar's routes in the OpenAPI document (issue 12, docs/calendar.md). */
import {
  calendarSettingsSchema,
  entryCreateSchema,
  entryListQuerySchema,
  entryPatchSchema,
  entryVersionSchema,
  scheduleActionBodySchema,
} from '../lib/calendar/entry-input';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'schema' | 'json' | 'errors' | 'ok' | 'idParam' | 'queryParams'>;

export function calendarPaths({ schema, json, errors, ok, idParam, queryParams: query }: Helpers) {
  const versioned = (summary: string) => ({
    post: {
      summary,
      parameters: [idParam()],
      requestBody: { content: json(schema(entryVersionSchema)) },
      responses: { 200: ok('The entry'), ...errors(400, 403, 404, 409) },
    },
  });
  return {
    '/calendar/entries': {
      get: {
        summary: 'Calendar entries due in [from, to) (at most 62 days), oldest first; filter by brand and status',
        parameters: query(entryListQuerySchema),
        responses: { 200: ok('The entries'), ...errors(400) },
      },
      post: {
        summary:
          "Plan an entry at a wall-clock time in the workspace's time zone (idea, draft, or scheduled: validated, and armed on the brand's calendar run)",
        requestBody: { content: json(schema(entryCreateSchema)) },
        responses: { 201: ok('Created'), ...errors(400, 403, 404) },
      },
    },
    '/calendar/entries/{id}': {
      get: {
        summary: 'An entry with its validation, runs and results',
        parameters: [idParam()],
        responses: { 200: ok('The entry'), ...errors(400, 404) },
      },
      patch: {
        summary:
          'Edit or move an entry (a new localAt); `version` is the one you read (409 when it changed meanwhile). A scheduled entry is validated again and re-armed at its new time.',
        parameters: [idParam()],
        requestBody: { content: json(schema(entryPatchSchema)) },
        responses: { 200: ok('The entry'), ...errors(400, 403, 404, 409) },
      },
    },
    '/calendar/entries/{id}/approve': versioned(
      'Approve an idea, draft or failed entry: validated (copy, media, accounts, credits) and scheduled',
    ),
    '/calendar/entries/{id}/cancel': versioned('Cancel an entry: it never publishes'),
    '/calendar/settings': {
      get: { summary: "The workspace's calendar settings", responses: { 200: ok('Settings') } },
      put: {
        summary: 'Time zone, daily generation time and days ahead, drafts’ time; moves the daily generation schedule',
        requestBody: { content: json(schema(calendarSettingsSchema)) },
        responses: { 200: ok('Settings'), ...errors(400, 403) },
      },
    },
    '/calendar/schedules': {
      get: {
        summary: 'The daily generation and hourly analytics Temporal Schedules: paused, next and recent runs',
        responses: { 200: ok('Schedules') },
      },
    },
    '/calendar/schedule-actions': {
      post: {
        summary: 'Pause, resume or trigger now one of the calendar’s schedules',
        requestBody: { content: json(schema(scheduleActionBodySchema)) },
        responses: { 200: ok('The schedule'), ...errors(400, 403) },
      },
    },
  };
}
