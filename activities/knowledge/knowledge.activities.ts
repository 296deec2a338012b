/**
 * Knowledge-base activities, built from injected dependencies (file storage, embedder, vector store, repository) so
 * the worker picks the providers once and tests can pass any of them.
 *
 * - `indexDocument` reads the original from file storage, extracts, chunks and embeds it, then replaces the
 *   document's passages in the store (one transaction in PostgreSQL). Safe to retry and to re-run: it replaces.
 *   It heartbeats per embedding batch and stops when cancelled. A failure retrying cannot fix marks the document
 *   `failed` with the reason before it is rethrown.
 * - `deleteKnowledgeDocument` removes the passages, the original file and the row; each step is idempotent.
 * - `retrievePassages` embeds one query per report dimension and returns the brand's best passages for each.
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { KnowledgeRepository } from '../../db/repositories/knowledge.repository';
import type { FileStorage } from '../storage';
import { chunkBlocks, embeddingInput, type ChunkOptions } from './chunk';
import type { Embedder } from './embeddings.port';
import { extractText, type ExtractOptions } from './extract';
import { loadCl100kTokens } from './tokens';
import type { KnowledgeDocumentKey, StoredChunk, VectorStore } from './vector-store.port';
import { withHeartbeat } from '../shared/heartbeat';
import { failure } from '../../lib/failures';

export interface KnowledgeActivityDeps {
  storage: FileStorage;
  embedder: Embedder;
  store: VectorStore;
  repo: KnowledgeRepository;
  /** Passage sizes; tokens are counted with cl100k_base unless `tokenizer` says otherwise. */
  chunking?: ChunkOptions;
  extraction?: Pick<ExtractOptions, 'pdfTimeoutMs' | 'pdftotextPath'>;
  /** A document that yields more passages than this is refused as `InvalidInput`; default 5,000. */
  maxChunksPerDocument?: number;
}

export type KnowledgeDocumentInput = KnowledgeDocumentKey;

export interface IndexDocumentResult {
  documentId: string;
  chunkCount: number;
  tokenCount: number;
  /** `Embedder.id`, e.g. `lexical:hashed-ngrams-v1:512`. */
  embedder: string;
  store: string;
  /** The title the document states for itself (HTML title, first heading), which a UI may offer as its name. */
  extractedTitle: string | null;
}

export interface DeleteDocumentResult {
  documentId: string;
  /** False when the document was already gone (a retried or repeated delete). */
  deleted: boolean;
}

export interface PassageQuery {
  /** The report dimension the query serves, e.g. `identity`; results are keyed by it. */
  dimension: string;
  query: string;
}

export interface RetrievePassagesInput {
  workspaceId: string;
  brandId: string;
  queries: PassageQuery[];
  /** Passages per query; default 5, at most 50. */
  topK?: number;
  /** Keep passages scoring above this cosine similarity; default the embedder's `relevanceFloor`. */
  minScore?: number;
}

export interface Passage {
  documentId: string;
  title: string;
  heading: string | null;
  text: string;
  ordinal: number;
  /** Cosine similarity, rounded to 4 decimals. */
  score: number;
}

export interface DimensionPassages {
  dimension: string;
  query: string;
  passages: Passage[];
}

export interface RetrievePassagesResult {
  /** In the order of the input queries. */
  results: DimensionPassages[];
  /** The same passages keyed by dimension (a dimension asked twice keeps its last query's passages). */
  byDimension: Record<string, Passage[]>;
  embedder: string;
  store: string;
  /** The brand's documents embedded with the current embedder, i.e. the ones searched. */
  documentsSearched: number;
  /** Documents pending, failed before their first indexing, or embedded by another embedder (re-index them). */
  documentsNotSearchable: number;
}

const retrieveSchema = z.object({
  workspaceId: z.string().min(1),
  brandId: z.string().min(1),
  queries: z
    .array(z.object({ dimension: z.string().trim().min(1).max(100), query: z.string().trim().min(1).max(4000) }))
    .min(1)
    .max(50),
  topK: z.number().int().min(1).max(50).default(5),
  minScore: z.number().min(-1).max(1).optional(),
});

/** Indexing reports progress per embedding batch; the timer only keeps a slow extraction alive. */
const HEARTBEAT_INTERVAL_MS = 5_000;

const invalid = (message: string) => failure('InvalidInput', message);

function isFinalFailure(err: unknown, signal: AbortSignal): boolean {
  return !signal.aborted && err instanceof ApplicationFailure && err.nonRetryable === true;
}

