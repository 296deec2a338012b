/**
 * Text activities: built from an injected writer (usually the chain from `createTextWritersFromConfig`), so the
 * worker decides the providers once and tests can pass any `TextWriter`.
 */
import { log } from '@temporalio/activity';
import { withHeartbeat } from '../shared/heartbeat';
import { type PostCopy } from '../../lib/social';
import { type PostCopyRequest, type TextUsage, type TextWriter, type WriterFallback } from './text-writer.port';

export interface GeneratedCopy {
  copy: PostCopy;
  /** The provider that wrote the copy, and the providers skipped before it: recorded on the run. */
  provider: string;
  model?: string;
  usage?: TextUsage;
  fallbacks: WriterFallback[];
}

export interface TextActivityDeps {
  writer: TextWriter;
}

export function createTextActivities({ writer }: TextActivityDeps) {
  return {
    async generatePostCopy(input: PostCopyRequest): Promise<GeneratedCopy> {
      // The kit beats while the model writes, so a cancel reaches the call in seconds and aborts it.
      const result = await withHeartbeat({ stage: 'writing' }, ({ signal }) => writer.writePostCopy(input, { signal }));
      const fallbacks = result.fallbacks ?? [];
      for (const fallback of fallbacks) log.warn('Text provider skipped', { ...fallback });
      log.info('Post copy generated', {
        provider: result.provider,
        model: result.model,
        platform: input.platform,
        postType: input.postType,
        inputTokens: result.usage?.inputTokens,
        outputTokens: result.usage?.outputTokens,
        costUsd: result.usage?.costUsd,
        fallbacks: fallbacks.length,
      });
      return { copy: result.value, provider: result.provider, model: result.model, usage: result.usage, fallbacks };
    },
  };
}

export type TextActivities = ReturnType<typeof createTextActivities>;
