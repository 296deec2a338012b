/**
 * The calendar's Temporal Schedules, one pair per workspace (DESIGN §4: recurring jobs are Schedules): the daily
 * generation at the workspace's time in its zone (Temporal evaluates the calendar spec in that zone, DST included),
 * and the hourly analytics. Created or brought up to date idempotently, like api/maintenance-schedule.ts; paused,
 * resumed and triggered from the API, and visible under Schedules in the Temporal Web UI.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { CalendarSettings } from '../../db/repositories/calendar.repository';
import type { ScheduleKind } from '../../lib/calendar/entry-input';
import { AutomationKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import type {
  calendarAnalyticsWorkflow,
  calendarGenerationWorkflow,
} from '../../workflows/calendar-schedules.workflow';

export const calendarScheduleId = (kind: ScheduleKind, workspaceId: string) => `calendar-${kind}/${workspaceId}`;

export interface ScheduleView {
  kind: ScheduleKind;
  scheduleId: string;
  paused: boolean;
  note: string | null;
  /** What it runs, in words. */
  spec: string;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; workflowId: string }[];
}

function plan(kind: ScheduleKind, workspaceId: string, settings: CalendarSettings, taskQueue: string) {
  const [hour, minute] = settings.generationTime.split(':').map(Number);
  const workflowType = kind === 'generation' ? 'calendarGenerationWorkflow' : 'calendarAnalyticsWorkflow';
  return {
    spec:
      kind === 'generation'
        ? { calendars: [{ hour, minute }], timezone: settings.timeZone }
        : { intervals: [{ every: '1h' as const }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType,
      taskQueue,
      workflowId: `calendar-${kind}/${workspaceId}`,
      args: [{ workspaceId }] as [{ workspaceId: string }],
      workflowExecutionTimeout: '30m' as const,
      typedSearchAttributes: [
        { key: WorkspaceIdKey, value: workspaceId },
        { key: AutomationKey, value: `calendar-${kind}` },
      ],
    },
  };
}

export function createCalendarSchedules(deps: { client: Client; taskQueue: string }) {
  const { client } = deps;

  async function ensureOne(kind: ScheduleKind, workspaceId: string, settings: CalendarSettings) {
    const scheduleId = calendarScheduleId(kind, workspaceId);
    const { spec, action } = plan(kind, workspaceId, settings, deps.taskQueue);
    try {
      await client.schedule.create<typeof calendarGenerationWorkflow | typeof calendarAnalyticsWorkflow>({
        scheduleId,
        spec,
        action,
        // A job overlapping the next is pointless; after an outage one catch-up run is enough.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
    }
  }

  const view = (kind: ScheduleKind, scheduleId: string, d: ScheduleDescription, settings: CalendarSettings) => ({
    kind,
    scheduleId,
    paused: d.state.paused,
    note: d.state.note ?? null,
    spec:
      kind === 'generation'
        ? `Daily at ${settings.generationTime} ${settings.timeZone}: drafts for the next ${settings.generationDays} days`
        : 'Hourly: platform analytics into each brand’s KPIs',
    nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    recentRuns: d.info.recentActions.slice(-5).map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
  });

  return {
    /** Creates both schedules, or brings their spec (a new time or zone) up to date. */
    async ensure(workspaceId: string, settings: CalendarSettings): Promise<void> {
      await ensureOne('generation', workspaceId, settings);
      await ensureOne('analytics', workspaceId, settings);
    },

    async list(workspaceId: string, settings: CalendarSettings): Promise<ScheduleView[]> {
      // Both at once: a workspace's first look creates them, which took two round trips each one after the other.
      return Promise.all(
        (['generation', 'analytics'] as const).map(async (kind) => {
          const scheduleId = calendarScheduleId(kind, workspaceId);
          let description: ScheduleDescription;
          try {
            description = await client.schedule.getHandle(scheduleId).describe();
          } catch (err) {
            if (!(err instanceof ScheduleNotFoundError)) throw err;
            await ensureOne(kind, workspaceId, settings);
            description = await client.schedule.getHandle(scheduleId).describe();
          }
          return view(kind, scheduleId, description, settings);
        }),
      );
    },

    /** Pause, resume or run now (a run now while one is running is skipped, as the overlap policy says). */
    async act(
      workspaceId: string,
      kind: ScheduleKind,
      action: 'pause' | 'resume' | 'trigger',
      by: string,
      settings: CalendarSettings,
    ): Promise<void> {
      const scheduleId = calendarScheduleId(kind, workspaceId);
      const handle = client.schedule.getHandle(scheduleId);
      const run = async () => {
        if (action === 'pause') await handle.pause(`Paused by ${by}`);
        else if (action === 'resume') await handle.unpause(`Resumed by ${by}`);
        else await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
      };
      try {
        await run();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
        await ensureOne(kind, workspaceId, settings);
        await run();
      }
    },
  };
}

export type CalendarSchedules = ReturnType<typeof createCalendarSchedules>;
