/** Temporal's execution statuses in the API's words, and back in visibility's spelling for list filters. */
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

/** The status of a `WorkflowExecutionStatus` code; an unknown or missing one reads as running. */
export function statusOf(code: number | null | undefined): RunStatus {
  return STATUS_NAMES[code ?? 1] ?? 'running';
}

export const visibilityStatus = (status: RunStatus): string => VISIBILITY_STATUS[status];
