/**
 * The lead research agent (issue 11, step 4 with a model): LangChain's `createAgent` over the first model provider
 * TEXT_PROVIDERS lists, with two tools (`fetch_page` through the SSRF-safe fetcher, `search_brand_knowledge` when the
 * leads are for a brand) and the answer as a structured-output tool call (`toolStrategy`: any server that calls tools
 * can answer it, unlike native JSON schema).
 *
 * Bounds, all enforced by the code rather than the prompt: `maxToolCalls` tool calls (LangChain's
 * `toolCallLimitMiddleware`: calls past the cap are refused with a message and make no request), `maxToolCalls + 2`
 * model calls (`modelCallLimitMiddleware`: room for the final answer and one corrected answer; past it the run ends
 * without an answer), and a wall-time budget that aborts the model call or fetch in flight. Temporal owns retries:
 * the client makes none. Every failure comes back as a reason for the caller's fallback; only cancellation throws.
 */
import { AIMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { qualificationSchema } from '../../lib/leads/qualification';
import { langChainClientFields, type OpenAiEndpoint } from '../llm/openai-endpoint';
import { type MTokPricing } from '../llm/pricing';
import { describeError } from '../llm/provider-chain';
import { toProviderFailure } from '../llm/provider-failure';
import { buildProviders, type TextProvidersConfig } from '../llm/provider-list';

/** The model the agent runs on: the first model provider of TEXT_PROVIDERS, with its endpoint and price. */
export interface ResearchModel extends OpenAiEndpoint {
  /** The provider's name in TEXT_PROVIDERS ('openai'). */
  provider: string;
  model: string;
  pricing?: MTokPricing;
}

/**
 * The first model provider TEXT_PROVIDERS lists, or null when it lists only `offline`. Read through the same
 * `buildProviders` as every writer chain, so a typo fails the boot the same way.
 */
export function researchModelFromConfig(cfg: TextProvidersConfig<{ pricing?: MTokPricing }>): ResearchModel | null {
  const models = buildProviders('text', cfg, {
    offline: () => null,
    openai: (settings): ResearchModel => ({ provider: 'openai', ...settings }),
  });
  return models.find((m): m is ResearchModel => m !== null) ?? null;
}

export interface ResearchLimits {
  /** Tool calls in all, both tools together. */
  maxToolCalls: number;
  /** From the first model call to the answer. */
  timeBudgetMs: number;
  /** Upper bound on each reply. */
  maxOutputTokens: number;
}

/** The budget stays under the `llm` activity preset's 2 min, so the activity falls back before Temporal times it out. */
export const RESEARCH_DEFAULTS: ResearchLimits = { maxToolCalls: 6, timeBudgetMs: 90_000, maxOutputTokens: 1_500 };

/** The tools as plain functions (research-tools.ts); `searchKnowledge` absent means the tool is not offered. */
export interface ResearchToolFns {
  fetchPage(url: string, signal: AbortSignal): Promise<string>;
  searchKnowledge?: (query: string, signal: AbortSignal) => Promise<string>;
}

export interface ResearchRun {
  /** The structured answer as the model gave it (checked against the JSON schema only); absent on failure. */
  answer?: unknown;
  /** Why there is no answer, worded for the run record. */
  failure?: string;
  /** Summed over every model call; undefined while the server reports none. */
  tokens?: { input: number; output: number };
  /** The model that served, as the server names it. */
  model?: string;
  /** Tool calls run (calls refused by the cap are not counted). */
  toolCalls: number;
}

type Usage = { input_tokens?: number; output_tokens?: number };
type AiLike = { usage_metadata?: Usage; response_metadata?: Record<string, unknown> };

/**
 * The model's reply inside whatever the agent node made of it: the message itself, a structured answer
 * (`{ structuredResponse, messages }`) or a retry command after an invalid one (`{ update: { messages } }`).
 */
function replyOf(out: unknown): AiLike | undefined {
  const o = out as { messages?: unknown[]; update?: { messages?: unknown[] }; usage_metadata?: unknown };
  if (o && typeof o === 'object' && ('usage_metadata' in o || 'response_metadata' in o)) return o as AiLike;
  return (o?.messages?.[0] ?? o?.update?.messages?.[0]) as AiLike | undefined;
}

/** Tokens summed over the model calls, read as each call returns, so what a failed run spent still counts. */
function usageTally() {
  let tokens: { input: number; output: number } | undefined;
  let model: string | undefined;
  return {
    add(out: unknown) {
      const reply = replyOf(out);
      const u = reply?.usage_metadata;
      if (u && (u.input_tokens !== undefined || u.output_tokens !== undefined)) {
        tokens = {
          input: (tokens?.input ?? 0) + (u.input_tokens ?? 0),
          output: (tokens?.output ?? 0) + (u.output_tokens ?? 0),
        };
      }
      const name = reply?.response_metadata?.model_name;
      if (typeof name === 'string') model = name;
    },
    read: () => ({ tokens, model }),
  };
}

/** What the model did instead of answering, from the run's last AI message. */
function whyNoAnswer(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { getType?: () => string; content?: unknown; invalid_tool_calls?: unknown[] };
    if (m.getType?.() !== 'ai') continue;
    if (m.invalid_tool_calls?.length) return 'the model called a tool with arguments that are not valid JSON';
    const said = typeof m.content === 'string' ? m.content.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
    return `the model did not answer with a qualification${said ? `: “${said}”` : ''}`;
  }
  return 'the model did not answer with a qualification';
}

