/**
 * A video's price in credits: the estimate reserved at start and the actual cost captured at the end, one pricing
 * function for both.
 */
import { estimateVideoCredits, type VideoCost } from '../../lib/credits/pricing';
import type { VideoProviderDefaults } from '../../lib/credits/provider-defaults';
import type { VideoPlatform, VoiceChoice } from '../../lib/video/types';

export interface QuoteVideoInput {
  seconds: number;
  voice: VoiceChoice;
  platforms: VideoPlatform[];
  /** The provider that wrote the script; absent: the configured first text provider (an estimate). */
  scriptProvider?: string;
  /** `template` or the image provider that drew the backgrounds; absent: the configured one (an estimate). */
  imageProvider?: string;
  /** Scenes drawn; absent: one per 10-second block. */
  scenes?: number;
}

/** `defaults` is what a run that names no provider uses: the configured ones. */
export function createVideoQuoteActivities(deps: { defaults: VideoProviderDefaults }) {
  const { defaults } = deps;
  return {
    async quoteVideo(input: QuoteVideoInput): Promise<VideoCost> {
      return estimateVideoCredits({
        seconds: input.seconds,
        voiceProvider: input.voice.provider ?? defaults.voiceProvider,
        scriptProvider: input.scriptProvider ?? defaults.scriptProvider,
        imageProvider: input.imageProvider ?? defaults.imageProvider,
        scenes: input.scenes,
        platforms: input.platforms,
      });
    },
  };
}

export type VideoQuoteActivities = ReturnType<typeof createVideoQuoteActivities>;
