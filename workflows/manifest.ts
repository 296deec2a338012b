/**
 * What the run view knows about an automation, as plain data: the workflow builds its progress from `steps`, the API
 * puts pending activities on their step and tells the UI which approval editor to show. Pure: no workflow runtime.
 */
export interface RunManifest {
  automation: string;
  steps: { name: string; title: string }[];
  /** Activity type → the step it works for, so retries and heartbeat progress show on that step. */
  activitySteps: Record<string, string>;
  /** Approval step → the kind of content it asks about; the UI picks its editor by kind. */
  approvals: Record<string, string>;
}

/** The kind of a pending approval on `step`, or undefined when the manifest names none. */
export function approvalKind(manifest: RunManifest, step: string): string | undefined {
  return Object.hasOwn(manifest.approvals, step) ? manifest.approvals[step] : undefined;
}
