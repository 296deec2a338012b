export * from './embeddings.port';
export * from './vector-store.port';
export {
  extractText,
  extractPlainText,
  extractMarkdown,
  extractHtml,
  extractPdf,
  parseBboxLayout,
  decodeText,
  decodeEntities,
  detectSourceType,
  isSourceType,
  blocksToText,
  SOURCE_TYPES,
  type SourceType,
  type TextBlock,
  type ExtractedText,
  type ExtractOptions,
} from './extract';
export {
  chunkBlocks,
  embeddingInput,
  estimateTokens,
  splitSentences,
  type ChunkOptions,
  type TextChunk,
} from './chunk';
export { estimatedTokens, loadCl100kTokens, type TokenCounter, type RunningCount } from './tokens';
export {
  createLexicalEmbedder,
  lexicalVector,
  contentTerms,
  LEXICAL_DEFAULT_DIMENSIONS,
  LEXICAL_EMBEDDER_VERSION,
  type LexicalEmbedderOptions,
} from './lexical-embedder';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder';
export { createPostgresVectorStore } from './postgres-vector-store';
export { createPineconeVectorStore, toPineconeFailure, type PineconeVectorStoreOptions } from './pinecone-vector-store';
export {
  createKnowledgeProvidersFromConfig,
  createEmbedderFromConfig,
  createVectorStoreFromConfig,
  EMBEDDING_PROVIDERS,
  VECTOR_STORE_PROVIDERS,
  type KnowledgeProvidersConfig,
} from './providers';
export {
  createKnowledgeActivities,
  type KnowledgeActivities,
  type KnowledgeActivityDeps,
  type KnowledgeDocumentInput,
  type IndexDocumentResult,
  type DeleteDocumentResult,
  type PassageQuery,
  type Passage,
  type DimensionPassages,
  type RetrievePassagesInput,
  type RetrievePassagesResult,
} from './knowledge.activities';
