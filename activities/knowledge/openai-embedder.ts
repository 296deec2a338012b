/**
 * Embeddings from any OpenAI-compatible `/embeddings` endpoint (OpenAI, Azure-compatible gateways, Ollama, vLLM,
 * LM Studio) through LangChain's `OpenAIEmbeddings`, imported on first use.
 *
 * Temporal owns retries: LangChain's caller and the OpenAI client get `maxRetries: 0`, each request has a timeout, and
 * failures leave as `ApplicationFailure`s typed like the text provider's (`ProviderAuth`, `RateLimited` with the
 * server's Retry-After, `ProviderUnavailable`, ...). Returned vectors are checked for size and L2-normalised (OpenAI's
 * already are; local servers' often are not).
 */
import { checkModels, langChainClientFields, type OpenAiEndpoint } from '../llm/openai-endpoint';
import { toProviderFailure } from '../llm/provider-failure';
import { l2Normalize, type EmbedOptions, type Embedder } from './embeddings.port';
import { failure } from '../../lib/failures';

/** `timeoutMs` is per request. */
export interface OpenAiEmbedderOptions extends OpenAiEndpoint {
  /** Default `text-embedding-3-small`. */
  model?: string;
  /**
   * Vector size. Sent to the API (text-embedding-3 models shorten their vectors to it) and checked on every reply.
   * Required for models whose size is not known here.
   */
  dimensions?: number;
  /** Passages per request; default 128. */
  batchSize?: number;
  /** Recorded as the provider name; default `openai`. Use e.g. `ollama` to tell endpoints apart. */
  name?: string;
  /** Cosine similarity unrelated texts reach with this model; default 0.2 (OpenAI text-embedding-3). */
  relevanceFloor?: number;
}

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};
/** Models that accept the `dimensions` parameter. */
const SHORTENABLE = /^text-embedding-3-/;

async function loadEmbeddings(opts: Required<Pick<OpenAiEmbedderOptions, 'model'>> & OpenAiEmbedderOptions) {
  const { OpenAIEmbeddings } = await import('@langchain/openai');
  return new OpenAIEmbeddings({
    model: opts.model,
    ...langChainClientFields(opts),
    ...(opts.dimensions && SHORTENABLE.test(opts.model) ? { dimensions: opts.dimensions } : {}),
    maxConcurrency: 1,
    batchSize: opts.batchSize ?? 128,
    // Newlines separate paragraphs and headings; current models embed them fine.
    stripNewLines: false,
  });
}

type Embeddings = Awaited<ReturnType<typeof loadEmbeddings>>;

/** Resolves with the promise, or rejects as soon as the signal aborts (the HTTP request is then abandoned). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('Cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const name = options.name ?? 'openai';
  const model = options.model ?? 'text-embedding-3-small';
  const dimensions = options.dimensions ?? KNOWN_DIMENSIONS[model];
  if (!dimensions || !Number.isInteger(dimensions) || dimensions <= 0) {
    throw new Error(`Embedding model "${model}" has no known size: set its dimensions`);
  }
  let client: Promise<Embeddings> | undefined;
  const embeddings = (): Promise<Embeddings> =>
    (client ??= loadEmbeddings({ ...options, model, dimensions }).catch((err: unknown) => {
      client = undefined;
      throw err;
    }));

  function checked(vectors: number[][], expected: number): number[][] {
    if (vectors.length !== expected) {
      throw failure('ProviderOutputInvalid', `${name}: asked for ${expected} embeddings, got ${vectors.length}`);
    }
    return vectors.map((v) => {
      if (!Array.isArray(v) || v.length !== dimensions) {
        throw failure(
          'ProviderMisconfigured',
          `${name}: model ${model} returned vectors of size ${Array.isArray(v) ? v.length : 'unknown'}, configured ${dimensions}`,
        );
      }
      return l2Normalize(v);
    });
  }

  async function call<T>(fn: (e: Embeddings) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const e = await embeddings();
    try {
      return await untilAborted(fn(e), signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      throw toProviderFailure(err, name);
    }
  }

  return {
    name,
    id: `${name}:${model}:${dimensions}`,
    dimensions,
    batchSize: options.batchSize ?? 128,
    relevanceFloor: options.relevanceFloor ?? 0.2,
    async embedDocuments(texts: string[], opts?: EmbedOptions) {
      if (texts.length === 0) return [];
      return checked(await call((e) => e.embedDocuments(texts), opts?.signal), texts.length);
    },
    async embedQuery(text: string, opts?: EmbedOptions) {
      return checked([await call((e) => e.embedQuery(text), opts?.signal)], 1)[0];
    },
    check: () => checkModels(options, name),
  };
}
