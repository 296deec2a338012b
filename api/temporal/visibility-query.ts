/** List filters as a visibility query, every value quoted so an id cannot change the query. */
import type { RunStatus } from './run-status';
import { visibilityStatus } from './run-status';

export interface RunsQuery {
  workspaceId: string;
  automation?: string;
  brandId?: string;
  status?: RunStatus;
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function runsVisibilityQuery(filter: RunsQuery): string {
  // Top-level runs only: a batch's children (one per lead) open from the batch and the lead, not from the list.
  const clauses = [`WorkspaceId = ${quote(filter.workspaceId)}`, 'ParentWorkflowId IS NULL'];
  if (filter.automation) clauses.push(`Automation = ${quote(filter.automation)}`);
  if (filter.brandId) clauses.push(`BrandId = ${quote(filter.brandId)}`);
  if (filter.status) clauses.push(`ExecutionStatus = ${quote(visibilityStatus(filter.status))}`);
  return clauses.join(' AND ');
}

/** A protobuf timestamp from a visibility row as ISO 8601. */
export function tsToIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const ms = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}
