/**
 * What a video costs in credits (docs/credits.md). Pure: no I/O, no clock, so workflows and activities import it
 * alike. The same function quotes the estimate reserved at start (target length, chosen providers) and the actual
 * cost captured on success (measured length, providers that did the work).
 *
 * Length is counted in started 10-second blocks, after a half-second grace so a 30 s target rendered at 30.3 s
 * stays 3 blocks:
 *
 *   item                     credits
 *   render                   1 per block
 *   voice: espeak            0
 *   voice: any other (e.g. ElevenLabs)   2 per block
 *   script: offline          0
 *   script: any model        1 per block
 *   images: template         0
 *   images: any image API    2 per scene
 *   publish                  1 per external platform (the brand's local channel is free)
 *
 * The length billed at capture is the measured length up to the target asked for (`billedSeconds`): the pauses
 * between scenes and a voice a little slower than planned can run a 30 s video to 31 s, and an approver's edit may
 * lengthen the script within its tolerance, but the workspace is never charged for length it did not ask for, so the
 * charge never exceeds the quote for the same providers. A shorter video costs less.
 *
 * An absent provider is the embedded default (free); an unknown name is priced as the paid kind, so a new
 * provider never runs for nothing by mistake.
 */

export const BLOCK_SECONDS = 10;
/** Seconds forgiven before a block counts as started. */
export const GRACE_SECONDS = 0.5;

export const CREDIT_PRICES = {
  renderPerBlock: 1,
  cloudVoicePerBlock: 2,
  modelScriptPerBlock: 1,
  imageApiPerScene: 2,
  publishPerExternalPlatform: 1,
} as const;

/** Providers that run inside Studioflow and cost nothing beyond the render. */
export const FREE_PROVIDERS = {
  voice: ['espeak'],
  script: ['offline'],
  image: ['template'],
} as const;

/** The brand's own channel: publishing there is free. */
export const LOCAL_PLATFORM = 'local';

export interface VideoCostInput {
  /** Target length for an estimate, measured length for the actual cost. */
  seconds: number;
  /** `espeak` (default) or `elevenlabs`. */
  voiceProvider?: string;
  /** `offline` (default) or the model provider that wrote the script (`openai`…). */
  scriptProvider?: string;
  /** `template` (default: frames drawn from the brand's colours) or an image API. */
  imageProvider?: string;
  /** Scenes an image API draws; default one per block. */
  scenes?: number;
  /** Platforms published to; duplicates count once. */
  platforms?: readonly string[];
}

export interface CostLine {
  item: 'render' | 'voice' | 'script' | 'images' | 'publish';
  credits: number;
  /** How the line was counted, for the UI and the ledger: `3 blocks × 2 (elevenlabs)`. */
  detail: string;
}

export interface VideoCost {
  total: number;
  /** Started 10-second blocks. */
  blocks: number;
  lines: CostLine[];
}

/** The length a finished video is charged for: what it measured, up to the target length that was quoted. */
export function billedSeconds(measuredSeconds: number, targetSeconds: number): number {
  if (!Number.isFinite(measuredSeconds) || measuredSeconds < 0)
    throw new RangeError(`measuredSeconds must be a length ≥ 0; got ${measuredSeconds}`);
  return Math.min(measuredSeconds, targetSeconds);
}

/** Started 10-second blocks of a video, at least one. */
export function videoBlocks(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`seconds must be a length ≥ 0; got ${seconds}`);
  return Math.max(1, Math.ceil(Math.max(0, seconds - GRACE_SECONDS) / BLOCK_SECONDS));
}

const isFree = (kind: keyof typeof FREE_PROVIDERS, provider: string | undefined) =>
  provider === undefined || (FREE_PROVIDERS[kind] as readonly string[]).includes(provider.toLowerCase());

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function estimateVideoCredits(input: VideoCostInput): VideoCost {
  const blocks = videoBlocks(input.seconds);
  const scenes = input.scenes ?? blocks;
  if (!Number.isSafeInteger(scenes) || scenes < 0) throw new RangeError(`scenes must be a whole number ≥ 0`);
  const lines: CostLine[] = [];
  const perBlock = (item: CostLine['item'], price: number, provider?: string) =>
    lines.push({
      item,
      credits: blocks * price,
      detail: `${plural(blocks, 'block')} × ${price}${provider ? ` (${provider})` : ''}`,
    });

  perBlock('render', CREDIT_PRICES.renderPerBlock);
  if (isFree('voice', input.voiceProvider)) perBlock('voice', 0, input.voiceProvider ?? FREE_PROVIDERS.voice[0]);
  else perBlock('voice', CREDIT_PRICES.cloudVoicePerBlock, input.voiceProvider);
  if (isFree('script', input.scriptProvider)) perBlock('script', 0, input.scriptProvider ?? FREE_PROVIDERS.script[0]);
  else perBlock('script', CREDIT_PRICES.modelScriptPerBlock, input.scriptProvider);

  const imageFree = isFree('image', input.imageProvider);
  const imagePrice = imageFree ? 0 : CREDIT_PRICES.imageApiPerScene;
  lines.push({
    item: 'images',
    credits: imageFree ? 0 : scenes * imagePrice,
    detail: `${plural(scenes, 'scene')} × ${imagePrice} (${input.imageProvider ?? FREE_PROVIDERS.image[0]})`,
  });

  const external = [...new Set(input.platforms ?? [])].filter((p) => p !== LOCAL_PLATFORM);
  lines.push({
    item: 'publish',
    credits: external.length * CREDIT_PRICES.publishPerExternalPlatform,
    detail: external.length ? `${plural(external.length, 'platform')}: ${external.join(', ')}` : 'no external platform',
  });

  return { total: lines.reduce((sum, line) => sum + line.credits, 0), blocks, lines };
}
