/**
 * A batch of leads to enrich: snapshot the selection once (ids by key, not in history), then keep a window of
 * `concurrency` lead children running (ids `<batch>/lead/<leadId>`), counting outcomes as they close. Every
 * CHILDREN_PER_RUN children the window drains and the batch continues as new with its place and counts, so a
 * 10,000-lead batch keeps each run's history small. A lost worker replays the run: children already started are in
 * its history and are not started again, and earlier runs' leads are behind the carried offset.
 *
 * Cancelling starts nothing new; the children already running finish (they are not cancelled with the batch, so no
 * lead is left half-written), then the batch ends as cancelled. Terminating it asks its running children to cancel.
 */
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import {
  BATCH_PAGE_SIZE,
  CHILDREN_PER_RUN,
  batchLeadsKey,
  batchProgressCounts,
  batchSummary,
  emptyCounts,
  finishedOf,
  type BatchCounts,
  type LeadSelection,
} from '../lib/leads/batch';
import { failureMessage } from '../lib/failure-chain';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../temporal/search-attributes';
import { leadEnrichmentBatchManifest, leadEnrichmentManifest } from './lead-enrichment.manifest';
import { leadEnrichmentWorkflow } from './lead-enrichment.workflow';
import { ProgressTracker, progressQuery } from './progress';

export interface LeadEnrichmentBatchInput {
  workspaceId: string;
  brandId: string | null;
  selection: LeadSelection;
  concurrency: number;
  places: boolean;
  /** Children per run before continuing as new; CHILDREN_PER_RUN unless a test wants to see it happen sooner. */
  runSize?: number;
  /** Carried from the previous run of the batch when it continued as new. */
  carried?: { leadsKey: string; offset: number; counts: BatchCounts; matched: number; unknown: number };
}

export interface LeadEnrichmentBatchResult {
  status: 'completed';
  total: number;
  /** Leads that matched the selection (more than `total` when it was cut at the batch limit). */
  matched: number;
  counts: BatchCounts;
}

export async function leadEnrichmentBatchWorkflow(input: LeadEnrichmentBatchInput): Promise<LeadEnrichmentBatchResult> {
  const tracker = new ProgressTracker(leadEnrichmentBatchManifest.automation, leadEnrichmentBatchManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const { workflowId } = workflowInfo();
  const { snapshotLeadSelection, readLeadBatchPage } = activitiesOn('main', presets.quick);

  let snapshot = input.carried;
  if (snapshot) tracker.done('select', `${snapshot.counts.total} leads`);
  else {
    tracker.start('select');
    const taken = await snapshotLeadSelection({
      workspaceId: input.workspaceId,
      brandId: input.brandId,
      selection: input.selection,
      key: batchLeadsKey(input.workspaceId, workflowId),
    });
    snapshot = {
      leadsKey: taken.key,
      offset: 0,
      counts: emptyCounts(taken.total),
      matched: taken.matched,
      unknown: taken.unknown,
    };
    const notes = [
      taken.matched > taken.total && `the first ${taken.total} of ${taken.matched} matching`,
      taken.unknown > 0 && `${taken.unknown} unknown id${taken.unknown === 1 ? '' : 's'} ignored`,
    ].filter(Boolean);
    tracker.done('select', `${taken.total} leads${notes.length ? ` (${notes.join('; ')})` : ''}`);
  }
  const counts = snapshot.counts;
  const report = () => tracker.setCounts(batchProgressCounts(counts), batchSummary(counts));

  tracker.start('enrich');
  report();
  const runSize = input.runSize ?? CHILDREN_PER_RUN;
  let offset = snapshot.offset;
  let running = 0;
  let startedThisRun = 0;
  let cancellation: unknown = null;

  const startLead = async (leadId: string) => {
    const childInput = { workspaceId: input.workspaceId, leadId, batchWorkflowId: workflowId, places: input.places };
    // Started outside the batch's cancellation scope: cancelling the batch lets a running lead finish.
    const child = await CancellationScope.nonCancellable(() =>
      startChild(leadEnrichmentWorkflow, {
        workflowId: `${workflowId}/lead/${leadId}`,
        args: [childInput],
        // What the run page shows of a run's input (its details), as the API's starts keep it.
        memo: { automation: leadEnrichmentManifest.automation, startedBy: 'lead enrichment batch', input: childInput },
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        // The workspace's, so its run page opens from the lead; the runs list shows top-level runs only.
        typedSearchAttributes: [
          { key: WorkspaceIdKey, value: input.workspaceId },
          { key: AutomationKey, value: leadEnrichmentManifest.automation },
          ...(input.brandId ? [{ key: BrandIdKey, value: input.brandId }] : []),
        ],
      }),
    );
    counts.started += 1;
    running += 1;
    startedThisRun += 1;
    report();
    void CancellationScope.nonCancellable(() => child.result())
      .then((result) => {
        if (result.status === 'qualified') counts.qualified += 1;
        else if (result.status === 'disqualified') counts.disqualified += 1;
        else counts.failed += 1;
      })
      .catch(() => {
        // The child's own failure is on its run page and on the lead; the batch counts it and goes on.
        counts.failed += 1;
      })
      .finally(() => {
        running -= 1;
        report();
      });
  };

  try {
    while (offset < counts.total && startedThisRun < runSize) {
      const ids = await readLeadBatchPage({
        key: snapshot.leadsKey,
        offset,
        limit: Math.min(BATCH_PAGE_SIZE, runSize - startedThisRun),
      });
      if (ids.length === 0) break;
      for (const id of ids) {
        await condition(() => running < input.concurrency);
        await startLead(id);
        offset += 1;
      }
    }
    await condition(() => running === 0);
  } catch (err) {
    if (!isCancellation(err)) {
      tracker.failRunning(failureMessage(err), 'failed');
      throw err;
    }
    cancellation = err;
    tracker.waiting('enrich', `Cancelled: waiting for ${running} running lead${running === 1 ? '' : 's'} to finish`);
    await CancellationScope.nonCancellable(() => condition(() => running === 0));
  }

  if (cancellation) {
    tracker.failRunning(`Cancelled after ${finishedOf(counts)} of ${counts.total} leads`, 'cancelled');
    report();
    // Ends the run as cancelled, now that its running leads have finished.
    throw cancellation;
  }
  if (offset < counts.total) {
    // The window has drained: the next run starts where this one stopped, with the counts so far.
    await continueAsNew<typeof leadEnrichmentBatchWorkflow>({
      ...input,
      carried: { ...snapshot, offset, counts },
    });
  }

  tracker.done('enrich', batchSummary(counts));
  tracker.complete(batchSummary(counts));
  return { status: 'completed', total: counts.total, matched: snapshot.matched, counts };
}
