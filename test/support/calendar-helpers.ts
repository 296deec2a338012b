/** Helpers for the calendar's integration tests: local times a few seconds ahead, what was published, cleanup. */
import { QueryTypes } from 'sequelize';
import { formatLocal, toLocal } from '../../lib/calendar/wall-clock';
import { calendarWorkflowId } from '../../workflows/editorial-calendar-messages';
import { waitFor, type TestStack } from './harness';

/** The wall-clock time `seconds` from now in `zone`, to the second (the UI plans to the minute). */
export const localIn = (zone: string, seconds: number) => formatLocal(toLocal(Date.now() + seconds * 1000, zone));

/** Posts on the brand's channel: (post id, workflow id that published it). */
export async function postsOf(stack: TestStack, brandId: string): Promise<{ id: string; workflow_id: string }[]> {
  return stack.db.sequelize.query<{ id: string; workflow_id: string }>(
    'SELECT id, workflow_id FROM posts WHERE brand_id = :brandId ORDER BY created_at',
    { replacements: { brandId }, type: QueryTypes.SELECT },
  );
}

export async function entryOf(stack: TestStack, id: string) {
  const res = await stack.request('GET', `/api/v1/calendar/entries/${id}`);
  if (res.status !== 200) throw new Error(`entry ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function waitForEntry(stack: TestStack, id: string, status: string, timeoutMs = 90_000) {
  return waitFor(
    `entry ${id} ${status}`,
    async () => {
      const entry = await entryOf(stack, id);
      if (entry.status === status) return entry;
      if (['published', 'failed', 'cancelled'].includes(entry.status) && entry.status !== status)
        throw new Error(`entry ${id} ended ${entry.status}: ${entry.failure ?? ''}`);
      return undefined;
    },
    timeoutMs,
    250,
  );
}

/** Ends the brands' calendar runs: they sleep forever otherwise, on the shared dev server. */
export async function endCalendars(stack: TestStack, brandIds: string[]): Promise<void> {
  for (const brandId of brandIds)
    await stack.client.workflow
      .getHandle(calendarWorkflowId(brandId))
      .terminate('test over')
      .catch(() => undefined);
}
