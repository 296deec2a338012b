/**
 * After a video is published: read its views, likes and comments on every platform at an interval until the window
 * closes, recording each reading into the brand's KPIs. Continues as new every few readings so the history of a
 * weeks-long window stays small.
 */
import { continueAsNew, sleep } from '@temporalio/workflow';
import type { Publication } from '../lib/video/types';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';

export interface VideoAnalyticsInput {
  workspaceId: string;
  brandId: string;
  publications: Publication[];
  intervalSeconds: number;
  /** ISO instant the window closes. */
  until: string;
  /** Readings taken so far, over every continued run. */
  readings: number;
  /** Readings per run before continuing as new; default READINGS_PER_RUN. */
  readingsPerRun?: number;
}

/** Readings per run before continuing as new: each reading adds a handful of events. */
export const READINGS_PER_RUN = 50;

export async function videoAnalyticsWorkflow(input: VideoAnalyticsInput): Promise<{ readings: number }> {
  const { readVideoStats } = activitiesOn('main', presets.publish);
  const { recordVideoStats } = activitiesOn('main', presets.quick);
  const until = new Date(input.until).getTime();
  let readings = input.readings;
  for (let inRun = 0; ; inRun++) {
    const now = new Date().getTime();
    if (now >= until) return { readings };
    if (inRun >= (input.readingsPerRun ?? READINGS_PER_RUN))
      await continueAsNew<typeof videoAnalyticsWorkflow>({ ...input, readings });
    await sleep(Math.min(input.intervalSeconds * 1000, until - now));
    const stats = await readVideoStats({
      workspaceId: input.workspaceId,
      brandId: input.brandId,
      publications: input.publications,
    });
    await recordVideoStats({ workspaceId: input.workspaceId, brandId: input.brandId, stats });
    readings += 1;
  }
}
