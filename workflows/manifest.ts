/**
 * What the run view knows about an automation, as plain data: the workflow builds its progress from `steps`, the API
 * puts pending activities on their step and tells the UI which approval editor to show and which details to list.
 * Pure: no workflow runtime.
 */
export interface RunManifest {
  automation: string;
  steps: { name: string; title: string }[];
  /** Activity type → the step it works for, so retries and heartbeat progress show on that step. */
  activitySteps: Record<string, string>;
  /** Approval step → the kind of content it asks about; the UI picks its editor by kind. */
  approvals: Record<string, string>;
  /** What the run page's details show of the run's input and result, in order. */
  details: DetailRow[];
}

/** One row of the run page's details: a value of the run's input or result, shown when it is there. */
export interface DetailRow {
  label: string;
  /** Where the value is: `input.<path>` or `result.<path>`. */
  value: string;
  /** How the UI shows it (ui/js/run/detail-formats.js); as text when absent. */
  format?:
    | 'number'
    | 'list'
    | 'url'
    | 'outcome'
    | 'approval-policy'
    | 'score'
    | 'platform'
    | 'post-type'
    | 'diagnosis'
    | 'report';
  /** Shown only while the result's status is this one. */
  whenStatus?: string;
  /** For `list`: what an empty list says. */
  empty?: string;
  /** For `outcome`: the statuses shown as a success. */
  ok?: string[];
}

/** The kind of a pending approval on `step`, or undefined when the manifest names none. */
export function approvalKind(manifest: RunManifest, step: string): string | undefined {
  return Object.hasOwn(manifest.approvals, step) ? manifest.approvals[step] : undefined;
}
