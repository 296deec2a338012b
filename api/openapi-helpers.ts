/** What api/openapi.ts hands each section of the document (openapi-*.ts) to describe its routes with. */
import type { z } from 'zod';

export interface OpenApiHelpers {
  /** A zod schema as JSON Schema (its input side unless told). */
  schema: (s: z.ZodType, io?: 'input' | 'output') => Record<string, unknown>;
  json: (s: unknown) => unknown;
  /** problem+json responses for these statuses. */
  errors: (...codes: number[]) => Record<string, unknown>;
  ok: (description: string, body?: unknown) => unknown;
  idParam: (name?: string, description?: string) => unknown;
  /** A strict zod object as query parameters. */
  queryParams: (s: z.ZodObject) => unknown[];
}
