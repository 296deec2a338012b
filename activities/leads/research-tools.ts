/**
 * The research agent's tools as plain functions (activities/leads/research-agent.ts wraps them for LangChain): what a
 * page says, read through the SSRF-safe fetcher, and what the brand's documents say about a question. A tool never
 * throws at the model: a refused address, robots.txt or a dead site comes back as a sentence it can reason about.
 * Only cancellation is thrown, so the activity stops.
 */
import { clipAtWord } from '../../lib/prose';
import { htmlToText } from '../../lib/text/html-text';
import { blocksToText } from '../../lib/text/text-blocks';
import type { RetrievePassagesInput, RetrievePassagesResult } from '../knowledge/knowledge.activities';
import type { SafeFetcher } from '../web';

/** Characters of a page shown to the model: an about or contact page fits, and the prompt stays cheap. */
export const PAGE_CHARS = 4_000;
/** Characters of each knowledge passage, and passages per search. */
export const PASSAGE_CHARS = 700;
export const PASSAGES_PER_SEARCH = 4;

export interface PageReading {
  /** What the model is told. */
  text: string;
  /** The page's final URL (after redirects), when it was read. */
  url?: string;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Aborted');
}

/** Reads a page as the fetch tool does: its title and visible text, clipped, or why it was not read. */
export async function readPageForModel(fetcher: SafeFetcher, url: string, signal: AbortSignal): Promise<PageReading> {
  try {
    const page = await fetcher.fetchPage(url, { signal });
    const { title, blocks } = htmlToText(page.text ?? '');
    const body = clipAtWord(blocksToText(blocks), PAGE_CHARS) || '(no visible text)';
    return {
      url: page.finalUrl,
      text: [`URL: ${page.finalUrl}`, title ? `Title: ${title}` : null, '', body].join('\n'),
    };
  } catch (err) {
    throwIfAborted(signal);
    const type = (err as { type?: unknown }).type;
    const why = err instanceof Error ? err.message : String(err);
    return { text: `Not read: ${typeof type === 'string' ? `${type}: ` : ''}${why}` };
  }
}

export type RetrievePassages = (input: RetrievePassagesInput) => Promise<RetrievePassagesResult>;

/** The brand's passages for a question, numbered, with the document each comes from. */
export async function searchKnowledgeForModel(
  retrieve: RetrievePassages,
  scope: { workspaceId: string; brandId: string },
  query: string,
  signal: AbortSignal,
): Promise<string> {
  const q = query.trim().slice(0, 1_000);
  if (!q) return 'Not searched: the query is empty.';
  try {
    const found = await retrieve({ ...scope, queries: [{ dimension: 'lead', query: q }], topK: PASSAGES_PER_SEARCH });
    const passages = found.results[0]?.passages ?? [];
    if (passages.length === 0) return 'No passage of the brand’s documents matches.';
    return passages
      .map((p, i) => {
        const where = [p.title, p.heading].filter(Boolean).join(' › ');
        return `[${i + 1}] ${where}: “${clipAtWord(p.text.replace(/\s+/g, ' '), PASSAGE_CHARS)}”`;
      })
      .join('\n');
  } catch (err) {
    throwIfAborted(signal);
    return `Not searched: ${err instanceof Error ? err.message : String(err)}`;
  }
}
