/**
 * A brand's editorial calendar (issue 12): one long-lived run per brand (`editorial-calendar/<brandId>`). The
 * entries' rows are the source of truth; this run holds each scheduled entry's id, version and due instant, sleeps on
 * a durable timer until the next thing to do, and then:
 *
 * - ahead of an entry's time (CALENDAR_CHECK_LEAD_SECONDS) validates it again and flags the row with the result;
 * - at its time claims that version of the entry (a compare-and-set on the row: a moved, edited or cancelled entry's
 *   old timer claims nothing) and starts its children, a social post per target or one video, with ids derived from
 *   the entry id and version, so a second start of the same version is refused by Temporal;
 * - takes `entryChanged` updates the API sends after writing a row (re-arm, move, drop), and re-reads the table every
 *   `refreshSeconds`, so an update lost to a crash between the write and the send is repaired.
 *
 * It continues as new after `runSize` events, at a moment no entry is publishing, to keep its history bounded.
 */
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ClaimedEntry } from '../activities/calendar/calendar.activities';
import { copyPlatformOf, ENTRY_STATUSES, type CalendarEntry, type ScheduledRef } from '../lib/calendar/entry';
import { failure } from '../lib/failures';
import { failureMessage } from '../lib/failure-chain';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../temporal/search-attributes';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { editorialCalendarManifest } from './editorial-calendar.manifest';
import { entryChangedUpdate } from './editorial-calendar-messages';
import { ProgressTracker, progressQuery } from './progress';
import { socialPostManifest } from './social-post.manifest';
import { socialPostWorkflow } from './social-post.workflow';
import { videoPipelineManifest } from './video-pipeline.manifest';
import { videoPipelineWorkflow } from './video-pipeline.workflow';

export { entryChangedUpdate };

export interface EditorialCalendarInput {
  workspaceId: string;
  brandId: string;
  /** Seconds before an entry's time its validation runs again (and flags it). */
  checkLeadSeconds: number;
  /** Seconds between re-reads of the scheduled entries. */
  refreshSeconds: number;
  /** Events (timers fired, updates, re-reads) per run before continuing as new. */
  runSize: number;
  carried?: { entries: Tracked[]; counts: Counts };
}

interface Tracked extends ScheduledRef {
  /** Validated ahead of its time already. */
  checked: boolean;
}

interface Counts {
  published: number;
  failed: number;
  skipped: number;
}

