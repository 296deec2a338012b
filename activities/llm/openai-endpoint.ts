/**
 * What every OpenAI-compatible call (chat, embeddings, images) shares about its endpoint: the API root, the bearer
 * key, the client settings that leave retries to Temporal (STYLE habit 8), and the `/models` connectivity check.
 */
import { toProviderFailure } from './provider-failure';

export interface OpenAiEndpoint {
  /** The API root including the version, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
  baseUrl: string;
  /** Optional for local servers (Ollama, vLLM) that do not check it. */
  apiKey?: string;
  /** Per request; the activity's own timeout bounds the whole call. */
  timeoutMs: number;
}

/** The base URL without trailing slashes, so paths can be appended. */
export function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** The authorization header, or none for servers that need no key. */
export function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

/** The settings every LangChain OpenAI client gets: no SDK retries (Temporal owns them), a timeout, the endpoint. */
export function langChainClientFields(endpoint: OpenAiEndpoint) {
  return {
    // Local servers (Ollama, vLLM) need no key; passing a dummy one keeps the SDK from reading process.env.
    apiKey: endpoint.apiKey || 'not-needed',
    configuration: { baseURL: apiRoot(endpoint.baseUrl) },
    maxRetries: 0,
    timeout: endpoint.timeoutMs,
  };
}

/** Lists the models with the configured key: catches a wrong URL or key at boot. */
export async function checkModels(endpoint: OpenAiEndpoint, provider: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${apiRoot(endpoint.baseUrl)}/models`, {
      headers: authHeaders(endpoint.apiKey),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
  } catch (err) {
    throw toProviderFailure(err, provider);
  }
  if (!res.ok) {
    const body = await res.text().catch(() => '');
    throw toProviderFailure({ status: res.status, headers: res.headers, message: body.slice(0, 500) }, provider);
  }
}
