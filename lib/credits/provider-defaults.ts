/** The providers a video uses when its run names none, from the configuration: what estimates are priced with. */
import type { Config } from '../config';

export interface VideoProviderDefaults {
  voiceProvider: string;
  scriptProvider: string;
  imageProvider: string;
}

export function videoProviderDefaults(config: Pick<Config, 'voice' | 'text' | 'images'>): VideoProviderDefaults {
  return {
    voiceProvider: config.voice.provider,
    // The chain's first provider writes unless it fails; the estimate assumes it does not.
    scriptProvider: config.text.providers[0] ?? 'offline',
    imageProvider: config.images.provider === 'none' ? 'template' : config.images.provider,
  };
}
