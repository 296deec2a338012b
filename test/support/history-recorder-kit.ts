/**
 * What every history recorder needs (test/support/history-recorders*.ts): exporting a run's history as the Temporal CLI
 * writes it, starting a run through the API, and answering its approval.
 */
import { execFileSync } from 'node:child_process';
import { findTemporalCli } from '../../temporal/cli';
import { waitForRun, type TestStack } from './harness';

export interface Recorded {
  workflowId: string;
  json: string;
}

export type Recorder = (stack: TestStack) => Promise<Recorded>;

export function exportHistory(stack: TestStack, id: string, runId?: string): Recorded {
  // The CLI writes the canonical proto3 JSON that `historyFromJSON` and the Web UI's export use.
  const json = execFileSync(
    findTemporalCli()!,
    [
      'workflow',
      'show',
      '--workflow-id',
      id,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
      '--address',
      stack.config.temporal.address,
    ],
    { encoding: 'utf8' },
  );
  return { workflowId: id, json };
}

export const enc = encodeURIComponent;
export const step = (run: any, name: string) => run.progress?.steps.find((s: any) => s.name === name);

export async function startRun(stack: TestStack, automation: string, input: Record<string, unknown>): Promise<string> {
  const started = await stack.request('POST', '/api/v1/runs', { automation, input });
  if (started.status !== 201) throw new Error(`start ${automation}: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.id as string;
}

/** The run's pending approval's URL, once it waits. */
export async function approvalUrl(stack: TestStack, id: string): Promise<string> {
  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length === 1, 90_000);
  return `/api/v1/runs/${enc(id)}/approvals/${waiting.progress.approvals[0].id}`;
}

export async function decide(stack: TestStack, url: string, decision: Record<string, unknown>, status = 200) {
  const res = await stack.request('POST', url, decision);
  if (res.status !== status) throw new Error(`decide: ${res.status} ${JSON.stringify(res.body)}`);
}
