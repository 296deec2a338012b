/**
 * Asynchronous `POST /runs` (`Prefer: respond-async`): the request is checked like a synchronous start (input, brand,
 * requestId: a 400 or 404 at once), written into the inbox that webhook deliveries use, and answered 202; the
 * dispatcher (delivery-dispatcher.ts) starts it, so accepting never waits on Temporal. The requestId is the request's
 * id and makes the workflow id, so a retried request finds the first one and a double dispatch starts one run.
 */
import { NotFoundError } from '../../lib/errors';
import type { InboxWriter } from '../../db/repositories/inbox-writer';
import { acceptedDelivery } from '../../db/repositories/webhook.repository';
import type { RunRequestRecord, RunRequestRepository } from '../../db/repositories/run-request.repository';
import type { AutomationRegistry } from '../automations';
import type { Principal } from './account.service';
import { inboxRowOf, prepareRun, type StartRequest } from './run-prepare';

export function createRunRequestService(deps: {
  automations: AutomationRegistry;
  inbox: InboxWriter;
  requests: RunRequestRepository;
  /** The queue the run starts on (the API's main queue). */
  taskQueue: string;
  /** Called once a request is in the inbox: wakes the dispatcher. */
  onAccepted?: () => void;
}) {
  return {
    async accept(principal: Principal, body: StartRequest): Promise<{ duplicate: boolean; request: RunRequestRecord }> {
      const { automation, input, requestId, prepared } = await prepareRun(deps.automations, principal, body);
      const row = inboxRowOf(prepared, {
        endpointId: null,
        deliveryId: requestId,
        workspaceId: principal.workspaceId,
        automation: automation.name,
        input,
        taskQueue: deps.taskQueue,
        startedBy: principal.name,
      });
      const written = await deps.inbox.accept(row);
      if (!written) return { duplicate: true, request: (await deps.requests.find(principal.workspaceId, requestId))! };
      deps.onAccepted?.();
      const { endpointId: _none, ...request } = acceptedDelivery(row, written);
      return { duplicate: false, request };
    },

    async get(principal: Principal, id: string): Promise<RunRequestRecord> {
      const found = await deps.requests.find(principal.workspaceId, id);
      if (!found) throw new NotFoundError(`Run request ${id} not found`);
      return found;
    },
  };
}

export type RunRequestService = ReturnType<typeof createRunRequestService>;
