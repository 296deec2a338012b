/**
 * Runs are Temporal workflow executions. A running run's state is read from Temporal (describe and the `progress`
 * query, in parallel), once at a time per run however many read or watch it (run-watch.ts); a closed run's final
 * detail is kept once in PostgreSQL (`run_snapshots`) and served from there; lists come from visibility, served again
 * for a few seconds per workspace and filter.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { defaultPayloadConverter, type TypedSearchAttributes, type UpdateDefinition } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { ConflictError, NotFoundError } from '../../lib/errors';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import { decideUpdate, type Decision } from '../../workflows/approval';
import { progressQuery, type Progress } from '../../workflows/progress';
import type { AutomationRegistry, PreparedRun } from '../automations';
import { runFailureOf, updateRefusal, type RunFailure } from '../temporal/run-failure';
import { statusOf, type RunStatus } from '../temporal/run-status';
import { runsVisibilityQuery, tsToIso } from '../temporal/visibility-query';
import { logger } from '../../lib/logger';
import type { RunSnapshotRepository } from '../../db/repositories/run-snapshot.repository';
import type { Principal } from './account.service';
import { prepareRun, type StartRequest } from './run-prepare';
import { runProgress, type RunProgress } from './run-progress';
import { decodeRunsCursor, encodeRunsCursor } from './run-cursor';
import { createRunWatch, createShortCache, type WatchEvent } from './run-watch';

export { RUN_STATUSES, type RunStatus } from '../temporal/run-status';

export interface RunSummary {
  id: string;
  runId: string;
  automation: string | null;
  status: RunStatus;
  brandId: string | null;
  startTime: string | null;
  closeTime: string | null;
  temporalUrl: string;
}

export interface RunDetail extends RunSummary {
  /** The input as the API accepted it (after defaults), kept in the run's memo. */
  input?: unknown;
  startedBy?: string;
  progress: RunProgress | null;
  result?: unknown;
  /** Why the run failed; `type` from lib/failures.ts, `label` its wording for people. */
  failure?: RunFailure;
  taskQueue: string;
}

export interface ListRunsFilter {
  automation?: string;
  status?: RunStatus;
  brandId?: string;
  limit: number;
  cursor?: string;
}

export interface RunServiceOptions {
  client: Client;
  namespace: string;
  taskQueue: string;
  temporalUiUrl: string;
  automations: AutomationRegistry;
  /** How long a progress query may take before the run is shown without it (no worker polling). */
  queryTimeoutMs?: number;
  /** Closed runs' final details; without it every read of a closed run asks Temporal (and a worker) again. */
  snapshots?: RunSnapshotRepository;
  /** How often a watched run is polled, and how old a served read may be before it is loaded again. */
  watchIntervalMs?: number;
  /** How long a list of runs is served again for the same workspace and filter. */
  listCacheMs?: number;
}

/** A run's detail and the workspace it belongs to (every read checks it against the reader's). */
interface OwnedRun {
  workspaceId: string | null;
  detail: RunDetail;
}

/** A closed run whose progress was read never changes again; one closed while no worker answered may still. */
const isSettled = ({ detail }: OwnedRun) =>
  detail.status !== 'running' && detail.status !== 'continued_as_new' && detail.progress !== null;

