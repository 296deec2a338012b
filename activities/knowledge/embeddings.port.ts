/**
 * The embeddings port: turns passages and queries into vectors. The embedded default (`lexical`) needs no account and
 * no network; `openai` calls any OpenAI-compatible embeddings endpoint. Vectors are always L2-normalised, so a dot
 * product is the cosine similarity whichever store holds them.
 */

export interface EmbedOptions {
  signal?: AbortSignal;
}

export interface Embedder {
  /** Provider name for logs and run records: `lexical`, `openai`. */
  readonly name: string;
  /**
   * The vector space: provider, model and dimension (`lexical:hashed-ngrams-v1:512`). Stored on every indexed document;
   * vectors with different ids are never compared, so switching embedders needs a re-index, never a wrong answer.
   */
  readonly id: string;
  readonly dimensions: number;
  /** How many passages one `embedDocuments` call should carry; the activity heartbeats between batches. */
  readonly batchSize: number;
  /**
   * The cosine similarity unrelated texts can reach with this embedder; retrieval drops passages at or below it
   * unless the caller asks for another threshold.
   */
  readonly relevanceFloor: number;
  embedDocuments(texts: string[], opts?: EmbedOptions): Promise<number[][]>;
  embedQuery(text: string, opts?: EmbedOptions): Promise<number[]>;
  /** Cheap connectivity/credentials check for boot and health endpoints; throws when the provider cannot serve. */
  check(): Promise<void>;
}

/** The vector scaled to unit length; the zero vector stays zero (it matches nothing). */
export function l2Normalize(vector: ArrayLike<number>): number[] {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  const norm = Math.sqrt(sum);
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = norm > 0 ? vector[i] / norm : 0;
  return out;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Vectors differ in dimension: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
