/**
 * Reading what the platforms say of published posts and videos (views, likes, comments), stored on the publications
 * rows for the brand's KPIs:
 *
 * - `readVideoStats`: the publications of one video (the video analytics workflow, at its interval); the local
 *   channel counts its page views.
 * - `readPublicationStats`: a brand's recent publications on the platforms, posts and videos alike, least recently
 *   read first (the calendar's hourly analytics).
 *
 * Each platform is read through the brand's connected account first, then the deployment's keys. A platform that
 * cannot answer is left out of the reading; when nothing could be read and the cause is passing, the activity fails
 * retryably.
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Publication, VideoStats } from '../../lib/video/types';
import { failure } from '../../lib/failures';
import { mapLimit } from '../../lib/map-limit';
import type { PublicationRecord } from '../../db/repositories/publication.repository';
import { rethrowIfCancelled } from './http';
import type { ExternalPlatform, PlatformClient, PlatformStats } from './platform-client.port';
import type { PublishActivityDeps, ReadVideoStatsInput } from './publish.activities';
import { PLATFORM_SETUP } from './setup';

/** How far back the hourly reading looks, how stale a reading may be before it is read again, and how many per run. */
export const RECENT_DAYS = 30;
export const READ_AGAIN_AFTER_MS = 50 * 60_000;
export const READINGS_PER_BRAND = 200;

/** The brand's connected account for the platform, else the deployment's client; undefined when it has neither. */
export async function platformClientOf(
  deps: Pick<PublishActivityDeps, 'accounts' | 'clients'>,
  target: { workspaceId: string; brandId: string; platform: ExternalPlatform },
): Promise<{ client: PlatformClient; accountId?: string } | undefined> {
  const account = await deps.accounts?.forBrand(target.workspaceId, target.brandId, target.platform);
  if (account) return account;
  const client = deps.clients[target.platform];
  return client ? { client } : undefined;
}

export function asFailure(err: unknown, provider: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  return failure('ProviderUnavailable', `${provider}: ${message}`, { cause: err instanceof Error ? err : undefined });
}

export function createPublicationStats(deps: PublishActivityDeps) {
  /** One platform's reading of one publication, bounded in time; null when it has none yet. */
  async function platformStats(
    target: { workspaceId: string; brandId: string; platform: ExternalPlatform },
    ref: { externalId: string; url: string | null; state: Record<string, unknown> },
  ): Promise<PlatformStats | null> {
    const resolved = await platformClientOf(deps, target);
    if (!resolved) {
      log.warn(`${PLATFORM_SETUP[target.platform].name} is no longer configured; its stats are not read`);
      return null;
    }
    const { client } = resolved;
    const timeoutMs = deps.statsTimeoutMs ?? 12_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await client.stats({
        externalId: ref.externalId,
        url: ref.url ?? undefined,
        state: ref.state,
        signal: AbortSignal.any([Context.current().cancellationSignal, timeout]),
      });
    } catch (err) {
      if (timeout.aborted && !Context.current().cancellationSignal.aborted)
        throw failure('ProviderUnavailable', `${client.name}: no stats within ${timeoutMs} ms`);
      throw err;
    }
  }

  async function videoStatsOf(input: ReadVideoStatsInput, p: Publication, at: Date): Promise<VideoStats | null> {
    if (p.status !== 'published' || !p.externalId) return null;
    const row = await deps.publications.findPublished(input.workspaceId, input.brandId, p.platform, p.externalId);
    let stats: PlatformStats | null;
    if (p.platform === 'local') {
      const post = await deps.posts.get(p.externalId);
      if (!post || post.brandId !== input.brandId || post.workspaceId !== input.workspaceId) return null;
      // The local channel counts page views; it has no likes or comments.
      stats = { views: post.views, likes: 0, comments: 0 };
    } else {
      stats = await platformStats(
        { ...input, platform: p.platform },
        { externalId: p.externalId, url: p.url ?? null, state: row?.uploadState ?? {} },
      );
      if (!stats) return null;
    }
    const values = { views: stats.views, likes: stats.likes, comments: stats.comments };
    if (row) await deps.publications.recordStats(row.id, values, at, { uploadState: stats.state, url: stats.url });
    return { platform: p.platform, ...values, at: at.toISOString() };
  }

  /** Each item read, its failure logged and kept; nothing read while a passing failure happened fails retryably. */
  async function readEach<T, R>(
    items: T[],
    readOne: (item: T) => Promise<R | null>,
    provider: (item: T) => string,
  ): Promise<{ read: R[]; failed: number }> {
    const failures: ApplicationFailure[] = [];
    const results = await mapLimit(items, 4, async (item) => {
      try {
        return await readOne(item);
      } catch (err) {
        rethrowIfCancelled(err, Context.current().cancellationSignal);
        const failed = asFailure(err, provider(item));
        failures.push(failed);
        log.warn('Could not read publication stats', { provider: provider(item), error: failed.message });
        return null;
      }
    });
    const read = results.filter((r): r is R => r !== null);
    const passing = failures.find((f) => !f.nonRetryable);
    if (read.length === 0 && passing) throw passing;
    return { read, failed: failures.length };
  }

  return {
    async readVideoStats(input: ReadVideoStatsInput): Promise<VideoStats[]> {
      const at = new Date();
      const { read } = await readEach(
        input.publications,
        (p) => videoStatsOf(input, p, at),
        (p) => (p.platform === 'local' ? 'Local channel' : PLATFORM_SETUP[p.platform].name),
      );
      return read;
    },

    /**
     * The brand's publications on the platforms from the last `RECENT_DAYS` whose reading is older than
     * `READ_AGAIN_AFTER_MS`: each read and stored (a repeat within the hour reads nothing again).
     */
    async readPublicationStats(input: {
      workspaceId: string;
      brandId: string;
    }): Promise<{ read: number; failed: number; due: number }> {
      const now = Date.now();
      const due = await deps.publications.dueForReading(input.workspaceId, input.brandId, {
        since: new Date(now - RECENT_DAYS * 86_400_000),
        readBefore: new Date(now - READ_AGAIN_AFTER_MS),
        limit: READINGS_PER_BRAND,
      });
      const at = new Date(now);
      const { read, failed } = await readEach(
        due,
        async (row: PublicationRecord) => {
          if (row.platform === 'local' || !row.externalId) return null;
          const stats = await platformStats(
            { ...input, platform: row.platform },
            { externalId: row.externalId, url: row.url, state: row.uploadState },
          );
          if (!stats) return null;
          const values = { views: stats.views, likes: stats.likes, comments: stats.comments };
          await deps.publications.recordStats(row.id, values, at, { uploadState: stats.state, url: stats.url });
          Context.current().heartbeat({ read: row.id });
          return row.id;
        },
        (row) => (row.platform === 'local' ? 'Local channel' : PLATFORM_SETUP[row.platform].name),
      );
      return { read: read.length, failed, due: due.length };
    },
  };
}
