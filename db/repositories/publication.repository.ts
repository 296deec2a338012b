/**
 * Video publications, one row per platform and run, keyed by `<workflowId>/publish/<platform>`. The publish activity
 * reads the row before it uploads anything: a published row is the answer, a pending row holds the checkpoint
 * (`uploadState`) the upload resumes from. Returns plain objects. The checkpoint holds upload sessions, upload
 * tokens and pre-signed URLs: it is sealed with lib/secrets on write and opened on read.
 */
import { Op, type InferCreationAttributes } from 'sequelize';
import { sealedContext, type SecretBox } from '../../lib/secrets';
import type { Publication, PublicationStatus } from '../models/publication.model';
import type { Database } from '../index';
import type { VideoPlatform } from '../../lib/video/types';

export type { PublicationStatus };

export interface PublicationStats {
  views: number;
  likes: number;
  comments: number;
}

export interface PublicationRecord {
  id: string;
  workspaceId: string;
  brandId: string;
  workflowId: string;
  platform: VideoPlatform;
  status: PublicationStatus;
  externalId: string | null;
  url: string | null;
  idempotencyKey: string;
  uploadState: Record<string, unknown>;
  error: string | null;
  stats: PublicationStats | null;
  statsAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewPublication {
  idempotencyKey: string;
  workspaceId: string;
  brandId: string;
  workflowId: string;
  platform: VideoPlatform;
}

/** Thrown when an idempotency key is reused for another workspace, brand or platform. */
export class PublicationKeyConflict extends Error {}

const stateContext = (id: string) => sealedContext('publications', 'upload_state', id);

export function createPublicationRepository(db: Database, deps: { secrets: SecretBox }) {
  const { Publication } = db.models;
  const openState = (p: Publication): Record<string, unknown> => {
    const value = p.uploadState ?? '{}';
    // '{}' is a new row's empty checkpoint; anything written since is sealed.
    return JSON.parse(deps.secrets.isSealed(value) ? deps.secrets.open(value, stateContext(p.id)) : value) as Record<
      string,
      unknown
    >;
  };
  const sealState = (id: string, state: Record<string, unknown>) =>
    deps.secrets.seal(JSON.stringify(state), stateContext(id));
  const toRecord = (p: Publication): PublicationRecord => ({
    id: p.id,
    workspaceId: p.workspaceId,
    brandId: p.brandId,
    workflowId: p.workflowId,
    platform: p.platform as VideoPlatform,
    status: p.status,
    externalId: p.externalId,
    url: p.url,
    idempotencyKey: p.idempotencyKey,
    uploadState: openState(p),
    error: p.error,
    stats: p.stats,
    statsAt: p.statsAt ? p.statsAt.toISOString() : null,
    publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  });

  const update = async (id: string, fields: Partial<InferCreationAttributes<Publication>>) => {
    const [, rows] = await Publication.update(fields, { where: { id }, returning: true });
    if (rows.length === 0) throw new Error(`Publication ${id} does not exist`);
    return toRecord(rows[0]);
  };

  return {
    /** The row of this key, created pending on the first call. */
    async begin(input: NewPublication): Promise<{ publication: PublicationRecord; created: boolean }> {
      const [row, created] = await Publication.findOrCreate({
        where: { idempotencyKey: input.idempotencyKey },
        defaults: { ...input, status: 'pending', uploadState: '{}' },
      });
      if (row.workspaceId !== input.workspaceId || row.brandId !== input.brandId || row.platform !== input.platform) {
        throw new PublicationKeyConflict(
          `Idempotency key ${input.idempotencyKey} already belongs to another publication (${row.platform})`,
        );
      }
      // A failed publication tried again (a reset or re-run workflow) is pending again; its checkpoint is kept.
      if (row.status === 'failed') await row.update({ status: 'pending' });
      return { publication: toRecord(row), created };
    },

    async getByKey(idempotencyKey: string): Promise<PublicationRecord | null> {
      const row = await Publication.findOne({ where: { idempotencyKey } });
      return row ? toRecord(row) : null;
    },

    async get(id: string): Promise<PublicationRecord | null> {
      const row = await Publication.findByPk(id);
      return row ? toRecord(row) : null;
    },

    /** Replaces the upload checkpoint (and the platform's id when it handed one out). */
    async saveState(id: string, uploadState: Record<string, unknown>, externalId?: string): Promise<PublicationRecord> {
      const sealed = sealState(id, uploadState);
      return update(id, externalId === undefined ? { uploadState: sealed } : { uploadState: sealed, externalId });
    },

    async markPublished(id: string, result: { externalId: string; url: string }): Promise<PublicationRecord> {
      return update(id, { ...result, status: 'published', error: null, publishedAt: new Date() });
    },

    /** A failure retrying cannot fix; a later call with the same key starts over from the checkpoint. */
    async markFailed(id: string, error: string): Promise<PublicationRecord> {
      return update(id, { status: 'failed', error });
    },

    /** The last retryable error, for the operator; the row stays pending. */
    async noteError(id: string, error: string): Promise<void> {
      await Publication.update({ error }, { where: { id, status: 'pending' } });
    },

    async findPublished(
      workspaceId: string,
      brandId: string,
      platform: VideoPlatform,
      externalId: string,
    ): Promise<PublicationRecord | null> {
      const row = await Publication.findOne({
        where: { workspaceId, brandId, platform, externalId, status: 'published' },
        order: [['publishedAt', 'DESC']],
      });
      return row ? toRecord(row) : null;
    },

    /** The latest reading; `changes` carries what the platform revealed since (TikTok's post id and link). */
    async recordStats(
      id: string,
      stats: PublicationStats,
      at: Date,
      changes: { uploadState?: Record<string, unknown>; url?: string } = {},
    ): Promise<void> {
      const fields: Partial<InferCreationAttributes<Publication>> = { stats, statsAt: at };
      if (changes.uploadState) fields.uploadState = sealState(id, changes.uploadState);
      if (changes.url) fields.url = changes.url;
      await Publication.update(fields, { where: { id } });
    },

    /**
     * A brand's publications on the platforms (not its channel) published since `since` whose latest reading is older
     * than `readBefore` (or missing), least recently read first: the hourly analytics' work list.
     */
    async dueForReading(
      workspaceId: string,
      brandId: string,
      { since, readBefore, limit }: { since: Date; readBefore: Date; limit: number },
    ): Promise<PublicationRecord[]> {
      const rows = await Publication.findAll({
        where: {
          workspaceId,
          brandId,
          status: 'published',
          platform: { [Op.ne]: 'local' },
          publishedAt: { [Op.gte]: since },
          [Op.or]: [{ statsAt: null }, { statsAt: { [Op.lt]: readBefore } }],
        },
        order: [
          [db.sequelize.literal('stats_at IS NOT NULL'), 'ASC'],
          ['statsAt', 'ASC'],
          ['publishedAt', 'DESC'],
        ],
        limit,
      });
      return rows.map(toRecord);
    },

    async listByWorkflow(workflowId: string): Promise<PublicationRecord[]> {
      const rows = await Publication.findAll({ where: { workflowId }, order: [['createdAt', 'ASC']] });
      return rows.map(toRecord);
    },
  };
}

export type PublicationRepository = ReturnType<typeof createPublicationRepository>;
