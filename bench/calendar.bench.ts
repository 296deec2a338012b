/**
 * Phase 10: the calendar at its minute. `entries` calendar entries across `brands` brands (spread evenly), for the
 * brand's channel with ready copy, all due at the same whole minute, created through the API the calendar page uses
 * (`POST /api/v1/calendar/entries`, status `scheduled`: the row, then the update-with-start that arms the brand's
 * `editorialCalendarWorkflow`). At that minute each brand's calendar claims its entries and starts one social post per
 * entry; the phase waits until every entry is published (or failed) and reads, from the rows, the publication lag
 * after the due time (`posts.published_at − calendar_entries.due_at`) and how many entries were published exactly once
 * (`posts` rows per entry, through the entry's `runs`).
 *
 * The baseline, in the same run on the same stack: the same social posts (same input as the calendar's children, same
 * copy) started directly with `client.workflow.start` at a later whole minute, all at once, and the lag of their
 * publication after that minute. The ratio calendar/direct is what the calendar's timers, claims and child starts cost
 * on top of publishing the burst itself (Chromium renders every post's image on the browser queue, in both modes).
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { formatLocal, toLocal } from '../lib/calendar/wall-clock';
import { endCalendars } from '../test/support/calendar-helpers';
import { startTestStack, waitFor, type TestStack } from '../test/support/harness';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../temporal/search-attributes';
import { fixed, ms, percentile, table } from './report';
import { inParallel } from './start-throughput.bench';

export interface CalendarBenchOptions {
  entries: number;
  brands: number;
  env: Record<string, string>;
}

interface Lag {
  p50: number;
  p99: number;
  max: number;
}

interface ModeResult {
  /** The whole minute the posts were due (ISO). */
  dueAt: string;
  published: number;
  failed: number;
  /** Entries (or direct runs) with exactly one `posts` row. */
  exactlyOnce: number;
  /** Due time → the social post's workflow start, as Temporal records it. */
  startLagMs: Lag;
  /** Due time → `posts.published_at`. */
  publishLagMs: Lag;
}

export interface CalendarBenchResult {
  entries: number;
  brands: number;
  zone: string;
  create: { seconds: number; latencyMs: { p50: number; p99: number }; armed: number };
  calendar: ModeResult & {
    /** Due time → the entry's row marked published by its calendar (after its child closed). */
    finishLagMs: Lag;
    /** Every `posts` row of the brands from a calendar child: more than `published` would be a double publication. */
    postsTotal: number;
  };
  direct: ModeResult;
  ratio: { p50: number; p99: number };
}

const ZONE = 'UTC';
const MINUTE = 60_000;

const lagOf = (samples: number[]): Lag => ({
  p50: percentile(samples, 0.5),
  p99: percentile(samples, 0.99),
  max: samples.length ? Math.max(...samples) : Number.NaN,
});

/** The first whole minute at least `leadMs` from now. */
const wholeMinuteAfter = (leadMs: number) => Math.ceil((Date.now() + leadMs) / MINUTE) * MINUTE;

const copyOf = (i: number) => ({
  caption: `Bench entry ${i + 1}: our single origin of the week, roasted this morning.`,
  hashtags: ['freshcoffee'],
  callToAction: 'Order by Friday',
  altText: `Bench entry ${i + 1}`,
});

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** Each workflow's start time as Temporal records it, minus `dueMs`. */
async function startLags(stack: TestStack, workflowIds: string[], dueMs: number): Promise<number[]> {
  const lags: number[] = [];
  await inParallel(workflowIds.length, 16, async (i) => {
    const described = await stack.client.workflow.getHandle(workflowIds[i]).describe();
    lags.push(described.startTime.getTime() - dueMs);
  });
  return lags;
}

