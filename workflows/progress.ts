/**
 * The one run-state shape every automation reports through its `progress` query,
 * and a small tracker that keeps it. The UI and the API render every automation from it.
 */
import { defineQuery } from '@temporalio/workflow';

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';
export type RunPhase = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';

export interface ProgressStep {
  name: string;
  title: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  /** Times the step has been entered (an edit that re-renders makes it 2). Activity retries are added by the API. */
  attempt: number;
  detail?: string;
  /** Which provider served the step (`offline`, `openai:gpt-4o-mini`, `chromium`). */
  provider?: string;
  /** 0–100 while a running step's activity reports it in its heartbeats (the video render); added by the API. */
  percent?: number;
}

export type ArtifactKind = 'image' | 'pdf' | 'video' | 'audio' | 'html' | 'subtitles' | 'link';

export interface Artifact {
  kind: ArtifactKind;
  url: string;
  title: string;
  step?: string;
}

export type ApprovalAction = 'approve' | 'edit' | 'reject';
export type TimeoutPolicy = 'approve' | 'reject' | 'fail';

export interface PendingApproval {
  id: string;
  step: string;
  title: string;
  /** What is being approved (for a social post, its copy). Edits replace fields of it. */
  content: unknown;
  actions: ApprovalAction[];
  deadline?: string;
  onTimeout: TimeoutPolicy;
}

export interface Progress {
  automation: string;
  phase: RunPhase;
  steps: ProgressStep[];
  artifacts: Artifact[];
  approvals: PendingApproval[];
  summary: string;
  /** Named counts a batch reports (queued, running, enriched, failed…), in the order shown; absent for single runs. */
  counts?: Record<string, number>;
  updatedAt: string;
}

export const progressQuery = defineQuery<Progress>('progress');

const now = () => new Date().toISOString();

export class ProgressTracker {
  private readonly state: Progress;

  constructor(automation: string, steps: { name: string; title: string }[]) {
    this.state = {
      automation,
      phase: 'running',
      steps: steps.map((s) => ({ ...s, status: 'pending', attempt: 0 })),
      artifacts: [],
      approvals: [],
      summary: 'Starting',
      updatedAt: now(),
    };
  }

  snapshot(): Progress {
    return this.state;
  }

  private step(name: string): ProgressStep {
    const found = this.state.steps.find((s) => s.name === name);
    if (!found) throw new Error(`Unknown step ${name}`);
    return found;
  }

  private touch(summary?: string) {
    if (summary !== undefined) this.state.summary = summary;
    this.state.updatedAt = now();
  }

  start(name: string, summary?: string): void {
    const step = this.step(name);
    step.status = 'running';
    step.startedAt = now();
    step.endedAt = undefined;
    step.attempt += 1;
    step.detail = undefined;
    this.state.phase = 'running';
    this.touch(summary ?? `${step.title}…`);
  }

  waiting(name: string, detail: string, summary?: string): void {
    const step = this.step(name);
    if (step.status !== 'waiting') {
      step.startedAt = now();
      step.attempt += 1;
    }
    step.status = 'waiting';
    step.detail = detail;
    this.state.phase = 'waiting';
    this.touch(summary ?? detail);
  }

  done(name: string, detail?: string, provider?: string): void {
    const step = this.step(name);
    step.status = 'done';
    step.endedAt = now();
    step.startedAt ??= step.endedAt;
    if (detail !== undefined) step.detail = detail;
    if (provider !== undefined) step.provider = provider;
    this.state.phase = 'running';
    this.touch();
  }

  skip(name: string, detail: string): void {
    const step = this.step(name);
    step.status = 'skipped';
    step.endedAt = now();
    step.detail = detail;
    this.touch();
  }

  fail(name: string, detail: string): void {
    const step = this.step(name);
    step.status = 'failed';
    step.endedAt = now();
    step.detail = detail;
    this.touch(`${step.title} failed: ${detail}`);
  }

  /** Marks the step that was in flight as failed; used when a run ends in an error or is cancelled. */
  failRunning(detail: string, phase: 'failed' | 'cancelled'): void {
    for (const step of this.state.steps) {
      if (step.status === 'running' || step.status === 'waiting') {
        step.status = phase === 'cancelled' ? 'skipped' : 'failed';
        step.endedAt = now();
        step.detail = detail;
      }
    }
    this.state.approvals = [];
    this.state.phase = phase;
    this.touch(detail);
  }

  artifact(artifact: Artifact): void {
    this.state.artifacts = [
      ...this.state.artifacts.filter((a) => a.url !== artifact.url || a.kind !== artifact.kind),
      artifact,
    ];
    this.touch();
  }

  replaceArtifact(kind: ArtifactKind, step: string, artifact: Artifact): void {
    this.state.artifacts = this.state.artifacts.filter((a) => !(a.kind === kind && a.step === step));
    this.artifact(artifact);
  }

  setCounts(counts: Record<string, number>, summary?: string): void {
    this.state.counts = counts;
    this.touch(summary);
  }

  setApprovals(approvals: PendingApproval[]): void {
    this.state.approvals = approvals;
    this.touch();
  }

  complete(summary: string): void {
    for (const step of this.state.steps) {
      if (step.status === 'pending') {
        step.status = 'skipped';
        step.detail ??= 'Not needed';
      }
    }
    this.state.phase = 'completed';
    this.touch(summary);
  }
}
