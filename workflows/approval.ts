/**
 * Human approval as a validated update plus a deadline. The validator refuses a decision
 * that names another approval or carries an edit that breaks a rule, before it is accepted,
 * so a refused edit leaves no trace in history. The handler only merges the edit, never
 * checking a rule: replay skips validators, so a rule made stricter after the edit was
 * accepted cannot fail the run (lib/edits.ts). On timeout the input's policy applies.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { EditRules } from '../lib/edits';
import type { ApprovalAction, PendingApproval, ProgressTracker, TimeoutPolicy } from './progress';
import { failure } from '../lib/failures';

export interface Decision {
  approvalId: string;
  action: ApprovalAction;
  /** Fields to replace in the content, for `edit`. */
  edits?: Record<string, unknown>;
  comment?: string;
  /** Who decided (user email or API key name), filled in by the API. */
  by?: string;
}

export interface DecisionReceipt {
  approvalId: string;
  action: ApprovalAction;
}

export const decideUpdate = defineUpdate<DecisionReceipt, [Decision]>('decide');

export interface ApprovalPolicy {
  /** When false the step is skipped and the content is used as generated. */
  required: boolean;
  timeoutSeconds: number;
  onTimeout: TimeoutPolicy;
}

export interface ApprovalOutcome<T> {
  result: 'approved' | 'edited' | 'rejected';
  content: T;
  by?: string;
  comment?: string;
  timedOut: boolean;
}

interface Pending<T> {
  approval: PendingApproval;
  content: T;
  decision?: { action: ApprovalAction; content: T; by?: string; comment?: string };
}

/** Registers the `decide` update for a workflow, editing its content with `edits`. */
export function createApprovalGate<T>(tracker: ProgressTracker, edits: EditRules<T>) {
  let pending: Pending<T> | undefined;

  const validate = (decision: Decision): void => {
    if (!pending || pending.decision) {
      throw failure('NoPendingApproval', 'Nothing is waiting for approval');
    }
    if (decision.approvalId !== pending.approval.id) {
      throw failure('NoPendingApproval', `Approval ${decision.approvalId} is not pending`);
    }
    if (!pending.approval.actions.includes(decision.action)) {
      throw failure('InvalidInput', `Action ${decision.action} is not allowed here`);
    }
    if (decision.action === 'edit') {
      if (!decision.edits || Object.keys(decision.edits).length === 0) {
        throw failure('InvalidEdit', 'An edit must change at least one field');
      }
      edits.check(pending.content, decision.edits);
    }
  };

  setHandler(
    decideUpdate,
    (decision) => {
      // Accepted by the validator (or recorded in history, on replay): merge, never refuse.
      const current = pending!;
      current.decision = {
        action: decision.action,
        content:
          decision.action === 'edit' && decision.edits ? edits.merge(current.content, decision.edits) : current.content,
        by: decision.by,
        comment: decision.comment,
      };
      return { approvalId: current.approval.id, action: decision.action };
    },
    { validator: validate },
  );

  return {
    async request(options: {
      id: string;
      step: string;
      title: string;
      content: T;
      policy: ApprovalPolicy;
    }): Promise<ApprovalOutcome<T>> {
      const { policy } = options;
      if (!policy.required) {
        tracker.skip(options.step, 'Approved automatically: the run does not require approval');
        return { result: 'approved', content: options.content, timedOut: false, by: 'policy' };
      }
      // The sandbox's clock is the workflow task's time, so this is deterministic on replay.
      const deadline = new Date(new Date().getTime() + policy.timeoutSeconds * 1000).toISOString();
      pending = {
        content: options.content,
        approval: {
          id: options.id,
          step: options.step,
          title: options.title,
          content: options.content,
          actions: ['approve', 'edit', 'reject'],
          deadline,
          onTimeout: policy.onTimeout,
        },
      };
      tracker.setApprovals([pending.approval]);
      tracker.waiting(
        options.step,
        `Waiting for approval until ${deadline}; on timeout: ${policy.onTimeout}`,
        'Waiting for approval',
      );

      const decided = await condition(() => pending?.decision !== undefined, policy.timeoutSeconds * 1000);
      const current = pending;
      pending = undefined;
      tracker.setApprovals([]);

      if (decided && current.decision) {
        const { action, content, by, comment } = current.decision;
        const result = action === 'approve' ? 'approved' : action === 'edit' ? 'edited' : 'rejected';
        const detail = `${result[0].toUpperCase()}${result.slice(1)}${by ? ` by ${by}` : ''}${comment ? `: ${comment}` : ''}`;
        if (result === 'rejected') tracker.fail(options.step, detail);
        else tracker.done(options.step, detail);
        return { result, content, by, comment, timedOut: false };
      }

      const detail = `No decision within ${policy.timeoutSeconds} s`;
      switch (policy.onTimeout) {
        case 'approve':
          tracker.done(options.step, `${detail}: approved automatically as the run's policy says`);
          return { result: 'approved', content: options.content, timedOut: true, by: 'timeout' };
        case 'reject':
          tracker.fail(options.step, `${detail}: rejected as the run's policy says`);
          return { result: 'rejected', content: options.content, timedOut: true, by: 'timeout' };
        case 'fail':
          tracker.fail(options.step, `${detail}: the run fails as its policy says`);
          throw failure('ApprovalTimeout', `${detail}; the run's policy is to fail`);
      }
    },
  };
}
