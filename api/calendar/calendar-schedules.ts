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
import { resolveLocal, toLocal } from '../../lib/calendar/wall-clock';
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

const HOUR_MS = 3_600_000;

/**
 * The next three action times of a schedule's spec after `nowMs`: the hourly interval is aligned to the epoch (whole
 * UTC hours, as Temporal's `every` with no offset); the daily time is read in the zone, a time in a DST gap moved
 * forward as the calendar's entries are.
 */
export function nextTimes(kind: ScheduleKind, settings: CalendarSettings, nowMs: number, count = 3): number[] {
  if (kind === 'analytics') {
    const first = Math.floor(nowMs / HOUR_MS + 1) * HOUR_MS;
    return Array.from({ length: count }, (_, i) => first + i * HOUR_MS);
  }
  const [hour, minute] = settings.generationTime.split(':').map(Number);
  const today = toLocal(nowMs, settings.timeZone);
  const times: number[] = [];
  // From the zone's own today: today's time if it is still ahead, else tomorrow's.
  for (let day = 0; times.length < count; day++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + day));
    const { instantMs } = resolveLocal(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour,
        minute,
        second: 0,
      },
      settings.timeZone,
    );
    if (instantMs > nowMs) times.push(instantMs);
  }
  return times;
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

  const describeSpec = (kind: ScheduleKind, settings: CalendarSettings) =>
    kind === 'generation'
      ? `Daily at ${settings.generationTime} ${settings.timeZone}: drafts for the next ${settings.generationDays} days`
      : 'Hourly: platform analytics into each brand’s KPIs';

  const view = (kind: ScheduleKind, scheduleId: string, d: ScheduleDescription, settings: CalendarSettings) => ({
    kind,
    scheduleId,
    paused: d.state.paused,
    // Temporal says "" when there is no note.
    note: d.state.note || null,
    spec: describeSpec(kind, settings),
    nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    recentRuns: d.info.recentActions.slice(-5).map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
  });

  /**
   * A schedule just created, seen from its own spec: Temporal answers a describe only once the new scheduler workflow
   * can be queried, which took ~5 s on a loaded machine, so the first look does not wait for it. Unpaused, no runs
   * yet, and the next times as Temporal computes them (the integration test compares the two).
   */
  const createdView = (kind: ScheduleKind, scheduleId: string, settings: CalendarSettings): ScheduleView => ({
    kind,
    scheduleId,
    paused: false,
    note: null,
    spec: describeSpec(kind, settings),
    nextRuns: nextTimes(kind, settings, Date.now()).map((t) => new Date(t).toISOString()),
    recentRuns: [],
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
          try {
            return view(kind, scheduleId, await client.schedule.getHandle(scheduleId).describe(), settings);
          } catch (err) {
            if (!(err instanceof ScheduleNotFoundError)) throw err;
            await ensureOne(kind, workspaceId, settings);
            return createdView(kind, scheduleId, settings);
          }
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
