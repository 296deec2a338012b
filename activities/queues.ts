/**
 * Which activities each task queue serves. The workers build exactly these (workers/activities.ts checks it), and
 * workflows proxy through `activitiesOn(kind, …)` (workflows/activities-on.ts), so asking the media queue for a
 * browser activity — which would wait forever for a worker that never polls for it — does not compile.
 */
import type { AccountActivities } from './accounts/account.activities';
import type { ExperimentActivities } from './abtest/experiment.activities';
import type { AnalysisActivities } from './analysis/analysis.activities';
import type { BrandReportActivities } from './brand-report/brand-report.activities';
import type { ReportWorkActivities } from './brand-report/report-work.activities';
import type { CalendarActivities } from './calendar/calendar.activities';
import type { CreditActivities } from './credits/credits.activities';
import type { KnowledgeActivities } from './knowledge/knowledge.activities';
import type { CrawlActivities } from './leads/crawl.activities';
import type { LeadBatchActivities } from './leads/batch.activities';
import type { LeadCallbackActivities } from './leads/callback.activities';
import type { LeadEnrichmentActivities } from './leads/enrichment.activities';
import type { PlacesActivities } from './leads/places.activities';
import type { QualifyActivities } from './leads/qualify.activities';
import type { MailActivities } from './mail/mail.activities';
import type { MediaInspectActivities } from './media/inspect.activities';
import type { VideoRenderActivities } from './media/video/render-video.activities';
import type { VoiceActivities } from './media/voice/narration.activities';
import type { PublishActivities } from './publish/publish.activities';
import type { LeadPageActivities } from './render/lead-page.activities';
import type { RenderActivities } from './render/render.activities';
import type { SceneFrameActivities } from './render/scene-frames.activities';
import type { ReportRenderActivities } from './report/render-report.activities';
import type { ScriptActivities } from './script/script.activities';
import type { SocialActivities } from './social/social.activities';
import type { TextActivities } from './text/text.activities';
import type { VideoBrandActivities } from './video/video-brand.activities';
import type { VideoQuoteActivities } from './video/video-quote.activities';
import type { VideoStatsActivities } from './video/video-stats.activities';

/** Database, model and HTTP work: the workflows' own queue. */
export type MainQueueActivities = KnowledgeActivities &
  AnalysisActivities &
  BrandReportActivities &
  ReportWorkActivities &
  SocialActivities &
  TextActivities &
  ScriptActivities &
  CreditActivities &
  VideoBrandActivities &
  VideoQuoteActivities &
  VideoStatsActivities &
  PublishActivities &
  MailActivities &
  CrawlActivities &
  LeadEnrichmentActivities &
  LeadCallbackActivities &
  LeadBatchActivities &
  PlacesActivities &
  QualifyActivities &
  ExperimentActivities &
  AccountActivities &
  CalendarActivities;

/** Headless Chromium: post images, scene frames, report PDFs, leads' JavaScript pages. */
export type BrowserQueueActivities = RenderActivities &
  SceneFrameActivities &
  ReportRenderActivities &
  LeadPageActivities;

/** ffmpeg, ffprobe and the voices. */
export type MediaQueueActivities = MediaInspectActivities & VoiceActivities & VideoRenderActivities;

export interface QueueActivities {
  main: MainQueueActivities;
  browser: BrowserQueueActivities;
  media: MediaQueueActivities;
}
