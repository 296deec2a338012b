/**
 * Keeping a brand's knowledge base in step with its uploads: index a document (after upload or on request) and
 * delete one (passages, file, row). Workflows rather than API calls so a crash mid-way finishes the job later.
 */
import type { IndexDocumentResult, KnowledgeDocumentInput } from '../activities/knowledge';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { failureMessage } from '../lib/failure-chain';
import { failure } from '../lib/failures';

/** Indexing reads, extracts (pdftotext) and embeds: minutes for a long PDF, heartbeating per batch. */
const indexing = {
  startToCloseTimeout: '15m',
  heartbeatTimeout: '30s',
  retry: { ...presets.quick.retry, maximumAttempts: 5 },
} as const;

export async function knowledgeIndexWorkflow(input: KnowledgeDocumentInput): Promise<IndexDocumentResult> {
  const { indexDocument } = activitiesOn('main', indexing);
  const { markDocumentFailed } = activitiesOn('main', presets.quick);
  try {
    return await indexDocument(input);
  } catch (err) {
    // Retries ran out on a retryable error (a final one marked the document itself): record why.
    await markDocumentFailed({ ...input, error: failureMessage(err) });
    throw failure('IndexingFailed', `Indexing failed: ${failureMessage(err)}`);
  }
}

export async function knowledgeDeleteWorkflow(input: KnowledgeDocumentInput): Promise<{ deleted: boolean }> {
  const { deleteKnowledgeDocument } = activitiesOn('main', presets.publish);
  const { deleted } = await deleteKnowledgeDocument(input);
  return { deleted };
}
