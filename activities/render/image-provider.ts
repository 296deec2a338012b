/**
 * Optional generated backgrounds for the scene frames: a small port and its OpenAI Images implementation
 * (`POST {baseUrl}/images/generations`, also served by compatible gateways and local servers).
 *
 * - Temporal owns retries: one HTTP call per image, with its own timeout; failures leave as `ApplicationFailure`s typed
 *   like the text provider's (`ProviderAuth`, `RateLimited` with the server's Retry-After, `ContentRejected`,
 *   `ProviderUnavailable`, ...). The frame activity treats any of them as "no background" and renders template-only.
 * - The image comes back inline (`b64_json`), never as a URL to fetch: the GPT image models always answer that way,
 *   the DALL·E models and compatible servers are asked to with `response_format: 'b64_json'`.
 */
import { type ApplicationFailure } from '@temporalio/common';
import type { Scene, VideoBrand } from '../../lib/video/types';
import { apiRoot, authHeaders, type OpenAiEndpoint } from '../llm/openai-endpoint';
import { rethrowIfCancelled, toProviderFailure } from '../llm/provider-failure';
import { failure } from '../../lib/failures';

export type ImageOrientation = 'portrait' | 'landscape';
export type ImageContentType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface ImageRequest {
  prompt: string;
  orientation: ImageOrientation;
}

export interface GeneratedImage {
  data: Buffer;
  contentType: ImageContentType;
}

export interface GenerateOptions {
  /** Aborting abandons the request and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Port for a text-to-image service. */
export interface ImageProvider {
  /** e.g. `openai`; error messages start with it. */
  readonly name: string;
  readonly model: string;
  /**
   * Everything besides the prompt that changes what comes back (model, sizes, quality, format): stored images are
   * reused only while it stays the same.
   */
  readonly fingerprint: string;
  generate(request: ImageRequest, options?: GenerateOptions): Promise<GeneratedImage>;
}

/** `timeoutMs` is per request. */
export interface OpenAiImagesOptions extends OpenAiEndpoint {
  /** Default `gpt-image-1`. */
  model?: string;
  /**
   * Portrait size as `WIDTHxHEIGHT` (landscape swaps it); default by model: 1024x1536 for the GPT image models,
   * 1024x1792 for DALL·E 3, 1024x1024 for anything else.
   */
  size?: string;
  /** Passed through when set: `low|medium|high|auto` (GPT image), `standard|hd` (DALL·E 3). */
  quality?: string;
  /** Recorded as the provider name; default `openai`. */
  name?: string;
}

const GPT_IMAGE = /^(?:[\w-]+\/)?gpt-image/i;
/** Compressed JPEG keeps the reply (and the page it is inlined in) small; the veil hides any artefacts. */
const GPT_IMAGE_OUTPUT = { output_format: 'jpeg', output_compression: 85 } as const;
const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
const MODERATION = /moderation|content[_ ]?policy|safety (?:system|policy)|image_generation_user_error/i;

function defaultSize(model: string): string {
  if (GPT_IMAGE.test(model)) return '1024x1536';
  if (/dall-e-3/i.test(model)) return '1024x1792';
  return '1024x1024';
}

/** `WxH` for the orientation: the configured (portrait) size, swapped for landscape. */
export function imageSize(portrait: string, orientation: ImageOrientation): string {
  const match = /^(\d{2,5})x(\d{2,5})$/.exec(portrait.trim());
  if (!match) throw new Error(`Image size must look like 1024x1536, got ${JSON.stringify(portrait)}`);
  const [a, b] = [Number(match[1]), Number(match[2])];
  const [short, long] = [Math.min(a, b), Math.max(a, b)];
  return orientation === 'portrait' ? `${short}x${long}` : `${long}x${short}`;
}

/** The type from the file's magic bytes; null for anything that is not a PNG, JPEG or WebP. */
export function sniffImageType(data: Buffer): ImageContentType | null {
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a)
    return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

interface OpenAiErrorBody {
  error?: { message?: string; type?: string; code?: string | null } | null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A non-2xx reply in the house taxonomy; a refused prompt is `ContentRejected`, whatever the gateway's code. */
function httpFailure(name: string, res: Response, text: string): ApplicationFailure {
  const body = parseJson(text) as OpenAiErrorBody | undefined;
  const error = body?.error ?? undefined;
  const message = (error?.message ?? text).trim().slice(0, 500) || res.statusText || 'no details';
  const code = `${error?.code ?? ''} ${error?.type ?? ''}`;
  if ((res.status === 400 || res.status === 403 || res.status === 422) && MODERATION.test(`${code} ${message}`)) {
    return failure('ContentRejected', `${name}: HTTP ${res.status} ${message}`);
  }
  return toProviderFailure({ status: res.status, headers: res.headers, code: error?.code, error, message }, name);
}

/** OpenAI Images (or a compatible server): one image per call, returned inline. */
export function createOpenAiImageProvider(options: OpenAiImagesOptions): ImageProvider {
  const name = options.name ?? 'openai';
  const model = options.model?.trim() || 'gpt-image-1';
  const portrait = imageSize(options.size?.trim() || defaultSize(model), 'portrait');
  const baseUrl = apiRoot(options.baseUrl);
  const gptImage = GPT_IMAGE.test(model);
  const quality = options.quality?.trim() || undefined;
  const fingerprint = [name, model, portrait, quality ?? 'default', gptImage ? 'jpeg' : 'b64'].join(':');

  async function generate(request: ImageRequest, { signal }: GenerateOptions = {}): Promise<GeneratedImage> {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const body = {
      model,
      prompt: request.prompt,
      size: imageSize(portrait, request.orientation),
      n: 1,
      ...(quality ? { quality } : {}),
      // The GPT image models refuse `response_format` ("Unknown parameter") and always answer in base64.
      ...(gptImage ? GPT_IMAGE_OUTPUT : { response_format: 'b64_json' }),
    };
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${baseUrl}/images/generations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...authHeaders(options.apiKey),
        },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await res.text();
    } catch (err) {
      rethrowIfCancelled(err, signal);
      if (timeout.aborted) {
        throw failure('ProviderUnavailable', `${name}: no image after ${options.timeoutMs} ms`);
      }
      throw toProviderFailure(err, name);
    }
    if (!res.ok) throw httpFailure(name, res, text);
    return readImage(name, text);
  }

