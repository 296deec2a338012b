/**
 * Runs are Temporal workflow executions. Everything here reads run state from Temporal
 * (describe, the `progress` query, visibility with search attributes); nothing keeps a copy.
 */
import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter, type TypedSearchAttributes } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../lib/errors';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import { decideUpdate, type Decision } from '../../workflows/approval';
import { progressQuery, type Progress } from '../../workflows/progress';
import type { AutomationRegistry } from '../automations';
import type { Principal } from './account.service';
import { parse } from '../validation';
import { decodeRunsCursor, encodeRunsCursor } from './run-cursor';
import { FAILURES, failureLabel, isFailureType } from '../../lib/failures';

export type RunStatus =
  'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out' | 'continued_as_new';

const STATUS_NAMES: Record<number, RunStatus> = {
  1: 'running',
  2: 'completed',
  3: 'failed',
  4: 'cancelled',
  5: 'terminated',
  6: 'continued_as_new',
  7: 'timed_out',
};
/** Visibility's spelling of each status, for list filters. */
const VISIBILITY_STATUS: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  continued_as_new: 'ContinuedAsNew',
  timed_out: 'TimedOut',
};
export const RUN_STATUSES = Object.keys(VISIBILITY_STATUS) as RunStatus[];

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
  progress: Progress | null;
  result?: unknown;
  /** Why the run failed; `type` from lib/failures.ts, `label` its wording for people. */
  failure?: { message: string; type?: string; label?: string };
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
}

const REQUEST_ID = /^[A-Za-z0-9_.-]{1,80}$/;

function statusOf(code: number | null | undefined): RunStatus {
  return STATUS_NAMES[code ?? 1] ?? 'running';
}

function tsToIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const ms = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `percent` (0–100) of the last heartbeat's details, when the activity reports one (`{ stage, percent }`). */
function heartbeatPercent(payloads: temporal.api.common.v1.IPayload[] | null | undefined): number | undefined {
  const last = payloads?.[payloads.length - 1];
  if (!last) return undefined;
  try {
    const details = defaultPayloadConverter.fromPayload<{ percent?: unknown }>(last);
    const percent = details && typeof details === 'object' ? details.percent : undefined;
    return typeof percent === 'number' && Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : undefined;
  } catch {
    return undefined; // not JSON, or not ours: no progress to show
  }
}

