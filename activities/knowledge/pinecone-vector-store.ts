/**
 * Pinecone as the vector store, through `@pinecone-database/pinecone` (imported on first use).
 *
 * - One namespace per workspace (`<prefix><workspaceId>`), so a tenant's vectors never share a namespace with
 *   another's; searches also filter on `brandId` and on the embedder id.
 * - Record ids are `<documentId>#<ordinal>`: re-indexing upserts over the same ids, then deletes the ids past the new
 *   last ordinal (listed by id prefix), so a document is never without vectors mid-way. Listing by prefix needs a
 *   serverless index, which is what Pinecone creates today.
 * - Metadata: `brandId`, `documentId`, `ordinal`, `heading`, `text`, `tokenCount`, `embedder`. The passage text rides
 *   in metadata (as LangChain's PineconeStore does) so a search needs no second lookup.
 * - The index must use the `cosine` metric and the embedder's dimension.
 * - Temporal owns retries: the client gets `maxRetries: 0` and every request a timeout; failures leave as typed
 *   `ApplicationFailure`s.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { KnowledgeDocumentKey, StoredChunk, VectorMatch, VectorStore } from './vector-store.port';
import { type FailureType, failure } from '../../lib/failures';

export interface PineconeVectorStoreOptions {
  apiKey: string;
  /** The index's data-plane host (`https://<index>-<project>.svc.<region>.pinecone.io`); skips a describe call. */
  indexHost?: string;
  /** The index name, resolved to its host through the control plane when `indexHost` is not given. */
  indexName?: string;
  /** Control-plane URL; default https://api.pinecone.io. */
  controllerHostUrl?: string;
  /** Prepended to the workspace id to name its namespace; default `ws-`. */
  namespacePrefix?: string;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  /** Records per upsert request; default 100 (Pinecone caps a request at 2 MB). */
  upsertBatchSize?: number;
}

type ChunkMetadata = {
  brandId: string;
  documentId: string;
  ordinal: number;
  heading: string;
  text: string;
  tokenCount: number;
  embedder: string;
};

/** Pinecone caps metadata at 40 KB per record; passages are far shorter, this only guards a pathological one. */
const MAX_METADATA_TEXT_BYTES = 30_000;

function clipUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  return Buffer.from(text)
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

/** Pinecone SDK errors to the house taxonomy. */
export function toPineconeFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const e = (err ?? {}) as { name?: string; message?: string; status?: number };
  const message = `pinecone: ${e.message ?? String(err)}`;
  const cause = err instanceof Error ? err : undefined;
  const fail = (type: FailureType) => failure(type, message, { cause });
  switch (e.name) {
    case 'PineconeAuthorizationError':
      return fail('ProviderAuth');
    case 'PineconeBadRequestError':
    case 'PineconeUnprocessableEntityError':
    case 'PineconeArgumentError':
      return fail('InvalidInput');
    case 'PineconeNotFoundError':
    case 'PineconeConfigurationError':
    case 'PineconeMethodNotAllowedError':
    case 'PineconeNotImplementedError':
      return fail('ProviderMisconfigured');
    default:
      if (e.status === 429) return fail('RateLimited');
      if (e.status === 402) return fail('QuotaExhausted');
      // Connection errors, timeouts, 5xx: worth another attempt.
      return fail('ProviderUnavailable');
  }
}

async function loadIndex(options: PineconeVectorStoreOptions) {
  const { Pinecone } = await import('@pinecone-database/pinecone');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const client = new Pinecone({
    apiKey: options.apiKey,
    maxRetries: 0,
    ...(options.controllerHostUrl ? { controllerHostUrl: options.controllerHostUrl } : {}),
    // The SDK has no request timeout of its own.
    fetchApi: (input, init) =>
      fetch(input, {
        ...init,
        signal: init?.signal
          ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
          : AbortSignal.timeout(timeoutMs),
      }),
  });
  return client.index<ChunkMetadata>({
    ...(options.indexName ? { name: options.indexName } : {}),
    ...(options.indexHost ? { host: options.indexHost } : {}),
  });
}

