/**
 * The registry: builds the embedder and the vector store from configuration at boot. The embedded defaults
 * (`lexical`, `postgres`) need no account, key or network; a misspelt provider fails the boot instead of silently
 * falling back.
 */
import type { KnowledgeRepository } from '../../db/repositories/knowledge.repository';
import type { Embedder } from './embeddings.port';
import { createLexicalEmbedder } from './lexical-embedder';
import { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder';
import { createPineconeVectorStore, type PineconeVectorStoreOptions } from './pinecone-vector-store';
import { createPostgresVectorStore } from './postgres-vector-store';
import type { VectorStore } from './vector-store.port';

export const EMBEDDING_PROVIDERS = ['lexical', 'openai'] as const;
export const VECTOR_STORE_PROVIDERS = ['postgres', 'pinecone'] as const;

export interface KnowledgeProvidersConfig {
  /** Default `lexical`. */
  embeddings?: (typeof EMBEDDING_PROVIDERS)[number];
  /** Default `postgres`. */
  vectorStore?: (typeof VECTOR_STORE_PROVIDERS)[number];
  lexical?: { dimensions?: number };
  openai?: OpenAiEmbedderOptions;
  pinecone?: PineconeVectorStoreOptions;
}

export function createEmbedderFromConfig(cfg: KnowledgeProvidersConfig): Embedder {
  const name = cfg.embeddings ?? 'lexical';
  switch (name) {
    case 'lexical':
      return createLexicalEmbedder(cfg.lexical);
    case 'openai':
      if (!cfg.openai)
        throw new Error('Embedding provider "openai" is selected but its settings (base URL) are missing');
      return createOpenAiEmbedder(cfg.openai);
    default:
      throw new Error(`Unknown embedding provider "${String(name)}"; known: ${EMBEDDING_PROVIDERS.join(', ')}`);
  }
}

export function createVectorStoreFromConfig(cfg: KnowledgeProvidersConfig, repo: KnowledgeRepository): VectorStore {
  const name = cfg.vectorStore ?? 'postgres';
  switch (name) {
    case 'postgres':
      return createPostgresVectorStore(repo);
    case 'pinecone':
      if (!cfg.pinecone)
        throw new Error('Vector store "pinecone" is selected but its settings (API key, index) are missing');
      return createPineconeVectorStore(cfg.pinecone);
    default:
      throw new Error(`Unknown vector store "${String(name)}"; known: ${VECTOR_STORE_PROVIDERS.join(', ')}`);
  }
}

export function createKnowledgeProvidersFromConfig(cfg: KnowledgeProvidersConfig, repo: KnowledgeRepository) {
  return { embedder: createEmbedderFromConfig(cfg), store: createVectorStoreFromConfig(cfg, repo) };
}
