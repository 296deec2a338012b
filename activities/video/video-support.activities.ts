/**
 * Main-queue activities of `videoPipelineWorkflow` and `videoAnalyticsWorkflow` that are not a step's real work:
 * load the brand facts the script and frames use, quote a video's credits (the estimate reserved at start and the
 * actual cost captured at the end, one pricing function for both), and fold video stats into the brand's KPIs.
 */
import type { BrandRepository } from '../../db/repositories/brand.repository';
import type { KpiRepository, KpiValues } from '../../db/repositories/kpi.repository';
import { estimateVideoCredits, type VideoCost } from '../../lib/credits/pricing';
import type { VideoProviderDefaults } from '../../lib/credits/provider-defaults';
import type { VideoBrand, VideoPlatform, VideoStats, VoiceChoice } from '../../lib/video/types';
import { failure } from '../../lib/failures';

export interface VideoSupportActivityDeps {
  brands: BrandRepository;
  kpis: KpiRepository;
  /** What a run that names no provider uses: the configured defaults. */
  defaults: VideoProviderDefaults;
}

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

export function createVideoSupportActivities(deps: VideoSupportActivityDeps) {
  const { brands, kpis, defaults } = deps;

  return {
    async loadVideoBrand(ref: { workspaceId: string; brandId: string }): Promise<VideoBrand> {
      const brand = await brands.get(ref.workspaceId, ref.brandId);
      if (!brand) throw failure('NotFound', `Brand ${ref.brandId} was not found`);
      return {
        id: brand.id,
        name: brand.name,
        slug: brand.slug,
        slogan: brand.slogan,
        mission: brand.mission,
        category: brand.category,
        keywords: brand.keywords,
        colors: brand.colors,
        fontFamily: brand.fontFamily,
        logoKey: brand.logoKey,
      };
    },

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

    /**
     * The brand's KPIs of every week it has published in, recomputed from what is stored: posts and page views of
     * its local channel plus the latest stats of its external video publications. Recomputing (rather than adding
     * this reading) keeps a retried or repeated reading from counting twice.
     */
    async recordVideoStats(input: {
      workspaceId: string;
      brandId: string;
      stats: VideoStats[];
    }): Promise<{ periods: number }> {
      const [local, external] = await Promise.all([
        kpis.localChannelWeeks(input.brandId),
        kpis.externalVideoWeeks(input.brandId),
      ]);
      const weeks = new Map<string, { posts: number; views: number; interactions: number }>();
      for (const w of local) weeks.set(w.period, { posts: w.posts, views: w.views, interactions: 0 });
      for (const w of external) {
        const week = weeks.get(w.period) ?? { posts: 0, views: 0, interactions: 0 };
        week.posts += w.posts;
        week.views += w.views;
        week.interactions += w.likes + w.comments;
        weeks.set(w.period, week);
      }
      const entries = [...weeks].map(([period, w]) => {
        const values: KpiValues = { posts: w.posts, views: w.views };
        // Only external platforms report likes and comments; the local channel counts views alone.
        if (w.interactions > 0 && w.views > 0) values.engagementRate = Number((w.interactions / w.views).toFixed(6));
        return { period, values };
      });
      if (entries.length === 0) return { periods: 0 };
      const rows = await kpis.upsert(input.workspaceId, input.brandId, entries, 'local-channel');
      if (!rows) throw failure('NotFound', `Brand ${input.brandId} was not found`);
      return { periods: rows.length };
    },
  };
}

export type VideoSupportActivities = ReturnType<typeof createVideoSupportActivities>;
