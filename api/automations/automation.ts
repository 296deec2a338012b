/** What the API knows about an automation: its input schema and how to turn a request into a run. */
import type { z } from 'zod';
import type { Principal } from '../services/account.service';

export interface PreparedRun {
  workflowType: string;
  workflowId: string;
  args: unknown[];
  brandId?: string;
}

export interface AutomationDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  inputSchema: S;
  /** Activity type → progress step, so pending activity retries show on the right step. */
  activitySteps: Record<string, string>;
  /** Checks references (404 for another workspace's ids) and builds the workflow's input. */
  prepare(principal: Principal, input: z.output<S>, requestId: string): Promise<PreparedRun>;
}