type PineconeIndex = Awaited<ReturnType<typeof loadIndex>>;

function recordId(documentId: string, ordinal: number): string {
  return `${documentId}#${ordinal}`;
}

export function createPineconeVectorStore(options: PineconeVectorStoreOptions): VectorStore {
  if (!options.apiKey) throw new Error('Pinecone needs an API key');
  if (!options.indexHost && !options.indexName) throw new Error('Pinecone needs an index name or an index host');
  const prefix = options.namespacePrefix ?? 'ws-';
  const batchSize = options.upsertBatchSize ?? 100;
  let index: Promise<PineconeIndex> | undefined;

  const namespace = async (workspaceId: string) => {
    index ??= loadIndex(options).catch((err: unknown) => {
      index = undefined;
      throw err;
    });
    return (await index).namespace(`${prefix}${workspaceId}`);
  };

  async function call<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : err;
      throw toPineconeFailure(err);
    }
  }

  /** Every record id of the document, by id prefix, page by page. */
  async function listIds(ns: PineconeIndex, documentId: string, signal?: AbortSignal): Promise<string[]> {
    const ids: string[] = [];
    let paginationToken: string | undefined;
    do {
      const page = await call(
        () => ns.listPaginated({ prefix: `${documentId}#`, limit: 100, paginationToken }),
        signal,
      );
      for (const v of page.vectors ?? []) if (v.id) ids.push(v.id);
      paginationToken = page.pagination?.next;
    } while (paginationToken);
    return ids;
  }

  async function deleteIds(ns: PineconeIndex, ids: string[], signal?: AbortSignal): Promise<void> {
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      await call(() => ns.deleteMany({ ids: batch }), signal);
    }
  }

  return {
    name: 'pinecone',

    async replaceDocument(doc: KnowledgeDocumentKey, chunks: StoredChunk[], embedderId: string, opts) {
      const ns = await call(() => namespace(doc.workspaceId), opts?.signal);
      for (let i = 0; i < chunks.length; i += batchSize) {
        const records = chunks.slice(i, i + batchSize).map((c) => ({
          id: recordId(doc.documentId, c.ordinal),
          values: c.vector,
          metadata: {
            brandId: doc.brandId,
            documentId: doc.documentId,
            ordinal: c.ordinal,
            heading: c.heading ?? '',
            text: clipUtf8(c.text, MAX_METADATA_TEXT_BYTES),
            tokenCount: c.tokenCount,
            embedder: embedderId,
          },
        }));
        await call(() => ns.upsert({ records }), opts?.signal);
      }
      const keep = new Set(chunks.map((c) => recordId(doc.documentId, c.ordinal)));
      const stale = (await listIds(ns, doc.documentId, opts?.signal)).filter((id) => !keep.has(id));
      await deleteIds(ns, stale, opts?.signal);
    },

    async deleteDocument(doc, opts) {
      const ns = await call(() => namespace(doc.workspaceId), opts?.signal);
      await deleteIds(ns, await listIds(ns, doc.documentId, opts?.signal), opts?.signal);
    },

    async search(query, opts) {
      const ns = await call(() => namespace(query.workspaceId), opts?.signal);
      return Promise.all(
        query.vectors.map(async (vector) => {
          const res = await call(
            () =>
              ns.query({
                vector,
                topK: query.topK,
                includeMetadata: true,
                filter: { brandId: { $eq: query.brandId }, embedder: { $eq: query.embedderId } },
              }),
            opts?.signal,
          );
          return (res.matches ?? []).flatMap((m): VectorMatch[] => {
            const meta = m.metadata;
            if (!meta || meta.brandId !== query.brandId) return [];
            return [
              {
                documentId: meta.documentId,
                ordinal: Number(meta.ordinal),
                heading: meta.heading || null,
                text: meta.text,
                score: m.score ?? 0,
              },
            ];
          });
        }),
      );
    },

    async check() {
      const ns = await call(() => namespace('check'));
      await call(() => ns.describeIndexStats());
    },
  };
}
