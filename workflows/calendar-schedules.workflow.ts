/**
 * The calendar's recurring jobs, run by Temporal Schedules (api/calendar-schedules.ts), never by a timer loop or cron
 * in a process: the daily generation drafts entries for the coming days for approval; the hourly analytics fold what
 * the platforms report into each brand's KPIs.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { calendarAnalyticsManifest, calendarGenerationManifest } from './editorial-calendar.manifest';
import { ProgressTracker, progressQuery } from './progress';

export interface CalendarJobInput {
  workspaceId: string;
}

export async function calendarGenerationWorkflow(
  input: CalendarJobInput,
): Promise<{ drafted: number; brands: number }> {
  const tracker = new ProgressTracker(calendarGenerationManifest.automation, calendarGenerationManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const { draftCalendarEntries } = activitiesOn('main', presets.llm);
  tracker.start('draft');
  const result = await draftCalendarEntries({ workspaceId: input.workspaceId });
  tracker.done('draft', `${result.drafted} drafts for ${result.brands} brands`);
  tracker.complete(`${result.drafted} drafts waiting for approval`);
  return result;
}

export async function calendarAnalyticsWorkflow(input: CalendarJobInput): Promise<{ brands: number; periods: number }> {
  const tracker = new ProgressTracker(calendarAnalyticsManifest.automation, calendarAnalyticsManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const { listCalendarBrands, recordVideoStats } = activitiesOn('main', presets.quick);
  const { readPublicationStats } = activitiesOn('main', presets.platformReads);
  // Runs started before read nothing from the platforms: they recomputed from what was stored.
  const readPlatforms = patched('calendar-analytics-reads-platforms');
  tracker.start('collect');
  const brands = await listCalendarBrands({ workspaceId: input.workspaceId });
  let periods = 0;
  let read = 0;
  for (const brandId of brands) {
    // The brand's recent posts and videos on the platforms, read again when their reading is an hour old.
    if (readPlatforms) read += (await readPublicationStats({ workspaceId: input.workspaceId, brandId })).read;
    // Recomputed from what is stored (local channel views, the publications' latest stats): a repeat adds nothing.
    periods += (await recordVideoStats({ workspaceId: input.workspaceId, brandId, stats: [] })).periods;
  }
  tracker.done('collect', `${brands.length} brands, ${read} publications read, ${periods} weeks of KPIs`);
  tracker.complete(`KPIs of ${brands.length} brands updated`);
  return { brands: brands.length, periods };
}