export function createKnowledgeActivities(deps: KnowledgeActivityDeps) {
  const { storage, embedder, store, repo } = deps;
  const maxChunks = deps.maxChunksPerDocument ?? 5000;

  async function findDocument(input: KnowledgeDocumentInput) {
    const doc = await repo.getDocument(input.workspaceId, input.documentId);
    return doc && doc.brandId === input.brandId ? doc : null;
  }

  return {
    async indexDocument(input: KnowledgeDocumentInput): Promise<IndexDocumentResult> {
      const signal = Context.current().cancellationSignal;
      const doc = await findDocument(input);
      if (!doc) {
        throw failure('NotFound', `Knowledge document ${input.documentId} was not found`);
      }
      const key: KnowledgeDocumentKey = { workspaceId: doc.workspaceId, brandId: doc.brandId, documentId: doc.id };
      // Extraction (pdftotext) and a slow store can outlast the heartbeat timeout: the kit beats on a timer as well.
      return withHeartbeat<Record<string, unknown>, IndexDocumentResult>(
        { stage: 'extract' },
        async (heartbeat) => {
          const beat = (next: Record<string, unknown>) => heartbeat.beat(next);
          try {
            const data = await storage.get(doc.fileKey);
            if (!data) {
              throw failure('NotFound', `The original file ${doc.fileKey} is missing`);
            }
            const extracted = await extractText(data, doc.sourceType, { ...deps.extraction, signal });
            const tokenizer = deps.chunking?.tokenizer ?? (await loadCl100kTokens());
            const chunks = chunkBlocks(extracted.blocks, { ...deps.chunking, tokenizer });
            if (chunks.length === 0) throw invalid('The document contains no text to index');
            if (chunks.length > maxChunks) {
              throw invalid(`The document yields ${chunks.length} passages, more than the ${maxChunks} allowed`);
            }

            const stored: StoredChunk[] = [];
            for (let i = 0; i < chunks.length; i += embedder.batchSize) {
              signal.throwIfAborted();
              const batch = chunks.slice(i, i + embedder.batchSize);
              const vectors = await embedder.embedDocuments(
                batch.map((c) => embeddingInput(c, doc.title)),
                { signal },
              );
              batch.forEach((c, j) => stored.push({ ...c, vector: vectors[j] }));
              beat({ stage: 'embed', embedded: stored.length, total: chunks.length });
            }

            beat({ stage: 'store', total: chunks.length });
            await store.replaceDocument(key, stored, embedder.id, { signal });
            await repo.markIndexed(doc.workspaceId, doc.id, {
              chunkCount: chunks.length,
              embeddingProvider: embedder.id,
            });
            const tokenCount = chunks.reduce((n, c) => n + c.tokenCount, 0);
            log.info('Knowledge document indexed', {
              documentId: doc.id,
              sourceType: doc.sourceType,
              chunks: chunks.length,
              tokens: tokenCount,
              embedder: embedder.id,
              store: store.name,
            });
            return {
              documentId: doc.id,
              chunkCount: chunks.length,
              tokenCount,
              embedder: embedder.id,
              store: store.name,
              extractedTitle: extracted.title,
            };
          } catch (err) {
            if (isFinalFailure(err, signal)) await repo.markFailed(doc.workspaceId, doc.id, (err as Error).message);
            throw err;
          }
        },
        { intervalMs: HEARTBEAT_INTERVAL_MS },
      );
    },

    /** For a workflow whose `indexDocument` ran out of retries: records why on the document. */
    async markDocumentFailed(input: KnowledgeDocumentInput & { error: string }): Promise<void> {
      if (await findDocument(input)) await repo.markFailed(input.workspaceId, input.documentId, input.error);
    },

    async deleteKnowledgeDocument(input: KnowledgeDocumentInput): Promise<DeleteDocumentResult> {
      const { cancellationSignal: signal } = Context.current();
      const existing = await repo.getDocument(input.workspaceId, input.documentId);
      if (existing && existing.brandId !== input.brandId) {
        throw failure('NotFound', `Knowledge document ${input.documentId} was not found`);
      }
      // Passages first, then the file, then the row: a retry after any step finds the row and finishes the job.
      await store.deleteDocument(input, { signal });
      if (existing) await storage.delete(existing.fileKey);
      const deleted = (await repo.deleteDocument(input.workspaceId, input.documentId)) !== null;
      log.info('Knowledge document deleted', { documentId: input.documentId, deleted, store: store.name });
      return { documentId: input.documentId, deleted };
    },

    async retrievePassages(raw: RetrievePassagesInput): Promise<RetrievePassagesResult> {
      const parsed = retrieveSchema.safeParse(raw);
      if (!parsed.success) {
        throw invalid(
          `Invalid passage request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
        );
      }
      const input = parsed.data;
      const minScore = input.minScore ?? embedder.relevanceFloor;
      const { cancellationSignal: signal } = Context.current();

      const summary = await repo.documentSummary(input.workspaceId, input.brandId);
      const total = summary.reduce((n, s) => n + s.count, 0);
      const searched = summary.filter((s) => s.embeddingProvider === embedder.id).reduce((n, s) => n + s.count, 0);

      let matches: Awaited<ReturnType<VectorStore['search']>> = input.queries.map(() => []);
      if (searched > 0) {
        const vectors = await Promise.all(input.queries.map((q) => embedder.embedQuery(q.query, { signal })));
        matches = await store.search(
          {
            workspaceId: input.workspaceId,
            brandId: input.brandId,
            embedderId: embedder.id,
            vectors,
            topK: input.topK,
          },
          { signal },
        );
      }

      // Titles come from the documents table, which also drops passages a remote store still holds for a deleted
      // document.
      const docs = await repo.documentsByIds(input.workspaceId, [...new Set(matches.flat().map((m) => m.documentId))]);
      const titles = new Map(docs.filter((d) => d.brandId === input.brandId).map((d) => [d.id, d.title]));

      const results = input.queries.map((q, i): DimensionPassages => ({
        dimension: q.dimension,
        query: q.query,
        passages: (matches[i] ?? [])
          .filter((m) => titles.has(m.documentId) && m.score > minScore)
          .map((m) => ({
            documentId: m.documentId,
            title: titles.get(m.documentId)!,
            heading: m.heading,
            text: m.text,
            ordinal: m.ordinal,
            score: Math.round(m.score * 10_000) / 10_000,
          })),
      }));
      log.info('Knowledge passages retrieved', {
        brandId: input.brandId,
        queries: input.queries.length,
        passages: results.reduce((n, r) => n + r.passages.length, 0),
        documentsSearched: searched,
        embedder: embedder.id,
        store: store.name,
      });
      return {
        results,
        byDimension: Object.fromEntries(results.map((r) => [r.dimension, r.passages])),
        embedder: embedder.id,
        store: store.name,
        documentsSearched: searched,
        documentsNotSearchable: total - searched,
      };
    },
  };
}

export type KnowledgeActivities = ReturnType<typeof createKnowledgeActivities>;