const now = () => new Date().getTime();
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export async function editorialCalendarWorkflow(input: EditorialCalendarInput): Promise<never> {
  const tracker = new ProgressTracker(editorialCalendarManifest.automation, editorialCalendarManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const { workflowId } = workflowInfo();
  const { loadScheduledEntries, checkCalendarEntry, claimCalendarEntry } = activitiesOn('main', presets.quick);
  const { finishCalendarEntry } = activitiesOn('main', presets.untilRecorded);

  const entries = new Map<string, Tracked>((input.carried?.entries ?? []).map((e) => [e.entryId, e]));
  const counts: Counts = input.carried?.counts ?? { published: 0, failed: 0, skipped: 0 };
  /** Entries an update touched since the last re-read began: the re-read does not undo them. */
  const touched = new Set<string>();
  const running = new Set<string>();
  let changed = false;
  let events = 0;

  setHandler(
    entryChangedUpdate,
    (change) => {
      events += 1;
      touched.add(change.entryId);
      changed = true;
      if (change.status === 'scheduled') {
        entries.set(change.entryId, {
          entryId: change.entryId,
          version: change.version,
          dueAtMs: change.dueAtMs,
          checked: false,
        });
        return { armed: true };
      }
      entries.delete(change.entryId);
      return { armed: false };
    },
    {
      validator: (change) => {
        if (typeof change?.entryId !== 'string' || change.entryId.length === 0 || change.entryId.length > 64)
          throw failure('InvalidInput', 'entryId must be an entry id');
        if (!Number.isSafeInteger(change.version) || change.version < 1)
          throw failure('InvalidInput', 'version must be a whole number from 1');
        if (!Number.isFinite(change.dueAtMs)) throw failure('InvalidInput', 'dueAtMs must be an instant in ms');
        if (!ENTRY_STATUSES.includes(change.status)) throw failure('InvalidInput', `Unknown status ${change.status}`);
        const known = entries.get(change.entryId);
        if (known && known.version >= change.version)
          throw failure('StaleEntry', `Entry ${change.entryId} is at version ${known.version} already`);
      },
    },
  );

  const report = () => {
    const next = [...entries.values()].sort((a, b) => a.dueAtMs - b.dueAtMs)[0];
    tracker.setCounts(
      { scheduled: entries.size, running: running.size, ...counts },
      `${entries.size} scheduled${next ? `, next at ${when(next.dueAtMs)} UTC` : ''}; ${counts.published} published, ${counts.failed} failed`,
    );
  };

  /** Re-reads the scheduled entries; what an update changed meanwhile stands. */
  const refresh = async () => {
    events += 1;
    touched.clear();
    const loaded = await loadScheduledEntries({ brandId: input.brandId });
    const seen = new Set<string>();
    for (const ref of loaded) {
      seen.add(ref.entryId);
      const known = entries.get(ref.entryId);
      if (touched.has(ref.entryId) || (known && known.version >= ref.version)) continue;
      entries.set(ref.entryId, { ...ref, checked: false });
    }
    for (const id of [...entries.keys()]) if (!seen.has(id) && !touched.has(id)) entries.delete(id);
  };

  /** Runs one entry's version: claim it, start its children, wait for them, record the outcome. */
  const runEntry = async (ref: Tracked) => {
    const claim = await claimCalendarEntry({ entryId: ref.entryId, version: ref.version });
    if (!claim.claimed) {
      counts.skipped += 1;
      tracker.done('publish', `Entry ${ref.entryId} v${ref.version} not run: ${claim.reason}`);
      return;
    }
    const prefix = `${workflowId}/entry/${ref.entryId}/v${ref.version}`;
    const children = startChildren(claim.entry, prefix);
    // Settled all at once: a child failing while an earlier one is awaited would be an unhandled rejection, which
    // fails the calendar's workflow task on every replay.
    const settled = await Promise.allSettled(children.map((child) => child.outcome));
    const runs = children.map((child) => child.workflowId);
    const results: CalendarEntry['results'] = children.flatMap((child, i) => {
      const outcome = settled[i];
      return outcome.status === 'fulfilled'
        ? outcome.value
        : child.platforms.map((platform) => ({ platform, error: failureMessage(outcome.reason) }));
    });
    const { status } = await finishCalendarEntry({ entryId: ref.entryId, version: ref.version, runs, results });
    counts[status === 'published' ? 'published' : 'failed'] += 1;
    tracker.done('publish', `Entry ${ref.entryId} ${status}`);
  };

  const fire = (ref: Tracked) => {
    running.add(ref.entryId);
    void runEntry(ref)
      .catch((err) => {
        // Cancelled with the calendar: the main loop ends the run. Otherwise the row stays as the activity left it.
        if (isCancellation(err)) return;
        counts.failed += 1;
        tracker.done('publish', `Entry ${ref.entryId} failed: ${failureMessage(err)}`);
      })
      .finally(() => {
        running.delete(ref.entryId);
        changed = true;
        report();
      });
  };

  try {
    tracker.start('schedule');
    tracker.start('publish');
    await refresh();
    let refreshedAt = now();
    for (;;) {
      const t = now();
      const lead = input.checkLeadSeconds * 1000;
      for (const ref of [...entries.values()].sort((a, b) => a.dueAtMs - b.dueAtMs)) {
        if (ref.dueAtMs <= t) {
          entries.delete(ref.entryId);
          events += 1;
          fire(ref);
        } else if (!ref.checked && ref.dueAtMs - lead <= t) {
          ref.checked = true;
          events += 1;
          const checked = await checkCalendarEntry({ entryId: ref.entryId, version: ref.version });
          if (!checked.ok && checked.current) tracker.done('schedule', `Entry ${ref.entryId} fails validation`);
        }
      }
      report();
      // Only between publications: waiting for a long one (a video) here would hold back the entries due meanwhile.
      if ((events >= input.runSize || workflowInfo().continueAsNewSuggested) && running.size === 0) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof editorialCalendarWorkflow>({
          ...input,
          carried: { entries: [...entries.values()], counts },
        });
      }
      const wakeAt = Math.min(
        refreshedAt + input.refreshSeconds * 1000,
        ...[...entries.values()].map((e) => (e.checked ? e.dueAtMs : Math.min(e.dueAtMs, e.dueAtMs - lead))),
      );
      changed = false;
      tracker.waiting('schedule', `Sleeping until ${when(wakeAt)} UTC`);
      await condition(() => changed, Math.max(1, wakeAt - now()));
      if (now() >= refreshedAt + input.refreshSeconds * 1000) {
        await refresh();
        refreshedAt = now();
      }
    }
  } catch (err) {
    tracker.failRunning(
      isCancellation(err) ? 'Cancelled' : failureMessage(err),
      isCancellation(err) ? 'cancelled' : 'failed',
    );
    throw err;
  }
}

