/**
 * How the TEXT_PROVIDERS setting becomes providers, shared by the post writer chain (text/writer-chain.ts), the report
 * analyst chain (analysis/providers.ts) and the script writer chain (script/providers.ts), so that one setting means
 * the same to all three.
 */
import { type OpenAiChatOptions } from './openai-chat';

/** The names TEXT_PROVIDERS may list, in the order error messages show them. */
export const TEXT_PROVIDER_NAMES = ['openai', 'offline'] as const;

/**
 * The text providers' configuration (`config.text`) as a chain reads it; `Extra` is what that chain adds to the
 * OpenAI endpoint's settings (its pricing).
 */
export interface TextProvidersConfig<Extra> {
  /** Provider names in order of preference: 'openai', 'offline'. */
  providers: readonly string[];
  openai?: Pick<OpenAiChatOptions, 'baseUrl' | 'apiKey' | 'model' | 'timeoutMs'> & Extra;
}

/** How to build each kind of provider; `openai` gets the endpoint's settings from the config. */
export interface ProviderBuilders<P, S> {
  offline: () => P;
  openai: (settings: S) => P;
}

/**
 * One provider per listed name, in the listed order. Names are trimmed and lower-cased; a name listed twice, an
 * unknown name or 'openai' without its settings throws, so a typo fails the boot instead of silently running offline.
 *
 * @param kind what the providers are for, as error messages name it
 */
export function buildProviders<P, S>(
  kind: 'text' | 'analysis',
  cfg: { providers: readonly string[]; openai?: S },
  build: ProviderBuilders<P, S>,
): P[] {
  const Kind = kind[0].toUpperCase() + kind.slice(1);
  const names = cfg.providers.map((n) => n.trim().toLowerCase()).filter(Boolean);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`${Kind} provider "${duplicate}" is listed twice`);
  return names.map((name) => {
    switch (name) {
      case 'offline':
        return build.offline();
      case 'openai':
        if (!cfg.openai)
          throw new Error(`${Kind} provider "openai" is listed but its settings (base URL, model) are missing`);
        return build.openai(cfg.openai);
      default:
        throw new Error(`Unknown ${kind} provider "${name}"; known providers: ${TEXT_PROVIDER_NAMES.join(', ')}`);
    }
  });
}
