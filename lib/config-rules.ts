/**
 * The settings that go together (lib/config.ts parses each one alone): providers chosen by name must have what they
 * need, and production refuses what is only safe in development. A missing piece fails the boot, never falls back.
 */
import type { z } from 'zod';
import type { EnvFields } from './config';
import { parseSecretKeys } from './secrets/keys';

export function checkSettingsTogether(env: EnvFields, ctx: z.RefinementCtx): void {
  if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < 16)
    ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: 'must be at least 16 characters (or empty)' });
  if (env.NODE_ENV === 'production' && env.SECURE_COOKIES && !['true', '1', 'yes'].includes(env.SECURE_COOKIES))
    ctx.addIssue({
      code: 'custom',
      path: ['SECURE_COOKIES'],
      message: 'cannot be false in production: serve over https (TRUST_PROXY=true behind a TLS proxy)',
    });
  if (env.STORAGE_PROVIDER === 's3' && !env.S3_BUCKET)
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when STORAGE_PROVIDER=s3' });
  if (env.KNOWLEDGE_VECTOR_STORE === 'pinecone') {
    if (!env.PINECONE_API_KEY)
      ctx.addIssue({
        code: 'custom',
        path: ['PINECONE_API_KEY'],
        message: 'is required when KNOWLEDGE_VECTOR_STORE=pinecone',
      });
    if (!env.PINECONE_INDEX && !env.PINECONE_INDEX_HOST)
      ctx.addIssue({
        code: 'custom',
        path: ['PINECONE_INDEX'],
        message: 'PINECONE_INDEX or PINECONE_INDEX_HOST is required when KNOWLEDGE_VECTOR_STORE=pinecone',
      });
  }
  if (env.SECRETS_KEYS) {
    try {
      parseSecretKeys(env.SECRETS_KEYS);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['SECRETS_KEYS'], message: (err as Error).message });
    }
  } else if (env.NODE_ENV === 'production')
    ctx.addIssue({
      code: 'custom',
      path: ['SECRETS_KEYS'],
      message: 'is required in production: set it to keyId:base64key (a key is `openssl rand -base64 32`)',
    });
  if (env.VOICE_PROVIDER === 'elevenlabs' && !env.ELEVENLABS_API_KEY)
    ctx.addIssue({
      code: 'custom',
      path: ['ELEVENLABS_API_KEY'],
      message: 'is required when VOICE_PROVIDER=elevenlabs',
    });
}