export function createRunService(options: RunServiceOptions) {
  const { client, namespace } = options;
  const queryTimeoutMs = options.queryTimeoutMs ?? 3000;

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

  async function queryProgress(id: string, runId: string): Promise<Progress | null> {
    try {
      return await client.withDeadline(Date.now() + queryTimeoutMs, () =>
        client.workflow.getHandle(id, runId).query(progressQuery),
      );
    } catch {
      // No worker answered in time (none polling, or the run is mid-replay): show the run without it.
      return null;
    }
  }

  /**
   * Activity retries and heartbeat progress live in Temporal, not in the workflow's state: add them to the steps they
   * belong to.
   */
  function withPendingActivities(
    progress: Progress,
    description: WorkflowExecutionDescription,
    automation: string | null,
  ): Progress {
    const pending = description.raw.pendingActivities ?? [];
    if (!automation || pending.length === 0) return progress;
    let steps: Record<string, string>;
    try {
      steps = options.automations.get(automation).activitySteps;
    } catch {
      return progress;
    }
    const enriched = progress.steps.map((step) => ({ ...step }));
    for (const activity of pending) {
      const stepName = steps[activity.activityType?.name ?? ''];
      const step = enriched.find((s) => s.name === stepName);
      if (!step || step.status !== 'running') continue;
      const percent = heartbeatPercent(activity.heartbeatDetails?.payloads);
      if (percent !== undefined) step.percent = Math.max(step.percent ?? 0, percent);
      const attempt = activity.attempt ?? 1;
      if (attempt > 1) {
        step.attempt = Math.max(step.attempt, attempt);
        const reason = activity.lastFailure?.message;
        step.detail = `Retrying (attempt ${attempt})${reason ? `: ${reason}` : ''}`;
      }
    }
    return { ...progress, steps: enriched };
  }

  async function outcome(
    description: WorkflowExecutionDescription,
    status: RunStatus,
  ): Promise<Pick<RunDetail, 'result' | 'failure'>> {
    if (status === 'running' || status === 'continued_as_new') return {};
    try {
      return { result: await client.workflow.getHandle(description.workflowId, description.runId).result() };
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        let cause: unknown = err.cause;
        while (cause instanceof Error && cause.cause instanceof Error && /^Activity task failed$/.test(cause.message))
          cause = cause.cause;
        const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
        const message = cause instanceof Error ? cause.message : err.message;
        return { failure: { message, ...(type && { type, label: failureLabel(type) }) } };
      }
      return { failure: { message: err instanceof Error ? err.message : String(err) } };
    }
  }

  async function start(principal: Principal, body: { automation: string; input: unknown; requestId?: string }) {
    const automation = options.automations.get(body.automation);
    const input = parse(automation.inputSchema, body.input ?? {}, 'input');
    const requestId = body.requestId ?? randomUUID();
    if (!REQUEST_ID.test(requestId)) {
      throw new ValidationError('requestId must be 1–80 letters, digits, ".", "_" or "-"', {
        errors: [{ field: 'requestId', message: 'invalid characters or length' }],
      });
    }
    const prepared = await automation.prepare(principal, input, requestId);
    const typedSearchAttributes = [
      { key: WorkspaceIdKey, value: principal.workspaceId },
      { key: AutomationKey, value: automation.name },
      ...(prepared.brandId ? [{ key: BrandIdKey, value: prepared.brandId }] : []),
    ];
    try {
      const handle = await client.workflow.start(prepared.workflowType, {
        taskQueue: options.taskQueue,
        workflowId: prepared.workflowId,
        args: prepared.args,
        typedSearchAttributes,
        memo: { startedBy: principal.name, automation: automation.name, input },
        // The same requestId twice is the same run, running or closed: a retried POST starts nothing new.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      });
      // The start response says all there is to say; a describe here would double the cost of a start.
      const run: RunDetail = {
        id: handle.workflowId,
        runId: handle.firstExecutionRunId,
        automation: automation.name,
        status: 'running',
        brandId: prepared.brandId ?? null,
        startTime: new Date().toISOString(),
        closeTime: null,
        temporalUrl: temporalUrl(handle.workflowId, handle.firstExecutionRunId),
        input,
        startedBy: principal.name,
        progress: null,
        taskQueue: options.taskQueue,
      };
      return { created: true, run };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return { created: false, run: await get(principal, prepared.workflowId, { withProgress: false }) };
      }
      throw err;
    }
  }

  async function get(principal: Principal, id: string, opts: { withProgress?: boolean } = {}): Promise<RunDetail> {
    const description = await describeOwned(principal, id);
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
      progress: null,
      taskQueue: description.taskQueue,
    };
    if (opts.withProgress === false) return detail;
    const progress = await queryProgress(description.workflowId, description.runId);
    detail.progress = progress ? withPendingActivities(progress, description, summary.automation) : null;
    return { ...detail, ...(await outcome(description, status)) };
  }

  async function list(
    principal: Principal,
    filter: ListRunsFilter,
  ): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
    const clauses = [`WorkspaceId = ${quote(principal.workspaceId)}`];
    if (filter.automation) clauses.push(`Automation = ${quote(filter.automation)}`);
    if (filter.brandId) clauses.push(`BrandId = ${quote(filter.brandId)}`);
    if (filter.status) clauses.push(`ExecutionStatus = ${quote(VISIBILITY_STATUS[filter.status])}`);
    const nextPageToken = filter.cursor ? decodeRunsCursor(filter.cursor) : undefined;
    const response = await client.workflowService.listWorkflowExecutions({
      namespace,
      pageSize: filter.limit,
      nextPageToken,
      // Visibility returns newest first; SQLite-backed visibility refuses an explicit ORDER BY.
      query: clauses.join(' AND '),
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

  async function decide(principal: Principal, id: string, decision: Decision) {
    const description = await describeOwned(principal, id);
    if (statusOf(description.raw.workflowExecutionInfo?.status) !== 'running')
      throw new ConflictError(`Run ${id} is no longer running`);
    try {
      return await client.workflow
        .getHandle(id, description.runId)
        .executeUpdate(decideUpdate, { args: [{ ...decision, by: principal.name }] });
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && isFailureType(cause.type)) {
        const { status } = FAILURES[cause.type] as { status?: number };
        if (status === 409) throw new ConflictError(cause.message);
        if (status === 400) {
          const details = (cause.details ?? []) as { field?: string; message?: string }[];
          const errors: FieldError[] = details
            .filter((d) => d && typeof d.field === 'string')
            .map((d) => ({ field: `edits.${d.field}`, message: d.message ?? 'invalid' }));
          throw new ValidationError(cause.message, {
            errors: errors.length ? errors : [{ field: 'action', message: cause.message }],
          });
        }
      }
      if (err instanceof WorkflowNotFoundError) throw new ConflictError(`Run ${id} is no longer running`);
      throw err;
    }
  }

  async function cancel(principal: Principal, id: string): Promise<void> {
    const description = await describeOwned(principal, id);
    if (statusOf(description.raw.workflowExecutionInfo?.status) !== 'running')
      throw new ConflictError(`Run ${id} is not running`);
    await client.workflow.getHandle(id, description.runId).cancel();
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

  return { start, get, list, decide, cancel, retry, temporalUrl };
}

export type RunService = ReturnType<typeof createRunService>;
