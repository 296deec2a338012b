/**
 * The embedded vector store: passages and vectors in PostgreSQL's `knowledge_chunks`, searched by cosine similarity in
 * SQL (pgvector's `<=>` when the extension and column exist, a dot product over `REAL[]` otherwise; see the
 * repository). A document's passages are replaced in one transaction, so a search sees the old set or the new one.
 */
import type { KnowledgeRepository } from '../../db/repositories/knowledge.repository';
import type { VectorStore } from './vector-store.port';
import { failure } from '../../lib/failures';

export function createPostgresVectorStore(repo: KnowledgeRepository): VectorStore {
  return {
    name: 'postgres',

    async replaceDocument(doc, chunks, embedderId) {
      const replaced = await repo.replaceChunks(
        doc,
        chunks.map((c) => ({
          ordinal: c.ordinal,
          heading: c.heading,
          text: c.text,
          tokenCount: c.tokenCount,
          embedding: c.vector,
        })),
        embedderId,
      );
      if (!replaced) {
        throw failure('NotFound', `Knowledge document ${doc.documentId} no longer exists`);
      }
    },

    async deleteDocument(doc) {
      await repo.deleteChunks(doc);
    },

    async search(query) {
      const results = await repo.searchChunks({
        workspaceId: query.workspaceId,
        brandId: query.brandId,
        embeddingProvider: query.embedderId,
        vectors: query.vectors,
        topK: query.topK,
      });
      return results.map((matches) =>
        matches.map((m) => ({
          documentId: m.documentId,
          ordinal: m.ordinal,
          heading: m.heading,
          text: m.text,
          score: m.score,
        })),
      );
    },

    async check() {
      await repo.pgvector();
    },
  };
}