interface StartedChild {
  workflowId: string;
  platforms: CalendarEntry['platforms'];
  outcome: Promise<CalendarEntry['results']>;
}

/**
 * The entry's children: a social post per target, or one video for all. Abandoned by the calendar if it ends: a
 * publication under way finishes. Started with the workspace's search attributes, so their run pages open from the
 * calendar and the Temporal Web UI filters them with the brand.
 */
function startChildren(entry: ClaimedEntry, prefix: string): StartedChild[] {
  const attributes = (automation: string) => [
    { key: WorkspaceIdKey, value: entry.workspaceId },
    { key: AutomationKey, value: automation },
    { key: BrandIdKey, value: entry.brandId },
  ];
  const common = {
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  };
  if (entry.kind === 'video') {
    const childInput = {
      workspaceId: entry.workspaceId,
      brandId: entry.brandId,
      brief: {
        topic: entry.topic,
        audience: 'our customers',
        tone: 'friendly, expert',
        language: 'en',
        callToAction: 'Follow us for more',
      },
      format: entry.video?.format ?? 'vertical',
      targetSeconds: entry.video?.targetSeconds ?? 30,
      platforms: entry.platforms,
      voice: {},
      approval: { required: false, timeoutSeconds: 60, onTimeout: 'approve' as const },
    };
    const workflowId = `${prefix}/video`;
    return [
      {
        workflowId,
        platforms: entry.platforms,
        outcome: startChild(videoPipelineWorkflow, {
          ...common,
          workflowId,
          args: [childInput],
          memo: { automation: videoPipelineManifest.automation, startedBy: 'editorial calendar', input: childInput },
          typedSearchAttributes: attributes(videoPipelineManifest.automation),
        })
          .then((child) => child.result())
          .then((result) =>
            result.publications.map((p) => ({
              platform: p.platform,
              ...(p.url ? { url: p.url } : {}),
              ...(p.status === 'failed' ? { error: p.error ?? 'Not published' } : {}),
            })),
          ),
      },
    ];
  }
  return entry.platforms.map((target) => {
    const childInput = {
      workspaceId: entry.workspaceId,
      brandId: entry.brandId,
      platform: copyPlatformOf(target)!,
      postType: entry.postType,
      topic: entry.topic,
      // Each child publishes on its own target only: the brand's channel gets one post per entry, not one per child.
      targets: [target === 'local' ? ('local' as const) : copyPlatformOf(target)!],
      ...(entry.copy ? { copy: entry.copy } : {}),
      // Approved on the calendar: the post runs without asking again.
      approval: { required: false, timeoutSeconds: 60, onTimeout: 'approve' as const },
    };
    const workflowId = `${prefix}/${target}`;
    return {
      workflowId,
      platforms: [target],
      outcome: startChild(socialPostWorkflow, {
        ...common,
        workflowId,
        args: [childInput],
        memo: { automation: socialPostManifest.automation, startedBy: 'editorial calendar', input: childInput },
        typedSearchAttributes: attributes(socialPostManifest.automation),
      })
        .then((child) => child.result())
        .then((result) => [
          result.status === 'published'
            ? { platform: target, ...(result.url ? { url: result.url } : {}) }
            : { platform: target, error: `Not published: ${result.status}` },
        ]),
    };
  });
}