export function createRunService(options: RunServiceOptions) {
  const { client, namespace } = options;
  const queryTimeoutMs = options.queryTimeoutMs ?? 3000;
  const watchIntervalMs = options.watchIntervalMs ?? 1000;
  const log = logger('runs');

  const temporalUrl = (workflowId: string, runId?: string) =>
    `${options.temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${runId}` : ''}`;

  const summaryFrom = (
    workflowId: string,
    runId: string,
    status: RunStatus,
    attrs: TypedSearchAttributes,
    start: string | null,
    close: string | null,
  ): RunSummary => ({
    id: workflowId,
    runId,
    automation: attrs.get(AutomationKey) ?? null,
    status,
    brandId: attrs.get(BrandIdKey) ?? null,
    startTime: start,
    closeTime: close,
    temporalUrl: temporalUrl(workflowId, runId),
  });

  /** Describes a run that belongs to the caller's workspace; anything else is a 404. */
  async function describeOwned(principal: Principal, id: string): Promise<WorkflowExecutionDescription> {
    try {
      const description = await client.workflow.getHandle(id).describe();
      if (description.typedSearchAttributes.get(WorkspaceIdKey) !== principal.workspaceId)
        throw new NotFoundError(`Run ${id} not found`);
      return description;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundError(`Run ${id} not found`);
      throw err;
    }
  }

  async function queryProgress(id: string, runId?: string): Promise<Progress | null> {
    try {
      return await client.withDeadline(Date.now() + queryTimeoutMs, () =>
        client.workflow.getHandle(id, runId).query(progressQuery),
      );
    } catch {
      // No worker answered in time (none polling, or the run is mid-replay): show the run without it.
      return null;
    }
  }

  async function outcome(
    description: WorkflowExecutionDescription,
    status: RunStatus,
  ): Promise<Pick<RunDetail, 'result' | 'failure'>> {
    if (status === 'running' || status === 'continued_as_new') return {};
    try {
      return { result: await client.workflow.getHandle(description.workflowId, description.runId).result() };
    } catch (err) {
      return { failure: runFailureOf(err) };
    }
  }

  async function start(principal: Principal, body: StartRequest) {
    const { automation, input, prepared } = await prepareRun(options.automations, principal, body);
    try {
      const run = await startPrepared({
        workspaceId: principal.workspaceId,
        startedBy: principal.name,
        automation: automation.name,
        input,
        prepared,
      });
      return { created: true, run };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return { created: false, run: await get(principal, prepared.workflowId, { withProgress: false }) };
      }
      throw err;
    }
  }

  /**
   * Starts a run whose automation has already prepared it (the webhook inbox's dispatcher, which prepared it when
   * the delivery was accepted). Throws WorkflowExecutionAlreadyStartedError when the workflow id was used before.
   */
  async function startPrepared(run: {
    workspaceId: string;
    startedBy: string;
    automation: string;
    input: unknown;
    prepared: PreparedRun;
    /** Defaults to the API's main queue; an inbox row keeps the queue it was accepted for. */
    taskQueue?: string;
  }): Promise<RunDetail> {
    const { prepared, input } = run;
    const taskQueue = run.taskQueue ?? options.taskQueue;
    const typedSearchAttributes = [
      { key: WorkspaceIdKey, value: run.workspaceId },
      { key: AutomationKey, value: run.automation },
      ...(prepared.brandId ? [{ key: BrandIdKey, value: prepared.brandId }] : []),
    ];
    const handle = await client.workflow.start(prepared.workflowType, {
      taskQueue,
      workflowId: prepared.workflowId,
      args: prepared.args,
      typedSearchAttributes,
      memo: { startedBy: run.startedBy, automation: run.automation, input },
      // The same requestId twice is the same run, running or closed: a retried POST starts nothing new.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
    // The start response says all there is to say; a describe here would double the cost of a start.
    return {
      id: handle.workflowId,
      runId: handle.firstExecutionRunId,
      automation: run.automation,
      status: 'running',
      brandId: prepared.brandId ?? null,
      startTime: new Date().toISOString(),
      closeTime: null,
      temporalUrl: temporalUrl(handle.workflowId, handle.firstExecutionRunId),
      input,
      startedBy: run.startedBy,
      progress: null,
      taskQueue,
    };
  }

  /** A run as anyone may read it: its snapshot when closed, else Temporal's describe and progress in parallel. */
  /** The last progress read of each running run, with the history length it was read at. */
  const lastProgress = new Map<string, { runId: string; historyLength: number; progress: Progress }>();

  async function load(id: string): Promise<OwnedRun> {
    const snapshot = await options.snapshots?.get<RunDetail>(id);
    if (snapshot) return { workspaceId: snapshot.workspaceId, detail: snapshot.detail };
    let description: WorkflowExecutionDescription;
    let progress: Progress | null;
    const known = lastProgress.get(id);
    /** The last reading served again because the worker did not answer in time. */
    let stale = false;
    try {
      if (known) {
        // A workflow's state changes only with its history: same run, same length, same progress — the worker is
        // not asked again (a run waiting for an approval costs its worker nothing however many watch it).
        description = await client.workflow.getHandle(id).describe();
        const sameRun = description.runId === known.runId;
        progress =
          sameRun && description.historyLength === known.historyLength ? known.progress : await queryProgress(id);
        // A busy worker that misses the deadline says nothing new: the run's last reading stands (an approval form
        // must not vanish, with the approver's edits, because one poll went unanswered). Asked again next time.
        // Only while it runs: a closed run's detail is kept for good, and must hold its final progress or none.
        if (!progress && sameRun && description.status.name === 'RUNNING') {
          progress = known.progress;
          stale = true;
        }
      } else {
        // The query goes to the latest run, as the describe does; for another workspace's run it is thrown away.
        [description, progress] = await Promise.all([client.workflow.getHandle(id).describe(), queryProgress(id)]);
      }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundError(`Run ${id} not found`);
      throw err;
    }
    lastProgress.delete(id);
    if (progress && description.status.name === 'RUNNING') {
      if (lastProgress.size >= 10_000) lastProgress.delete(lastProgress.keys().next().value as string);
      const historyLength = stale ? known!.historyLength : description.historyLength;
      lastProgress.set(id, { runId: description.runId, historyLength, progress });
    }
    const status = statusOf(description.raw.workflowExecutionInfo?.status);
    const summary = summaryFrom(
      description.workflowId,
      description.runId,
      status,
      description.typedSearchAttributes,
      description.startTime.toISOString(),
      description.closeTime ? description.closeTime.toISOString() : null,
    );
    const memo = (description.memo ?? {}) as { input?: unknown; startedBy?: string };
    const detail: RunDetail = {
      ...summary,
      input: memo.input,
      startedBy: memo.startedBy,
      progress: progress ? runProgress(progress, description, options.automations.manifest(summary.automation)) : null,
      taskQueue: description.taskQueue,
      ...(await outcome(description, status)),
    };
    const run: OwnedRun = { workspaceId: description.typedSearchAttributes.get(WorkspaceIdKey) ?? null, detail };
    if (options.snapshots && run.workspaceId && isSettled(run)) {
      // Kept once; when the write fails the next read asks Temporal again.
      await options.snapshots
        .save({ workflowId: id, runId: detail.runId, workspaceId: run.workspaceId, detail, closedAt: detail.closeTime })
        .catch((err: unknown) => log.warn('Keeping a closed run failed', { err, runId: id }));
    }
    return run;
  }

  const watch = createRunWatch<OwnedRun>({
    load,
    isFinal: isSettled,
    intervalMs: watchIntervalMs,
    maxAgeMs: watchIntervalMs,
    staleMs: 5 * watchIntervalMs,
  });

  const owned = (principal: Principal, id: string, run: OwnedRun): RunDetail => {
    if (run.workspaceId !== principal.workspaceId) throw new NotFoundError(`Run ${id} not found`);
    return run.detail;
  };

  async function get(principal: Principal, id: string, opts: { withProgress?: boolean } = {}): Promise<RunDetail> {
    const detail = owned(principal, id, await watch.latest(id));
    if (opts.withProgress !== false) return detail;
    const { result: _result, failure: _failure, ...rest } = detail;
    return { ...rest, progress: null };
  }

  /** Live values of a run for one viewer; all viewers of a run share one poll loop. Returns the unsubscribe. */
  function subscribe(principal: Principal, id: string, listener: (event: WatchEvent<RunDetail>) => void): () => void {
    return watch.subscribe(id, (event) => {
      if ('error' in event) return listener(event);
      try {
        listener({ value: owned(principal, id, event.value) });
      } catch (error) {
        listener({ error });
      }
    });
  }

  async function listFromVisibility(
    principal: Principal,
    filter: ListRunsFilter,
  ): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
    const nextPageToken = filter.cursor ? decodeRunsCursor(filter.cursor) : undefined;
    const response = await client.workflowService.listWorkflowExecutions({
      namespace,
      pageSize: filter.limit,
      nextPageToken,
      // Visibility returns newest first; SQLite-backed visibility refuses an explicit ORDER BY.
      query: runsVisibilityQuery({ workspaceId: principal.workspaceId, ...filter }),
    });
    const items = (response.executions ?? []).map((info) =>
      summaryFrom(
        info.execution?.workflowId ?? '',
        info.execution?.runId ?? '',
        statusOf(info.status),
        decodeTypedSearchAttributes(info.searchAttributes?.indexedFields),
        tsToIso(info.startTime),
        tsToIso(info.closeTime),
      ),
    );
    const token = response.nextPageToken;
    return { items, nextCursor: token && token.length > 0 ? encodeRunsCursor(token) : null };
  }

  const lists = createShortCache<{ items: RunSummary[]; nextCursor: string | null }>({
    ttlMs: options.listCacheMs ?? 2000,
    maxEntries: 1000,
  });

  /** Visibility is eventually consistent anyway: a list a couple of seconds old is served to every caller asking. */
  function list(principal: Principal, filter: ListRunsFilter) {
    const key = JSON.stringify([
      principal.workspaceId,
      filter.automation ?? null,
      filter.status ?? null,
      filter.brandId ?? null,
      filter.limit,
      filter.cursor ?? null,
    ]);
    return lists.get(key, () => listFromVisibility(principal, filter));
  }

  /** Sends a validated update to a running run of the caller's workspace; a refusal is the validator's 4xx. */
  async function update<Ret, Arg>(
    principal: Principal,
    id: string,
    definition: UpdateDefinition<Ret, [Arg]>,
    arg: Arg,
  ) {
    const description = await describeOwned(principal, id);
    if (statusOf(description.raw.workflowExecutionInfo?.status) !== 'running')
      throw new ConflictError(`Run ${id} is no longer running`);
    try {
      const answer = await client.workflow.getHandle(id, description.runId).executeUpdate(definition, { args: [arg] });
      // The next read shows the update's effect, not the last poll's state.
      watch.forget(id);
      return answer;
    } catch (err) {
      const refusal = updateRefusal(err);
      if (refusal) throw refusal;
      if (err instanceof WorkflowNotFoundError) throw new ConflictError(`Run ${id} is no longer running`);
      throw err;
    }
  }

  async function decide(principal: Principal, id: string, decision: Decision) {
    return update(principal, id, decideUpdate, { ...decision, by: principal.name });
  }

  async function cancel(principal: Principal, id: string): Promise<void> {
    const description = await describeOwned(principal, id);
    if (statusOf(description.raw.workflowExecutionInfo?.status) !== 'running')
      throw new ConflictError(`Run ${id} is not running`);
    await client.workflow.getHandle(id, description.runId).cancel();
    watch.forget(id);
  }

  /** Starts a new run of the same automation with the same input. */
  async function retry(principal: Principal, id: string) {
    const description = await describeOwned(principal, id);
    const automation = description.typedSearchAttributes.get(AutomationKey);
    if (!automation) throw new ConflictError(`Run ${id} has no automation recorded`);
    const memoInput = (description.memo as { input?: unknown } | undefined)?.input;
    if (memoInput !== undefined) return start(principal, { automation, input: memoInput });
    // Runs started before the memo carried the input: take it from the first history event.
    const history = await client.workflow.getHandle(id, description.runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0];
    if (!payload) throw new ConflictError(`Run ${id} has no input to retry with`);
    const workflowInput = defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload);
    // The workflow input carries resolved ids; the API input is the same minus the workspace.
    const { workspaceId: _w, ...input } = workflowInput;
    return start(principal, { automation, input });
  }

  return {
    start,
    startPrepared,
    get,
    subscribe,
    list,
    decide,
    update,
    cancel,
    retry,
    temporalUrl,
    watchStats: () => watch.stats(),
  };
}

export type RunService = ReturnType<typeof createRunService>;
