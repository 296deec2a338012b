/** What the API knows about an automation: its input schema and how to turn a request into a run. */
import type { z } from 'zod';
import type { Principal } from '../services/account.service';
import type { RunManifest } from '../../workflows/manifest';

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
  /** The run view's contract: steps, activity → step, approval kinds (the workflow's own manifest). */
  manifest: RunManifest;
  /** The manifests of the child runs it starts (a batch's per-item runs), so their run pages render too. */
  childManifests?: RunManifest[];
  /** Checks references (404 for another workspace's ids) and builds the workflow's input. */
  prepare(principal: Principal, input: z.output<S>, requestId: string): Promise<PreparedRun>;
}
