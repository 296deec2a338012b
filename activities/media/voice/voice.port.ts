/**
 * The voice (text-to-speech) port. The embedded default is espeak-ng (no account, no network); ElevenLabs is the cloud
 * provider. Activities only see `Voice`, so which one speaks is configuration.
 */

export const VOICE_PROVIDERS = ['espeak', 'elevenlabs'] as const;
export type VoiceProviderName = (typeof VOICE_PROVIDERS)[number];

/** The speaking rate a plan assumes when the caller names none (the script writer uses the same). */
export const DEFAULT_WORDS_PER_MINUTE = 160;

export interface SynthesizeOptions {
  /** A provider-specific voice (espeak-ng `en-us+f3`, an ElevenLabs voice id); default: chosen from the language. */
  voice?: string;
  /** BCP 47 tag of the text, e.g. `en`, `fr`, `pt-BR`. */
  language: string;
  /** Speaking rate; default {@link DEFAULT_WORDS_PER_MINUTE}. Providers without a rate control approximate it. */
  wordsPerMinute?: number;
  /** The activity's cancellation signal: aborting it stops the synthesis. */
  signal?: AbortSignal;
}

export interface SynthesizedSpeech {
  audio: Buffer;
  /** `audio/wav`, `audio/mpeg`. */
  contentType: string;
  /** File extension without the dot: `wav`, `mp3`. */
  extension: string;
  /** The provider that spoke (`espeak`, `elevenlabs`). */
  provider: VoiceProviderName;
  /** The voice actually used, after defaults and normalisation. */
  voice: string;
}

export interface Voice {
  readonly name: VoiceProviderName;
  /**
   * Speaks `text`. Failures are `ApplicationFailure`s of the house taxonomy: `InvalidInput` (unknown voice or
   * language, text the provider refuses), `ProviderAuth`, `QuotaExhausted`, `ProviderMisconfigured` (not retried),
   * `RateLimited`, `ProviderUnavailable`, `Timeout` (retried); a cancellation rejects with the signal's reason.
   */
  synthesize(text: string, options: SynthesizeOptions): Promise<SynthesizedSpeech>;
  /** Connectivity/readiness probe for boot and health endpoints; throws when the provider cannot speak. */
  check(): Promise<void>;
}
