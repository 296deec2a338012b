/**
 * What every start of a run through the API does before Temporal is asked: the automation's input parsed with its
 * schema (400 naming `input.<field>`), the requestId checked (it becomes part of the workflow id), and the
 * automation's `prepare()` (reference checks, PostgreSQL only). `POST /runs` starts the result at once; with
 * `Prefer: respond-async` it goes into the inbox for the dispatcher (run-request.service.ts).
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../lib/errors';
import type { InboxRow } from '../../db/repositories/inbox-writer';
import type { AutomationRegistry, PreparedRun } from '../automations';
import { parse } from '../validation';
import type { Principal } from './account.service';

const REQUEST_ID = /^[A-Za-z0-9_.-]{1,80}$/;

export interface StartRequest {
  automation: string;
  input: unknown;
  requestId?: string;
}

export async function prepareRun(automations: AutomationRegistry, principal: Principal, body: StartRequest) {
  const automation = automations.get(body.automation);
  const input = parse(automation.inputSchema, body.input ?? {}, 'input');
  const requestId = body.requestId ?? randomUUID();
  if (!REQUEST_ID.test(requestId)) {
    throw new ValidationError('requestId must be 1–80 letters, digits, ".", "_" or "-"', {
      errors: [{ field: 'requestId', message: 'invalid characters or length' }],
    });
  }
  const prepared = await automation.prepare(principal, input, requestId);
  return { automation, input, requestId, prepared };
}

/** The inbox row of a prepared run (a webhook delivery or an asynchronous run request): the dispatcher starts it. */
export function inboxRowOf(
  prepared: PreparedRun,
  from: Omit<InboxRow, 'workflowType' | 'workflowId' | 'args' | 'brandId'>,
): InboxRow {
  return {
    ...from,
    workflowType: prepared.workflowType,
    workflowId: prepared.workflowId,
    args: prepared.args,
    brandId: prepared.brandId ?? null,
  };
}
