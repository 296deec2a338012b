/**
 * The registry: builds the voice from configuration at boot. espeak-ng (embedded) needs nothing; ElevenLabs needs its
 * key, and selecting it without one fails the boot instead of silently speaking with espeak.
 */
import { createElevenLabsVoice } from './elevenlabs-voice';
import { createEspeakVoice } from './espeak-voice';
import { VOICE_PROVIDERS, type Voice, type VoiceProviderName } from './voice.port';

export interface VoiceConfig {
  /** The voice used when a request names no provider (VOICE_PROVIDER). */
  provider: VoiceProviderName;
  /** Default `espeak-ng` on the PATH. */
  espeakPath?: string;
  elevenlabs?: {
    apiKey?: string;
    baseUrl?: string;
    modelId?: string;
    /** The voice when a request names none. */
    voiceId?: string;
    timeoutMs?: number;
  };
}

export function createVoiceFromConfig(config: VoiceConfig): Voice {
  switch (config.provider) {
    case 'espeak':
      return createEspeakVoice({ espeakPath: config.espeakPath });
    case 'elevenlabs': {
      const settings = config.elevenlabs;
      if (!settings?.apiKey)
        throw new Error('Voice provider "elevenlabs" is selected but ELEVENLABS_API_KEY is not set');
      return createElevenLabsVoice({
        apiKey: settings.apiKey,
        baseUrl: settings.baseUrl,
        modelId: settings.modelId,
        defaultVoiceId: settings.voiceId,
        timeoutMs: settings.timeoutMs,
      });
    }
    default:
      throw new Error(`Unknown voice provider "${String(config.provider)}"; known: ${VOICE_PROVIDERS.join(', ')}`);
  }
}

/**
 * The configured voice plus every other provider this configuration can serve, for requests that name their provider
 * (`VoiceChoice.provider`): espeak-ng always, ElevenLabs when its key is set.
 */
export function createVoicesFromConfig(config: VoiceConfig): { voice: Voice; voices: Voice[] } {
  const voice = createVoiceFromConfig(config);
  const others = VOICE_PROVIDERS.filter((name) => name !== voice.name).filter(
    (name) => name !== 'elevenlabs' || Boolean(config.elevenlabs?.apiKey),
  );
  return { voice, voices: others.map((provider) => createVoiceFromConfig({ ...config, provider })) };
}
