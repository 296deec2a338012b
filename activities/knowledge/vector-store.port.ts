/**
 * The vector-store port: where a brand's passages and their vectors live, and how the nearest ones are found. The
 * embedded default keeps them in PostgreSQL (`knowledge_chunks`, pgvector when installed); Pinecone is the cloud
 * provider. Stores filter every search by workspace and brand, and by the embedder that made the vectors.
 */

export interface KnowledgeDocumentKey {
  workspaceId: string;
  brandId: string;
  documentId: string;
}

export interface StoredChunk {
  ordinal: number;
  heading: string | null;
  text: string;
  tokenCount: number;
  /** L2-normalised, from the embedder named in `replaceDocument`. */
  vector: number[];
}

export interface VectorMatch {
  documentId: string;
  ordinal: number;
  heading: string | null;
  text: string;
  /** Cosine similarity, higher is closer. */
  score: number;
}

export interface VectorSearch {
  workspaceId: string;
  brandId: string;
  /** `Embedder.id` of the query vectors: only passages embedded the same way are compared. */
  embedderId: string;
  /** One result list per vector, in the same order. */
  vectors: number[][];
  topK: number;
}

export interface VectorStoreCallOptions {
  signal?: AbortSignal;
}

export interface VectorStore {
  /** Provider name for logs and run records: `postgres`, `pinecone`. */
  readonly name: string;
  /** Makes `chunks` the document's only passages (idempotent: a retry or a re-index replaces, never appends). */
  replaceDocument(
    doc: KnowledgeDocumentKey,
    chunks: StoredChunk[],
    embedderId: string,
    opts?: VectorStoreCallOptions,
  ): Promise<void>;
  /** Idempotent: deleting a document with no passages succeeds. */
  deleteDocument(doc: KnowledgeDocumentKey, opts?: VectorStoreCallOptions): Promise<void>;
  search(query: VectorSearch, opts?: VectorStoreCallOptions): Promise<VectorMatch[][]>;
  /** Connectivity/readiness probe for boot and health endpoints; throws when the store cannot serve. */
  check(): Promise<void>;
}
