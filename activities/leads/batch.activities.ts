/**
 * A lead enrichment batch's snapshot: the ids of the leads it works through, chosen once (by id or by filter) and
 * stored by key, so the batch's history holds a key and counts, and a lead imported while it runs does not join it.
 * The batch reads the snapshot a page at a time.
 */
import { failure } from '../../lib/failures';
import { MAX_BATCH_LEADS, type LeadSelection } from '../../lib/leads/batch';
import type { LeadRepository } from '../../db/repositories/lead.repository';
import { getJson, putJson } from '../storage/claim-check';
import type { FileStorage } from '../storage/file-storage.port';

export interface LeadBatchDeps {
  leads: LeadRepository;
  storage: FileStorage;
}

export interface SnapshotLeadsInput {
  workspaceId: string;
  brandId: string | null;
  selection: LeadSelection;
  key: string;
}

export interface LeadSnapshot {
  key: string;
  total: number;
  /** Leads that matched; more than `total` when the selection was cut at MAX_BATCH_LEADS. */
  matched: number;
  /** Ids named that are not this workspace's leads (deleted, mistyped, another workspace's). */
  unknown: number;
}

export function createLeadBatchActivities(deps: LeadBatchDeps) {
  const { leads, storage } = deps;
  return {
    async snapshotLeadSelection(input: SnapshotLeadsInput): Promise<LeadSnapshot> {
      // A retry after a crash finds the snapshot it wrote: the batch never works through two different lists.
      const written = await storage.get(input.key);
      const selection =
        'leadIds' in input.selection
          ? { ids: [...new Set(input.selection.leadIds)] }
          : { filter: { ...input.selection.filter, ...(input.brandId ? { brandId: input.brandId } : {}) } };
      if (written) {
        const snapshot = JSON.parse(written.toString('utf8')) as { ids: string[]; matched: number };
        return {
          key: input.key,
          total: snapshot.ids.length,
          matched: snapshot.matched,
          unknown: unknownOf(selection, snapshot.ids),
        };
      }
      const { ids, matched } = await leads.selectIds(input.workspaceId, selection, MAX_BATCH_LEADS);
      await putJson(storage, input.key, { ids, matched });
      return { key: input.key, total: ids.length, matched, unknown: unknownOf(selection, ids) };
    },

    async readLeadBatchPage(input: { key: string; offset: number; limit: number }): Promise<string[]> {
      if (input.offset < 0 || input.limit < 1) throw failure('InvalidInput', 'offset ≥ 0 and limit ≥ 1');
      const { ids } = await getJson<{ ids: string[] }>(storage, input.key, 'The batch snapshot');
      return ids.slice(input.offset, input.offset + input.limit);
    },
  };
}

function unknownOf(selection: { ids: string[] } | { filter: unknown }, found: string[]): number {
  return 'ids' in selection ? selection.ids.length - found.length : 0;
}

export type LeadBatchActivities = ReturnType<typeof createLeadBatchActivities>;
