/** OpenAPI paths of the brand-report data: logo, KPIs, diagnoses, knowledge documents, reports (docs/brand-report.md). */
import { kpiValuesSchema } from './routes/kpis.routes';
import { saveStepSchema } from './routes/diagnoses.routes';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'schema' | 'json' | 'errors' | 'ok' | 'idParam'>;

export function brandReportPaths({ schema, json, errors, ok, idParam }: Helpers) {
  const brand = idParam('id', 'Brand id');
  const file = (type: string, description: string) => ({
    description,
    content: { [type]: { schema: { type: 'string', format: 'binary' } } },
  });
  return {
    '/brands/{id}/logo': {
      get: {
        summary: "The brand's logo",
        parameters: [brand],
        responses: { 200: file('image/*', 'Image'), ...errors(404) },
      },
      put: {
        summary: 'Upload the logo (PNG, JPEG, WebP or SVG, ≤ 512 KiB) as the raw body',
        parameters: [brand],
        requestBody: { content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 200: ok('The brand with `logoUrl`'), ...errors(400, 403, 404, 413) },
      },
      delete: {
        summary: 'Remove the logo',
        parameters: [brand],
        responses: { 204: ok('Removed'), ...errors(403, 404) },
      },
    },
    '/brands/{id}/kpis': {
      get: {
        summary: 'KPI periods (oldest first) and their summary: popularity index, trend score, deltas',
        parameters: [brand],
        responses: { 200: ok('KPIs'), ...errors(404) },
      },
    },
    '/brands/{id}/kpis/{period}': {
      put: {
        summary: 'Record or change one period (its first day, YYYY-MM-DD); absent fields keep their value',
        parameters: [brand, idParam('period', 'YYYY-MM-DD, years 1900 to 9999')],
        requestBody: { content: json(schema(kpiValuesSchema)) },
        responses: { 200: ok('The period'), ...errors(400, 403, 404) },
      },
      delete: {
        summary: 'Delete a period',
        parameters: [brand, idParam('period', 'YYYY-MM-DD, years 1900 to 9999')],
        responses: { 204: ok('Deleted'), ...errors(403, 404) },
      },
    },
    '/brands/{id}/kpis/import': {
      post: {
        summary:
          'Import periods from CSV (header: period,followers,engagement_rate,views,posts); all rows or none, a bad cell is named as `row N.column`',
        parameters: [brand],
        requestBody: { content: { 'text/csv': { schema: { type: 'string' } } } },
        responses: { 200: ok('Imported periods'), ...errors(400, 403, 404, 413) },
      },
    },
    '/brands/{id}/kpis/collect': {
      post: {
        summary: "Count posts and page views per ISO week on the brand's local channel into its KPIs",
        parameters: [brand],
        responses: { 200: ok('Collected periods'), ...errors(403, 404) },
      },
    },
    '/diagnosis/questionnaire': {
      get: {
        summary: 'The five-step questionnaire: steps, typed questions, dimensions',
        responses: { 200: ok('Questionnaire') },
      },
    },
    '/brands/{id}/diagnoses': {
      get: {
        summary: 'Diagnoses of the brand, newest first',
        parameters: [brand],
        responses: { 200: ok('Diagnoses'), ...errors(404) },
      },
      post: {
        summary: 'Start a diagnosis (optionally copying the answers of another: `{ copyFrom }`)',
        parameters: [brand],
        requestBody: {
          content: json({ type: 'object', properties: { copyFrom: { type: 'string', format: 'uuid' } } }),
        },
        responses: { 201: ok('Draft diagnosis'), ...errors(400, 403, 404) },
      },
    },
    '/brands/{id}/diagnoses/{diagnosisId}': {
      get: {
        summary: 'A diagnosis with its answers (and scores once complete)',
        parameters: [brand, idParam('diagnosisId')],
        responses: { 200: ok('Diagnosis'), ...errors(404) },
      },
      delete: {
        summary: 'Delete a diagnosis no report was made from',
        parameters: [brand, idParam('diagnosisId')],
        responses: { 204: ok('Deleted'), ...errors(403, 404, 409) },
      },
    },
    '/brands/{id}/diagnoses/{diagnosisId}/steps/{step}': {
      put: {
        summary:
          'Save one step (identity, target, market, channels, performance); 400 names each question as `answers.<questionId>` with `question`',
        parameters: [brand, idParam('diagnosisId'), idParam('step', 'Step id')],
        requestBody: { content: json(schema(saveStepSchema)) },
        responses: { 200: ok('Diagnosis'), ...errors(400, 403, 404, 409) },
      },
    },
    '/brands/{id}/diagnoses/{diagnosisId}/complete': {
      post: {
        summary: 'Complete a diagnosis whose five steps are saved; it is scored and frozen',
        parameters: [brand, idParam('diagnosisId')],
        responses: { 200: ok('Diagnosis with scores'), ...errors(400, 403, 404) },
      },
    },
    '/brands/{id}/documents': {
      get: {
        summary: 'Knowledge documents, newest first',
        parameters: [brand],
        responses: { 200: ok('Documents'), ...errors(404) },
      },
      post: {
        summary: 'Upload a document (text, Markdown, HTML, PDF) as the raw body; indexing runs as a workflow',
        parameters: [
          brand,
          { name: 'filename', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'title', in: 'query', required: false, schema: { type: 'string' } },
        ],
        requestBody: { content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 202: ok('Document, status pending'), ...errors(400, 403, 404, 413) },
      },
    },
    '/brands/{id}/documents/{documentId}': {
      get: {
        summary: 'A document',
        parameters: [brand, idParam('documentId')],
        responses: { 200: ok('Document'), ...errors(404) },
      },
      delete: {
        summary: 'Delete a document, its passages and its file (202 when it finishes in the background)',
        parameters: [brand, idParam('documentId')],
        responses: { 204: ok('Deleted'), 202: ok('Deleting'), ...errors(403, 404) },
      },
    },
    '/brands/{id}/documents/{documentId}/original': {
      get: {
        summary: 'The uploaded file',
        parameters: [brand, idParam('documentId')],
        responses: { 200: file('*/*', 'File'), ...errors(404) },
      },
    },
    '/brands/{id}/documents/{documentId}/reindex': {
      post: {
        summary: 'Index the document again (joins an indexing already running)',
        parameters: [brand, idParam('documentId')],
        responses: { 202: ok('Document'), ...errors(403, 404) },
      },
    },
    '/brands/{id}/reports': {
      get: {
        summary: 'Reports of the brand, newest first',
        parameters: [brand],
        responses: { 200: ok('Reports'), ...errors(404) },
      },
    },
    '/brands/{id}/reports/{reportId}': {
      get: {
        summary: 'A report with its scores and analysis',
        parameters: [brand, idParam('reportId')],
        responses: { 200: ok('Report'), ...errors(404) },
      },
    },
    '/brands/{id}/reports/{reportId}/pdf': {
      get: {
        summary: 'The PDF (attachment; `?inline=1` to view)',
        parameters: [
          brand,
          idParam('reportId'),
          { name: 'inline', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: { 200: file('application/pdf', 'PDF'), ...errors(404) },
      },
    },
    '/brands/{id}/reports/{reportId}/html': {
      get: {
        summary: 'The HTML preview the PDF was printed from',
        parameters: [brand, idParam('reportId')],
        responses: { 200: file('text/html', 'HTML'), ...errors(404) },
      },
    },
  };
}