  return { name, model, fingerprint, generate };
}

function readImage(name: string, text: string): GeneratedImage {
  const reply = parseJson(text) as { data?: { b64_json?: unknown; url?: unknown }[] } | undefined;
  const first = Array.isArray(reply?.data) ? reply.data[0] : undefined;
  if (typeof first?.b64_json !== 'string' || first.b64_json.length === 0) {
    if (typeof first?.url === 'string') {
      throw failure(
        'ProviderMisconfigured',
        `${name}: the server answered with an image URL instead of inline base64; it ignores response_format`,
      );
    }
    throw failure('ProviderUnavailable', `${name}: the reply holds no image`);
  }
  const data = Buffer.from(first.b64_json, 'base64');
  const contentType = sniffImageType(data);
  if (!contentType) {
    throw failure('ProviderUnavailable', `${name}: the reply is not a PNG, JPEG or WebP image`);
  }
  if (data.length > MAX_IMAGE_BYTES) {
    throw failure(
      'ProviderMisconfigured',
      `${name}: the image is ${data.length} bytes, over the ${MAX_IMAGE_BYTES} allowed`,
    );
  }
  return { data, contentType };
}

/** Trims, collapses whitespace and caps a piece of prompt text. */
function clip(value: string | null | undefined, max: number): string {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The prompt for one scene's background: what the scene shows, the brand's world and colours, and no text (the frame
 * sets the on-screen text itself; generated lettering is unreadable and off-brand). Under 1,000 characters, which every
 * model accepts.
 */
export function sceneImagePrompt(
  brand: Pick<VideoBrand, 'name' | 'category' | 'keywords' | 'colors'>,
  scene: Pick<Scene, 'visual' | 'onScreenText'>,
  orientation: ImageOrientation,
): string {
  const subject = clip(scene.visual, 420) || clip(scene.onScreenText, 200);
  const world = [clip(brand.category, 80), ...(brand.keywords ?? []).slice(0, 5).map((k) => clip(k, 30))]
    .filter(Boolean)
    .join(', ');
  const colours = [brand.colors?.primary, brand.colors?.secondary].filter((c) => /^#[0-9a-f]{3,8}$/i.test(c ?? ''));
  return [
    `Background photograph for a ${orientation === 'portrait' ? 'vertical 9:16' : 'horizontal 16:9'} short video.`,
    `Scene: ${subject}.`,
    world ? `Context: ${world}.` : '',
    colours.length ? `Colour mood that harmonises with ${colours.join(' and ')}.` : '',
    'Clean, modern, high quality, soft natural light, simple composition with calm empty space for overlaid text.',
    'No text, no letters, no words, no logos, no watermarks.',
  ]
    .filter(Boolean)
    .join(' ')
    .slice(0, 1000);
}

export const IMAGE_PROVIDER_NAMES = ['none', 'openai'] as const;

export interface ImageProviderConfig {
  /** `none` (default): template-only frames; `openai`: generated backgrounds. */
  provider?: string;
  openai?: OpenAiImagesOptions;
}

/** The configured image provider, or undefined for template-only frames. Unknown names fail the boot. */
export function createImageProviderFromConfig(config: ImageProviderConfig): ImageProvider | undefined {
  const provider = (config.provider ?? 'none').trim().toLowerCase() || 'none';
  switch (provider) {
    case 'none':
      return undefined;
    case 'openai':
      if (!config.openai) throw new Error('Image provider "openai" is selected but its settings are missing');
      return createOpenAiImageProvider(config.openai);
    default:
      throw new Error(`Unknown image provider "${provider}"; known providers: ${IMAGE_PROVIDER_NAMES.join(', ')}`);
  }
}
