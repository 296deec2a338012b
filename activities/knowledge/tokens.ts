/**
 * Token counters for chunking. Indexing counts with OpenAI's cl100k_base vocabulary (the one text-embedding-3 and
 * ada-002 read; close enough for other embedding models, and far closer than a word count for code, URLs, accented
 * and CJK text). The estimate needs no vocabulary and stays the chunker's default, so stored chunk boundaries of
 * callers that pass no counter do not move.
 */
export interface TokenCounter {
  name: string;
  count(text: string): number;
  /** Counts words joined by single spaces as they are added, at a cost per word that does not grow with the run. */
  running(): RunningCount;
}

export interface RunningCount {
  /** The count of the words so far plus `word`. */
  peek(word: string): number;
  add(word: string): void;
}

/** About 4/3 tokens per word, or 1 per 4 characters for text without spaces (CJK), whichever is larger. */
export function estimateTokens(text: string): number {
  const words = text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  const chars = text.replace(/\s+/g, '').length;
  return Math.ceil(Math.max((words * 4) / 3, chars / 4));
}

export const estimatedTokens: TokenCounter = {
  name: 'estimate',
  count: estimateTokens,
  running() {
    // Running totals of estimateTokens' inputs, so each word costs O(1).
    let runs = 0;
    let chars = 0;
    const runsOf = (word: string) => word.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    return {
      peek: (word) => Math.ceil(Math.max(((runs + runsOf(word)) * 4) / 3, (chars + word.length) / 4)),
      add(word) {
        runs += runsOf(word);
        chars += word.length;
      },
    };
  },
};

/** gpt-tokenizer's byte-pair merge is quadratic in the length of one unbroken run (a 100 kB blob takes seconds). */
const LONG_RUN = /\S{65,}/g;
const RUN_SLICE = 64;

function cl100kCounter(countTokens: (text: string) => number): TokenCounter {
  // A run of more than 64 non-space characters is counted in slices, which can only add a few tokens.
  const count = (text: string): number => {
    let n = 0;
    let at = 0;
    for (const m of text.matchAll(LONG_RUN)) {
      if (m.index > at) n += countTokens(text.slice(at, m.index));
      for (let i = 0; i < m[0].length; i += RUN_SLICE) n += countTokens(m[0].slice(i, i + RUN_SLICE));
      at = m.index + m[0].length;
    }
    if (at < text.length) n += countTokens(text.slice(at));
    return n;
  };
  return {
    name: 'cl100k_base',
    count,
    running() {
      let total = 0;
      let empty = true;
      const cost = (word: string) => count(empty ? word : ` ${word}`);
      return {
        peek: (word) => total + cost(word),
        add(word) {
          total += cost(word);
          empty = false;
        },
      };
    },
  };
}

let cl100k: Promise<TokenCounter> | undefined;

/** The cl100k_base counter, loaded on first use: its vocabulary takes ~0.4 s to load, which only indexing needs. */
export function loadCl100kTokens(): Promise<TokenCounter> {
  cl100k ??= import('gpt-tokenizer/encoding/cl100k_base').then((m) => cl100kCounter(m.countTokens));
  return cl100k;
}
