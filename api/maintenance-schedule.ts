/**
 * The account maintenance Schedule (DESIGN §4: recurring jobs are Temporal Schedules): every
 * ACCOUNT_MAINTENANCE_INTERVAL_MINUTES it runs `accountMaintenanceWorkflow`, which purges expired sessions, reset
 * tokens and old invitations. Created at API start; idempotent: a second start (another replica, a restart) finds
 * the schedule and only brings its interval and queue up to date.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { accountMaintenanceWorkflow } from '../workflows/account-email.workflow';

export const maintenanceScheduleId = (taskQueue: string) => `account-maintenance/${taskQueue}`;

export async function ensureMaintenanceSchedule(
  client: Client,
  options: { taskQueue: string; intervalMinutes: number },
): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = maintenanceScheduleId(options.taskQueue);
  const spec = { intervals: [{ every: `${options.intervalMinutes}m` as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'accountMaintenanceWorkflow',
    taskQueue: options.taskQueue,
    workflowId: `account-maintenance/${options.taskQueue}`,
    args: [] as [],
    workflowExecutionTimeout: '10m' as const,
  };
  try {
    await client.schedule.create<typeof accountMaintenanceWorkflow>({
      scheduleId,
      spec,
      action,
      // A purge that overlaps the next one is pointless; after an outage, one catch-up run is enough.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    });
    return { scheduleId, created: true };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update<typeof accountMaintenanceWorkflow>((previous) => ({
      ...previous,
      spec,
      action,
    }));
    return { scheduleId, created: false };
  }
}
