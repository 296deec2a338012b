/**
 * The knowledge base's documents and chunks, always scoped to a workspace. Returns plain objects.
 *
 * Chunks hold their embedding as `REAL[]`; similarity is a dot product in SQL (vectors are stored L2-normalised, so
 * it equals the cosine). When the migration could add pgvector's `embedding_vec` column, vectors of its dimension are
 * copied there too and searched with pgvector's `<=>` operator instead.
 */
import { QueryTypes, type Transaction } from 'sequelize';
import type { KnowledgeDocument, KnowledgeDocumentStatus, KnowledgeSourceType } from '../models/knowledge.model';
import type { Database } from '../index';
import { newestFirst, newestFirstPage, type NewestFirstCursor } from './paging';

export interface KnowledgeDocumentRecord {
  id: string;
  workspaceId: string;
  brandId: string;
  title: string;
  sourceType: KnowledgeSourceType;
  fileKey: string;
  bytes: number;
  sha256: string;
  status: KnowledgeDocumentStatus;
  chunkCount: number;
  embeddingProvider: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewKnowledgeDocument {
  /** Optional, so a caller can derive the file key from the id before the row exists. */
  id?: string;
  brandId: string;
  title: string;
  sourceType: KnowledgeSourceType;
  fileKey: string;
  bytes: number;
  sha256: string;
}

/** Identifies a document together with the tenant and brand it must belong to. */
export interface KnowledgeDocumentRef {
  workspaceId: string;
  brandId: string;
  documentId: string;
}

export interface KnowledgeChunkInput {
  ordinal: number;
  heading: string | null;
  text: string;
  tokenCount: number;
  /** L2-normalised. */
  embedding: number[];
}

export interface KnowledgeChunkRecord {
  id: string;
  documentId: string;
  ordinal: number;
  heading: string | null;
  text: string;
  tokenCount: number;
}

export interface KnowledgeChunkMatch extends KnowledgeChunkRecord {
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

export interface KnowledgeSearch {
  workspaceId: string;
  brandId: string;
  /** Only chunks embedded by this embedder are comparable with the query vectors. */
  embeddingProvider: string;
  /** L2-normalised query vectors; one result list per vector, in the same order. */
  vectors: number[][];
  topK: number;
}

const INSERT_BATCH = 250;

const toRecord = (d: KnowledgeDocument): KnowledgeDocumentRecord => ({
  id: d.id,
  workspaceId: d.workspaceId,
  brandId: d.brandId,
  title: d.title,
  sourceType: d.sourceType,
  fileKey: d.fileKey,
  bytes: d.bytes,
  sha256: d.sha256,
  status: d.status,
  chunkCount: d.chunkCount,
  embeddingProvider: d.embeddingProvider,
  error: d.error,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

interface MatchRow {
  query_index: number;
  id: string;
  document_id: string;
  ordinal: number;
  heading: string | null;
  text: string;
  token_count: number;
  score: number;
}

export function createKnowledgeRepository(db: Database) {
  const { Brand, KnowledgeChunk, KnowledgeDocument } = db.models;
  const { sequelize } = db;
  let vectorColumn: Promise<{ dimensions: number } | null> | undefined;

  /** pgvector's column and its dimension, looked up once per process; null without pgvector. */
  function pgvector(): Promise<{ dimensions: number } | null> {
    vectorColumn ??= sequelize
      .query<{ type: string }>(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = 'knowledge_chunks'::regclass AND attname = 'embedding_vec' AND NOT attisdropped`,
        { type: QueryTypes.SELECT },
      )
      .then((rows) => {
        const dimensions = Number(/\((\d+)\)/.exec(rows[0]?.type ?? '')?.[1]);
        return Number.isInteger(dimensions) && dimensions > 0 ? { dimensions } : null;
      })
      .catch((err: unknown) => {
        vectorColumn = undefined;
        throw err;
      });
    return vectorColumn;
  }

  async function insertChunks(ref: KnowledgeDocumentRef, chunks: KnowledgeChunkInput[], transaction: Transaction) {
    for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
      await KnowledgeChunk.bulkCreate(
        chunks.slice(i, i + INSERT_BATCH).map((c) => ({
          documentId: ref.documentId,
          brandId: ref.brandId,
          workspaceId: ref.workspaceId,
          ordinal: c.ordinal,
          heading: c.heading,
          text: c.text,
          tokenCount: c.tokenCount,
          embedding: c.embedding,
        })),
        { transaction, validate: false, returning: false },
      );
    }
    const vec = await pgvector();
    if (vec && chunks[0]?.embedding.length === vec.dimensions) {
      await sequelize.query('UPDATE knowledge_chunks SET embedding_vec = embedding::vector WHERE document_id = :id', {
        replacements: { id: ref.documentId },
        transaction,
      });
    }
  }

  return {
    /** Null when the brand is not in the workspace. */
    async createDocument(workspaceId: string, fields: NewKnowledgeDocument): Promise<KnowledgeDocumentRecord | null> {
      const brand = await Brand.findOne({ where: { id: fields.brandId, workspaceId }, attributes: ['id'] });
      if (!brand) return null;
      const { id, ...rest } = fields;
      const doc = await KnowledgeDocument.create({ ...rest, ...(id ? { id } : {}), workspaceId, status: 'pending' });
      return toRecord(doc);
    },

    async getDocument(workspaceId: string, id: string): Promise<KnowledgeDocumentRecord | null> {
      const doc = await KnowledgeDocument.findOne({ where: { id, workspaceId } });
      return doc ? toRecord(doc) : null;
    },

    /** The same content already uploaded for the brand, if any (so an upload can be refused or reused). */
    async findBySha256(workspaceId: string, brandId: string, sha256: string): Promise<KnowledgeDocumentRecord | null> {
      const doc = await KnowledgeDocument.findOne({
        where: { workspaceId, brandId, sha256 },
        order: [['createdAt', 'ASC']],
      });
      return doc ? toRecord(doc) : null;
    },

    async documentsByIds(workspaceId: string, ids: readonly string[]): Promise<KnowledgeDocumentRecord[]> {
      if (ids.length === 0) return [];
      const docs = await KnowledgeDocument.findAll({ where: { workspaceId, id: [...new Set(ids)] } });
      return docs.map(toRecord);
    },

    /** A brand's documents, newest first; the cursor is the last item's `createdAt|id`. */
    async listDocuments(
      workspaceId: string,
      brandId: string,
      options: { limit: number; cursor?: NewestFirstCursor },
    ): Promise<{ items: KnowledgeDocumentRecord[]; hasMore: boolean }> {
      const rows = await KnowledgeDocument.findAll(newestFirst({ workspaceId, brandId }, options));
      return newestFirstPage(rows, options.limit, toRecord);
    },

    async updateTitle(workspaceId: string, id: string, title: string): Promise<KnowledgeDocumentRecord | null> {
      const doc = await KnowledgeDocument.findOne({ where: { id, workspaceId } });
      if (!doc) return null;
      await doc.update({ title });
      return toRecord(doc);
    },

    /** Deletes the document and (by cascade) its chunks; returns what was deleted, so the caller can remove the file. */
    async deleteDocument(workspaceId: string, id: string): Promise<KnowledgeDocumentRecord | null> {
      return sequelize.transaction(async (transaction) => {
        const doc = await KnowledgeDocument.findOne({ where: { id, workspaceId }, transaction, lock: true });
        if (!doc) return null;
        const record = toRecord(doc);
        await doc.destroy({ transaction });
        return record;
      });
    },

    async markIndexed(
      workspaceId: string,
      id: string,
      result: { chunkCount: number; embeddingProvider: string },
    ): Promise<KnowledgeDocumentRecord | null> {
      const doc = await KnowledgeDocument.findOne({ where: { id, workspaceId } });
      if (!doc) return null;
      await doc.update({ status: 'indexed', error: null, ...result });
      return toRecord(doc);
    },

    async markFailed(workspaceId: string, id: string, error: string): Promise<KnowledgeDocumentRecord | null> {
      const doc = await KnowledgeDocument.findOne({ where: { id, workspaceId } });
      if (!doc) return null;
      await doc.update({ status: 'failed', error: error.slice(0, 2000) });
      return toRecord(doc);
    },

    /**
     * Replaces every chunk of the document in one transaction, and records the embedder and count on the document
     * in the same transaction, so a search never mixes old and new chunks or compares vectors of different embedders.
     * Returns false when the document is not (or no longer) in the workspace and brand.
     */
    async replaceChunks(
      ref: KnowledgeDocumentRef,
      chunks: KnowledgeChunkInput[],
      embeddingProvider: string,
    ): Promise<boolean> {
      return sequelize.transaction(async (transaction) => {
        // The row lock serialises concurrent re-indexes of one document and waits out a concurrent delete.
        const doc = await KnowledgeDocument.findOne({
          where: { id: ref.documentId, workspaceId: ref.workspaceId, brandId: ref.brandId },
          transaction,
          lock: true,
        });
        if (!doc) return false;
        await KnowledgeChunk.destroy({ where: { documentId: ref.documentId }, transaction });
        await insertChunks(ref, chunks, transaction);
        await doc.update({ chunkCount: chunks.length, embeddingProvider }, { transaction });
        return true;
      });
    },

    async deleteChunks(ref: KnowledgeDocumentRef): Promise<number> {
      return KnowledgeChunk.destroy({
        where: { documentId: ref.documentId, workspaceId: ref.workspaceId, brandId: ref.brandId },
      });
    },

    /** How a brand's documents stand: counts by status and embedder, to tell which ones a search can see. */
    async documentSummary(
      workspaceId: string,
      brandId: string,
    ): Promise<{ status: KnowledgeDocumentStatus; embeddingProvider: string | null; count: number }[]> {
      const rows = await sequelize.query<{
        status: KnowledgeDocumentStatus;
        embedding_provider: string | null;
        count: number;
      }>(
        `SELECT status, embedding_provider, count(*)::int AS count FROM knowledge_documents
          WHERE workspace_id = :workspaceId AND brand_id = :brandId GROUP BY status, embedding_provider`,
        { type: QueryTypes.SELECT, replacements: { workspaceId, brandId } },
      );
      return rows.map((r) => ({ status: r.status, embeddingProvider: r.embedding_provider, count: r.count }));
    },

    async countChunks(workspaceId: string, where: { brandId?: string; documentId?: string } = {}): Promise<number> {
      return KnowledgeChunk.count({ where: { workspaceId, ...where } });
    },

    /** A document's chunks in order, without their embeddings (for previews and for re-syncing a vector store). */
    async listChunks(workspaceId: string, documentId: string): Promise<KnowledgeChunkRecord[]> {
      const rows = await KnowledgeChunk.findAll({
        where: { workspaceId, documentId },
        attributes: ['id', 'documentId', 'ordinal', 'heading', 'text', 'tokenCount'],
        order: [['ordinal', 'ASC']],
      });
      return rows.map((c) => ({
        id: c.id,
        documentId: c.documentId,
        ordinal: c.ordinal,
        heading: c.heading,
        text: c.text,
        tokenCount: c.tokenCount,
      }));
    },

    /** The best `topK` chunks of the brand for each query vector, best first. */
    async searchChunks(search: KnowledgeSearch): Promise<KnowledgeChunkMatch[][]> {
      const results: KnowledgeChunkMatch[][] = search.vectors.map(() => []);
      if (search.vectors.length === 0 || search.topK <= 0) return results;
      const dimensions = search.vectors[0].length;
      const vec = await pgvector();
      const rows =
        vec && vec.dimensions === dimensions ? await searchPgvector(search) : await searchArrays(search, dimensions);
      for (const row of rows) {
        results[row.query_index].push({
          id: row.id,
          documentId: row.document_id,
          ordinal: row.ordinal,
          heading: row.heading,
          text: row.text,
          tokenCount: row.token_count,
          score: Number(row.score),
        });
      }
      return results;
    },

    pgvector,
  };

  /**
   * Dot products over REAL[] in SQL, all query vectors in one pass over the brand's chunks. Each query becomes a sum
   * of `e[i] * w` over its non-zero weights (lexical queries have a few dozen), which measured 5-15x faster than
   * `unnest`-ing both arrays per row for a lexical query and ~3x for a dense one, and 4-8x faster than fetching the
   * arrays and scoring in Node (parsing ~1M floats dominates there). The cast to float8[] in the inner
   * select reads each (TOASTed) array once per row; subscripting the column itself would fetch it again for every
   * subscript. The scores are computed side by side in one projection and unpivoted with `unnest`: a `LATERAL
   * (VALUES ...)` list measured 6-17x slower, as it re-reads the array for every reference.
   */
  async function searchArrays(search: KnowledgeSearch, dimensions: number): Promise<MatchRow[]> {
    const scores = search.vectors.map((v) => dotProductSql('c.e', v)).join(',\n');
    return sequelize.query<MatchRow>(
      `WITH scored AS (
         SELECT c.id, (s.ord - 1)::int AS query_index, s.score
           FROM (SELECT k.id, k.embedding::float8[] AS e
                   FROM knowledge_chunks k
                   JOIN knowledge_documents d ON d.id = k.document_id AND d.embedding_provider = :provider
                  WHERE k.workspace_id = :workspaceId AND k.brand_id = :brandId
                    AND array_length(k.embedding, 1) = :dimensions
                 OFFSET 0) AS c,
                unnest(ARRAY[${scores}]) WITH ORDINALITY AS s(score, ord)
       ),
       ranked AS (
         SELECT *, row_number() OVER (PARTITION BY query_index ORDER BY score DESC, id) AS rank FROM scored
       )
       SELECT r.query_index, r.score, k.id, k.document_id, k.ordinal, k.heading, k.text, k.token_count
         FROM ranked r JOIN knowledge_chunks k ON k.id = r.id
        WHERE r.rank <= :topK
        ORDER BY r.query_index, r.rank`,
      {
        type: QueryTypes.SELECT,
        replacements: {
          provider: search.embeddingProvider,
          workspaceId: search.workspaceId,
          brandId: search.brandId,
          dimensions,
          topK: search.topK,
        },
      },
    );
  }

  /** pgvector: cosine distance with `<=>`, one indexed query per vector. */
  async function searchPgvector(search: KnowledgeSearch): Promise<MatchRow[]> {
    const perQuery = await Promise.all(
      search.vectors.map((v, queryIndex) =>
        sequelize.query<MatchRow>(
          `SELECT :queryIndex AS query_index, 1 - (c.embedding_vec <=> CAST(:v AS vector)) AS score,
                  c.id, c.document_id, c.ordinal, c.heading, c.text, c.token_count
             FROM knowledge_chunks c
             JOIN knowledge_documents d ON d.id = c.document_id AND d.embedding_provider = :provider
            WHERE c.workspace_id = :workspaceId AND c.brand_id = :brandId AND c.embedding_vec IS NOT NULL
            ORDER BY c.embedding_vec <=> CAST(:v AS vector), c.id
            LIMIT :topK`,
          {
            type: QueryTypes.SELECT,
            replacements: {
              queryIndex,
              v: `[${v.join(',')}]`,
              provider: search.embeddingProvider,
              workspaceId: search.workspaceId,
              brandId: search.brandId,
              topK: search.topK,
            },
          },
        ),
      ),
    );
    return perQuery.flat();
  }
}

/**
 * `e[1] * w1 + e[7] * w7 + ...` over the vector's non-zero weights, summed in groups so a dense vector does not nest
 * thousands of levels deep in PostgreSQL's expression tree. Only numbers we format ourselves reach the SQL.
 */
export function dotProductSql(column: string, vector: readonly number[]): string {
  const terms: string[] = [];
  vector.forEach((w, i) => {
    if (!Number.isFinite(w)) throw new Error(`Query vector has a non-finite value at ${i}`);
    if (w !== 0) terms.push(`${column}[${i + 1}] * ${w < 0 ? `(${w.toPrecision(9)})` : w.toPrecision(9)}`);
  });
  if (terms.length === 0) return '0::float8';
  let level = terms;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 32) next.push(`(${level.slice(i, i + 32).join(' + ')})`);
    level = next;
  }
  return level[0];
}

export type KnowledgeRepository = ReturnType<typeof createKnowledgeRepository>;