export async function runCalendarBench(
  options: CalendarBenchOptions,
  log: (line: string) => void,
): Promise<CalendarBenchResult> {
  // The calendar's children run on the main queue (workflow, publish) and the browser queue (the post's image), with
  // the product's browser pool and calendar settings.
  const stack = await startTestStack('bench-calendar', {
    workers: ['main', 'browser'],
    env: { ...options.env, BROWSER_POOL_SIZE: '2' },
  });
  const brandIds: string[] = [];
  const direct: string[] = [];
  try {
    const tag = randomUUID().slice(0, 8);
    for (let b = 0; b < options.brands; b++)
      brandIds.push(((await stack.brand({ name: `Calendar bench ${tag} ${b + 1}` })) as { id: string }).id);
    const brandOf = (i: number) => brandIds[i % options.brands];
    const childInput = (i: number) => ({
      workspaceId: stack.workspaceId,
      brandId: brandOf(i),
      platform: 'linkedin',
      postType: 'educational',
      topic: null,
      targets: ['local'],
      copy: copyOf(i),
      approval: { required: false, timeoutSeconds: 60, onTimeout: 'approve' },
    });
    const startDirect = (workflowId: string, i: number) =>
      stack.client.workflow.start('socialPostWorkflow', {
        taskQueue: stack.config.temporal.taskQueues.main,
        workflowId,
        args: [childInput(i)],
        typedSearchAttributes: [
          { key: WorkspaceIdKey, value: stack.workspaceId },
          { key: AutomationKey, value: 'social-post' },
          { key: BrandIdKey, value: brandOf(i) },
        ],
      });

    // The first post pays for Chromium's launch and the workflow sandbox's creation: not measured.
    log('warming up: 1 social post (Chromium launch, workflow sandbox)');
    const warm = `social-post/${brandIds[0]}/bench-calendar-${tag}-warmup`;
    direct.push(warm);
    await (await startDirect(warm, 0)).result();

    // Creating the entries must end before their minute: a lead that grows with their number.
    const dueMs = wholeMinuteAfter(20_000 + 150 * options.entries);
    const localAt = formatLocal(toLocal(dueMs, ZONE));
    log(
      `creating ${options.entries} entries across ${options.brands} brands through the API, all due at ${localAt} ${ZONE}`,
    );
    const entryIds: string[] = new Array(options.entries);
    const latencies: number[] = [];
    let armed = 0;
    const began = performance.now();
    // One lane per brand, as editors planning their own brand would: a brand's updates reach one run in turn anyway.
    await inParallel(options.brands, options.brands, async (b) => {
      for (let i = b; i < options.entries; i += options.brands) {
        const t = performance.now();
        const res = await stack.request('POST', '/api/v1/calendar/entries', {
          brandId: brandOf(i),
          localAt,
          platforms: ['local'],
          copy: copyOf(i),
          status: 'scheduled',
        });
        latencies.push(performance.now() - t);
        if (res.status !== 201)
          throw new Error(`creating an entry answered ${res.status}: ${JSON.stringify(res.body)}`);
        if (!res.body.validation?.ok)
          throw new Error(`entry ${res.body.id} fails validation: ${JSON.stringify(res.body)}`);
        if (res.body.armed) armed += 1;
        entryIds[i] = res.body.id;
      }
    });
    const createSeconds = (performance.now() - began) / 1000;
    if (Date.now() >= dueMs)
      throw new Error(`creating the entries took ${fixed(createSeconds)} s and ended past their minute: fewer entries`);
    log(
      `created in ${fixed(createSeconds)} s (${armed} armed at once); waiting for ${localAt} ${ZONE}, ${fixed((dueMs - Date.now()) / 1000, 0)} s away`,
    );

    const settledCount = async () =>
      (
        await stack.db.sequelize.query<{ done: number; failed: number }>(
          `SELECT count(*) FILTER (WHERE status IN ('published', 'failed'))::int AS done,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed
             FROM calendar_entries WHERE id IN (:ids)`,
          { replacements: { ids: entryIds }, type: QueryTypes.SELECT },
        )
      )[0];
    let lastLog = 0;
    await waitFor(
      'every entry published or failed',
      async () => {
        const { done, failed } = await settledCount();
        if (Date.now() - lastLog > 15_000 && Date.now() > dueMs) {
          lastLog = Date.now();
          log(
            `calendar: ${done}/${options.entries} settled (${failed} failed), ${fixed((Date.now() - dueMs) / 1000, 0)} s after the minute`,
          );
        }
        return done === options.entries;
      },
      // A bound against a hang, not a measure: a loaded two-core machine publishes a post every few seconds.
      dueMs - Date.now() + 120_000 + 10_000 * options.entries,
      500,
    );

    const rows = await stack.db.sequelize.query<{
      status: string;
      failure: string | null;
      runs: string[];
      due_at: Date;
      updated_at: Date;
      posts: number;
      published_at: Date | null;
    }>(
      `SELECT e.status, e.failure, e.runs, e.due_at, e.updated_at, count(p.id)::int AS posts,
              min(p.published_at) AS published_at
         FROM calendar_entries e LEFT JOIN posts p ON p.brand_id = e.brand_id AND jsonb_exists(e.runs, p.workflow_id)
        WHERE e.id IN (:ids) GROUP BY e.id`,
      { replacements: { ids: entryIds }, type: QueryTypes.SELECT },
    );
    const failedRows = rows.filter((r) => r.status !== 'published');
    if (failedRows.length > 0) log(`warning: ${failedRows.length} entries failed, e.g. ${failedRows[0].failure}`);
    const [{ total }] = await stack.db.sequelize.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM posts WHERE brand_id IN (:brands) AND workflow_id LIKE 'editorial-calendar/%'`,
      { replacements: { brands: brandIds }, type: QueryTypes.SELECT },
    );
    const published = rows.filter((r) => r.published_at !== null);
    const calendar = {
      dueAt: new Date(dueMs).toISOString(),
      published: rows.length - failedRows.length,
      failed: failedRows.length,
      exactlyOnce: rows.filter((r) => r.posts === 1).length,
      startLagMs: lagOf(
        await startLags(
          stack,
          rows.flatMap((r) => r.runs),
          dueMs,
        ),
      ),
      publishLagMs: lagOf(published.map((r) => r.published_at!.getTime() - r.due_at.getTime())),
      finishLagMs: lagOf(
        rows.filter((r) => r.status === 'published').map((r) => r.updated_at.getTime() - r.due_at.getTime()),
      ),
      postsTotal: total,
    };
    log(
      `calendar: ${calendar.published} published, lag p50 ${ms(calendar.publishLagMs.p50)}, p99 ${ms(calendar.publishLagMs.p99)}`,
    );

    // The baseline: the same posts, started directly at a whole minute of their own, all at once.
    const directDueMs = wholeMinuteAfter(5_000);
    const ids = Array.from(
      { length: options.entries },
      (_, i) => `social-post/${brandOf(i)}/bench-calendar-${tag}-${i}`,
    );
    log(`direct: ${options.entries} social posts started through the SDK at ${new Date(directDueMs).toISOString()}`);
    await sleepUntil(directDueMs);
    const handles = await Promise.all(
      ids.map(async (id, i) => {
        direct.push(id);
        return startDirect(id, i);
      }),
    );
    const outcomes = await Promise.allSettled(handles.map((h) => h.result()));
    const directFailed = outcomes.filter((o) => o.status === 'rejected' || o.value.status !== 'published');
    if (directFailed.length > 0) log(`warning: ${directFailed.length} direct posts did not publish`);
    const directPosts = await stack.db.sequelize.query<{ workflow_id: string; n: number; published_at: Date }>(
      `SELECT workflow_id, count(*)::int AS n, min(published_at) AS published_at FROM posts
        WHERE brand_id IN (:brands) AND workflow_id IN (:ids) GROUP BY workflow_id`,
      { replacements: { brands: brandIds, ids }, type: QueryTypes.SELECT },
    );
    const directResult: ModeResult = {
      dueAt: new Date(directDueMs).toISOString(),
      published: options.entries - directFailed.length,
      failed: directFailed.length,
      exactlyOnce: directPosts.filter((p) => p.n === 1).length,
      startLagMs: lagOf(await startLags(stack, ids, directDueMs)),
      publishLagMs: lagOf(directPosts.map((p) => p.published_at.getTime() - directDueMs)),
    };

    return {
      entries: options.entries,
      brands: options.brands,
      zone: ZONE,
      create: {
        seconds: createSeconds,
        latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
        armed,
      },
      calendar,
      direct: directResult,
      ratio: {
        p50: calendar.publishLagMs.p50 / directResult.publishLagMs.p50,
        p99: calendar.publishLagMs.p99 / directResult.publishLagMs.p99,
      },
    };
  } finally {
    // The calendars sleep until their next re-read otherwise; a direct post still running is ended.
    await endCalendars(stack, brandIds);
    await inParallel(direct.length, 16, async (i) => {
      await stack.client.workflow
        .getHandle(direct[i])
        .terminate('benchmark clean-up')
        .catch(() => undefined);
    });
    await stack.stop();
  }
}

export function printCalendar(r: CalendarBenchResult): void {
  console.log(
    `\nCalendar at its minute — ${r.entries} entries for the brand channel with ready copy across ${r.brands} brands, ` +
      `all due at one minute, against the same posts started directly through the SDK at one minute`,
  );
  const lag = (l: Lag) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`;
  const row = (label: string, m: ModeResult) => [
    label,
    `${m.published}/${r.entries}`,
    `${m.exactlyOnce}/${r.entries}`,
    lag(m.startLagMs),
    lag(m.publishLagMs),
  ];
  console.log(
    table(
      ['<mode', 'published', 'exactly once', 'due → started p50 / p99 / max', 'due → published p50 / p99 / max'],
      [row('calendar  POST /calendar/entries', r.calendar), row('direct  client.workflow.start', r.direct)],
    ),
  );
  console.log(
    `ratio calendar/direct publication lag: p50 ${fixed(r.ratio.p50, 2)}, p99 ${fixed(r.ratio.p99, 2)}; ` +
      `entries marked published ${lag(r.calendar.finishLagMs)} after the minute; ` +
      `${r.calendar.postsTotal} calendar posts in all`,
  );
  console.log(
    `created ${r.entries} entries in ${fixed(r.create.seconds)} s (request p50 ${ms(r.create.latencyMs.p50)}, ` +
      `p99 ${ms(r.create.latencyMs.p99)}; ${r.create.armed} armed at once); time zone ${r.zone}`,
  );
}
