import { type Config } from '../../lib/config';
import { createSafeFetcher, type SafeFetcher } from './safe-fetcher';

export * from './safe-fetcher';
export { type Resolver, type ResolvedAddress } from './address-guard';

/** The fetcher the worker wires once: settings from `CRAWLER_*` (lib/config.ts). */
export function safeFetcherFromConfig(config: Pick<Config, 'crawler'>): SafeFetcher {
  return createSafeFetcher(config.crawler);
}
