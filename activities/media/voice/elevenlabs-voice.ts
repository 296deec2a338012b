/**
 * The cloud voice: ElevenLabs text-to-speech over its REST API (no SDK: one request), MP3 out.
 *
 *   POST {baseUrl}/v1/text-to-speech/{voice_id}?output_format=mp3_44100_128
 *   xi-api-key: <key>, Content-Type: application/json, Accept: audio/mpeg
 *   { "text", "model_id", "voice_settings": { "stability", "similarity_boost", "speed"? }, "language_code"? }
 *   → 200 audio/mpeg bytes | 4xx/5xx { "detail": { "status", "message" } } (422: { "detail": [validation errors] })
 *
 * Temporal owns retries: one attempt per call, with a timeout; failures leave as the house taxonomy (STYLE habit 7).
 */
import { type ApplicationFailure } from '@temporalio/common';
import type { SynthesizeOptions, SynthesizedSpeech, Voice } from './voice.port';
import { type FailureType, failure } from '../../../lib/failures';

export interface ElevenLabsVoiceOptions {
  apiKey: string;
  /** Default `https://api.elevenlabs.io`; a trailing slash is ignored. */
  baseUrl?: string;
  /** Default `eleven_multilingual_v2`. */
  modelId?: string;
  /** The voice when the caller names none; default `JBFqnCBsd6RMkjVDRZzb` (a stock multilingual voice). */
  defaultVoiceId?: string;
  /** Per request; default 60 s. */
  timeoutMs?: number;
}

export const ELEVENLABS_DEFAULTS = {
  baseUrl: 'https://api.elevenlabs.io',
  modelId: 'eleven_multilingual_v2',
  defaultVoiceId: 'JBFqnCBsd6RMkjVDRZzb',
  timeoutMs: 60_000,
} as const;

/** The rate ElevenLabs voices speak at with `speed: 1`, roughly. */
const NATURAL_WPM = 160;
/** ElevenLabs accepts `voice_settings.speed` in this range. */
const MIN_SPEED = 0.7;
const MAX_SPEED = 1.2;
const VOICE_ID = /^[A-Za-z0-9]{8,64}$/;
const QUOTA = /quota|credits?|limit_exceeded|payment/i;

/** The speed that brings a voice's natural rate to `wordsPerMinute`, within what the API accepts. */
export function elevenLabsSpeed(wordsPerMinute: number): number {
  return Math.round(Math.min(MAX_SPEED, Math.max(MIN_SPEED, wordsPerMinute / NATURAL_WPM)) * 100) / 100;
}

/** Retry-After (seconds or an HTTP date) in ms, when the server sent one. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value?.trim()) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface ErrorBody {
  detail?: { status?: string; message?: string } | { msg?: string; loc?: unknown[] }[] | string;
}

/** `status` and a one-line message from an ElevenLabs error body (JSON or not). */
function describeError(text: string): { status: string; message: string } {
  try {
    const detail = (JSON.parse(text) as ErrorBody).detail;
    if (typeof detail === 'string') return { status: '', message: detail };
    if (Array.isArray(detail)) {
      const message = detail.map((d) => `${(d.loc ?? []).join('.')}: ${d.msg ?? ''}`.trim()).join('; ');
      return { status: 'validation_error', message };
    }
    if (detail) return { status: detail.status ?? '', message: detail.message ?? detail.status ?? '' };
  } catch {
    // Not JSON (a proxy's HTML page): the text itself, shortened below.
  }
  return { status: '', message: text.replace(/\s+/g, ' ').trim() };
}

