import { z } from 'zod';

export const approvalPolicySchema = z
  .object({
    required: z.boolean().default(true),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 3600)
      .default(24 * 3600)
      .describe('How long to wait for a decision'),
    onTimeout: z
      .enum(['approve', 'reject', 'fail'])
      .default('reject')
      .describe('What happens when nobody decides in time'),
  })
  .strict()
  .default({ required: true, timeoutSeconds: 24 * 3600, onTimeout: 'reject' });

/** ISO 639-1, lower case; English when absent. */
export const languageSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'must be a two-letter language code')
  .default('en');
