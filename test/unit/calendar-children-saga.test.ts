/**
 * The calendar's children with stubbed activities: an entry for the channel and X whose X child fails (a revoked
 * grant) while the channel's child is still publishing is finished as failed with both outcomes — the calendar run
 * keeps going (a child's failure seen late must not be an unhandled rejection that fails every workflow task). And
 * an outcome is recorded however long the database is away: the finish is retried without a limit.
 */
import type { QueueActivities } from '../../activities/queues';
import type { CalendarEntry } from '../../lib/calendar/entry';
import { failure } from '../../lib/failures';
import { editorialCalendarWorkflow } from '../../workflows/editorial-calendar.workflow';
import { startSagaEnv, type SagaEnv } from '../support/saga-env';

jest.setTimeout(60_000);

const copy = { caption: 'Cold brew is back.', hashtags: ['coldbrew'], callToAction: '', altText: 'A glass' };
let finished: { entryId: string; version: number; runs: string[]; results: CalendarEntry['results'] }[];
let due: boolean;
/** How many of the next finish calls fail as a database that is away would. */
let finishOutages = 0;

const main: Partial<QueueActivities['main']> = {
  loadScheduledEntries: async () => (due ? [{ entryId: 'e1', version: 1, dueAtMs: Date.now() - 1000 }] : []),
  checkCalendarEntry: async () => ({ ok: true, current: true }),
  claimCalendarEntry: async () => {
    due = false;
    return {
      claimed: true,
      entry: {
        workspaceId: 'w1',
        brandId: 'b1',
        kind: 'post',
        platforms: ['local', 'x'],
        postType: 'tips',
        topic: 'Cold brew',
        copy,
        video: null,
      },
    } as never;
  },
  finishCalendarEntry: async (input) => {
    if (finishOutages > 0) {
      finishOutages -= 1;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
    finished.push(input);
    return { status: input.results.some((r) => r.error) ? 'failed' : 'published' };
  },
  loadBrandForPost: async () =>
    ({ name: 'Saga Roasters', slogan: null, colors: {}, fontFamily: null, keywords: ['coffee'] }) as never,
  // The channel takes its time: the X child has failed before it answers.
  publishToLocalChannel: async () => {
    await new Promise((r) => setTimeout(r, 2_000));
    return { postId: 'p1', url: 'http://channel/c/p1' } as never;
  },
  publishPostImage: async () => {
    throw failure('ProviderAuth', "The brand's X account needs to be reconnected: invalid_grant");
  },
};
const browser: Partial<QueueActivities['browser']> = {
  renderPostImage: async (input) =>
    ({ key: input.key, url: `http://files/${input.key}`, width: 1080, height: 1080 }) as never,
};

let saga: SagaEnv;
beforeAll(async () => {
  saga = await startSagaEnv({ main, browser }, 'calendar-saga');
}, 120_000);
afterAll(() => saga?.stop());

/** The brand's calendar run, its one entry due. */
function startCalendar() {
  return saga.start(editorialCalendarWorkflow, {
    workspaceId: 'w1',
    brandId: 'b1',
    checkLeadSeconds: 3,
    refreshSeconds: 3600,
    runSize: 500,
  });
}

it('finishes an entry whose later child fails while an earlier one still runs, with both outcomes', async () => {
  finished = [];
  due = true;
  const handle = await startCalendar();
  try {
    for (let i = 0; i < 200 && finished.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(finished).toEqual([
      {
        entryId: 'e1',
        version: 1,
        runs: [`${handle.workflowId}/entry/e1/v1/local`, `${handle.workflowId}/entry/e1/v1/x`],
        results: [
          { platform: 'local', url: 'http://channel/c/p1' },
          { platform: 'x', error: expect.stringMatching(/X failed: .*needs to be reconnected/) },
        ],
      },
    ]);
    // The run is still alive, sleeping until the next thing to do.
    expect((await handle.describe()).status.name).toBe('RUNNING');
  } finally {
    await handle.terminate('test over');
  }
});

it('retries recording the outcome without a limit while the database is away', async () => {
  finished = [];
  due = true;
  finishOutages = 2;
  const handle = await startCalendar();
  try {
    for (let i = 0; i < 400 && finished.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(finished).toHaveLength(1);
    expect(finishOutages).toBe(0);
    const { events } = await handle.fetchHistory();
    const scheduled = (events ?? []).find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'finishCalendarEntry',
    )?.activityTaskScheduledEventAttributes;
    // 0 is "no limit" to Temporal; a limit would leave the entry publishing once it ran out.
    expect(scheduled?.retryPolicy?.maximumAttempts ?? 'none').toBe(0);
  } finally {
    await handle.terminate('test over');
  }
});