/** What a refused tool call tells the model. */
export const TOOL_CAP_TEXT =
  'Tool call limit reached: nothing was fetched or searched. Call no more tools; answer now with the qualification tool.';
const MODEL_CAP_TEXT = 'Model call limit reached.';

/**
 * Runs the agent once. Resolves with the answer or the reason there is none; rejects only when `signal` (the
 * activity's cancellation) aborts.
 */
export async function runResearchAgent(
  settings: ResearchModel,
  fns: ResearchToolFns,
  prompt: { system: string; human: string },
  limits: ResearchLimits,
  signal: AbortSignal,
): Promise<ResearchRun> {
  // Loaded on first use, so a worker that never researches never loads them (STYLE habit 12).
  const [{ ChatOpenAI }, { createAgent, createMiddleware, tool, toolStrategy }] = await Promise.all([
    import('@langchain/openai'),
    import('langchain'),
  ]);

  const budget = AbortSignal.timeout(limits.timeBudgetMs);
  const runSignal = AbortSignal.any([signal, budget]);
  const maxModelCalls = limits.maxToolCalls + 2;
  let toolCalls = 0;
  let modelCalls = 0;
  let capped = false;
  let modelError: unknown;

  /**
   * The tool-call cap, counted here rather than by `toolCallLimitMiddleware`: that middleware also counts the
   * structured-output call and, next to a corrected answer, writes the graph's jump channel twice. Refused calls
   * make no request and tell the model to answer.
   */
  const withCap =
    <I>(run: (input: I) => Promise<string>) =>
    async (input: I) => {
      if (toolCalls >= limits.maxToolCalls) return TOOL_CAP_TEXT;
      toolCalls++;
      return run(input);
    };
  const fetchTool = tool(
    withCap(({ url }: { url: string }) => fns.fetchPage(url, runSignal)),
    {
      name: 'fetch_page',
      description: 'Fetches a public web page and returns its title and visible text (clipped).',
      schema: z.object({ url: z.string().describe('The absolute http(s) URL of the page') }),
    },
  );
  const search = fns.searchKnowledge;
  const searchTool = search
    ? tool(
        withCap(({ query }: { query: string }) => search(query, runSignal)),
        {
          name: 'search_brand_knowledge',
          description: 'Searches the documents of the brand these leads are for (its offer, customers, markets).',
          schema: z.object({ query: z.string().describe('What to look for, in a few words') }),
        },
      )
    : null;

  const usage = usageTally();
  // The model-call cap wraps every call, corrected answers included (which `modelCallLimitMiddleware` misses): past
  // it the agent gets a reply without tool calls, so the run ends without an answer.
  const budgetGuard = createMiddleware({
    name: 'ResearchBudget',
    wrapModelCall: async (request, handler) => {
      if (modelCalls >= maxModelCalls) {
        capped = true;
        return new AIMessage(MODEL_CAP_TEXT);
      }
      modelCalls++;
      try {
        const out = await handler(request);
        usage.add(out);
        return out;
      } catch (err) {
        // LangChain wraps what a middleware lets through; the run record wants the provider's own error.
        modelError = err;
        throw err;
      }
    },
  });

  const agent = createAgent({
    model: new ChatOpenAI({
      model: settings.model,
      ...langChainClientFields(settings),
      maxTokens: limits.maxOutputTokens,
    }),
    tools: searchTool ? [fetchTool, searchTool] : [fetchTool],
    systemPrompt: prompt.system,
    responseFormat: toolStrategy(qualificationSchema),
    middleware: [budgetGuard],
  });

  const spent = () => ({ ...usage.read(), toolCalls });
  try {
    const result = await agent.invoke(
      { messages: [{ role: 'user', content: prompt.human }] },
      // A backstop only: the model-call cap ends the run long before this many graph steps.
      { signal: runSignal, recursionLimit: 10 * maxModelCalls + 10 },
    );
    if (result.structuredResponse !== undefined) return { answer: result.structuredResponse, ...spent() };
    if (capped)
      return { failure: `no answer within ${maxModelCalls} model calls (${toolCalls} tool calls run)`, ...spent() };
    return { failure: whyNoAnswer(result.messages), ...spent() };
  } catch (err) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : err;
    if (budget.aborted) return { failure: `no answer within the ${limits.timeBudgetMs / 1000} s budget`, ...spent() };
    const name = err instanceof Error ? err.name : '';
    if (name === 'GraphRecursionError') return { failure: 'no answer within the step limit', ...spent() };
    const failure = describeError(toProviderFailure(modelError ?? err, settings.provider), settings.provider);
    return { failure: `${settings.provider}: ${failure}`, ...spent() };
  }
}