/** Maps a non-2xx answer to the house taxonomy. */
export function elevenLabsFailure(status: number, body: string, retryAfter: string | null): ApplicationFailure {
  const { status: code, message } = describeError(body);
  const text = `ElevenLabs: HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message.slice(0, 300)}` : ''}`;
  const fail = (type: FailureType, nextRetryDelay?: number) => failure(type, text, { nextRetryDelay });
  if (status === 402 || ((status === 401 || status === 403 || status === 429) && QUOTA.test(code))) {
    return fail('QuotaExhausted');
  }
  if (status === 401 || status === 403) return fail('ProviderAuth');
  if (status === 429) return fail('RateLimited', retryAfterMs(retryAfter));
  if (status === 400 || status === 422) return fail('InvalidInput');
  // An unknown voice id is the caller's; any other 404 is a wrong base URL.
  if (status === 404) return /voice/i.test(`${code} ${message}`) ? fail('InvalidInput') : fail('ProviderMisconfigured');
  if (status === 408 || status === 409 || status >= 500) return fail('ProviderUnavailable');
  return fail('InvalidInput');
}

export function createElevenLabsVoice(options: ElevenLabsVoiceOptions): Voice {
  if (!options.apiKey) throw new Error('ElevenLabs needs an API key (ELEVENLABS_API_KEY)');
  const baseUrl = (options.baseUrl ?? ELEVENLABS_DEFAULTS.baseUrl).replace(/\/+$/, '');
  const modelId = options.modelId ?? ELEVENLABS_DEFAULTS.modelId;
  const defaultVoiceId = options.defaultVoiceId ?? ELEVENLABS_DEFAULTS.defaultVoiceId;
  const timeoutMs = options.timeoutMs ?? ELEVENLABS_DEFAULTS.timeoutMs;

  /** One request with the timeout and the activity's signal; network failures and timeouts mapped. */
  async function request(pathAndQuery: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(`${baseUrl}${pathAndQuery}`, {
        ...init,
        headers: { 'xi-api-key': options.apiKey, ...init.headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : err;
      if (timeout.aborted) {
        throw failure('Timeout', `ElevenLabs did not answer within ${timeoutMs} ms`);
      }
      const cause = (err as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? ` (${cause.message})` : '';
      throw failure('ProviderUnavailable', `ElevenLabs: ${(err as Error).message}${detail}`, {
        cause: err instanceof Error ? err : undefined,
      });
    }
  }

  /** Reads the body under the same signals (a stalled body would otherwise outlive the timeout). */
  async function readBody<T>(read: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await read();
    } catch (err) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : err;
      throw failure('ProviderUnavailable', `ElevenLabs: the answer broke off (${(err as Error).message})`);
    }
  }

  return {
    name: 'elevenlabs',

    async synthesize(text: string, opts: SynthesizeOptions): Promise<SynthesizedSpeech> {
      const voice = opts.voice ?? defaultVoiceId;
      if (!VOICE_ID.test(voice)) {
        throw failure('InvalidInput', `"${voice}" is not an ElevenLabs voice id (8-64 letters and digits)`);
      }
      const voiceSettings: Record<string, number> = { stability: 0.5, similarity_boost: 0.75 };
      if (opts.wordsPerMinute !== undefined) voiceSettings.speed = elevenLabsSpeed(opts.wordsPerMinute);
      const body: Record<string, unknown> = { text, model_id: modelId, voice_settings: voiceSettings };
      // Only the v2.5 models take a language to enforce; the others refuse the field.
      const language = opts.language.trim().toLowerCase().split(/[-_]/)[0];
      if (/_v2_5$/.test(modelId) && /^[a-z]{2}$/.test(language)) body.language_code = language;

      const response = await request(
        `/v1/text-to-speech/${encodeURIComponent(voice)}?output_format=mp3_44100_128`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'audio/mpeg' },
          body: JSON.stringify(body),
        },
        opts.signal,
      );
      if (!response.ok) {
        const errorText = await readBody(() => response.text(), opts.signal);
        throw elevenLabsFailure(response.status, errorText, response.headers.get('retry-after'));
      }
      const audio = Buffer.from(await readBody(() => response.arrayBuffer(), opts.signal));
      const contentType = response.headers.get('content-type') ?? '';
      if (audio.length === 0 || !/^audio\//i.test(contentType)) {
        throw failure(
          'ProviderUnavailable',
          `ElevenLabs answered ${audio.length} bytes of ${contentType || 'no content type'} instead of audio`,
        );
      }
      return { audio, contentType: 'audio/mpeg', extension: 'mp3', provider: 'elevenlabs', voice };
    },

    async check() {
      const response = await request('/v1/models', { method: 'GET', headers: { Accept: 'application/json' } });
      if (!response.ok) {
        throw elevenLabsFailure(response.status, await response.text(), response.headers.get('retry-after'));
      }
    },
  };
}
