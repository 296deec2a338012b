/**
 * A brand's knowledge documents over HTTP: upload (stored, then indexed by `knowledgeIndexWorkflow`), list,
 * re-index, download the original, delete (by `knowledgeDeleteWorkflow`, awaited so the answer means "gone").
 */
import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { createKnowledgeIntake, KnowledgeUploadError, type KnowledgeUpload } from './knowledge-intake';
import type { FileStorage } from '../../activities/storage';
import type { KnowledgeDocumentRecord, KnowledgeRepository } from '../../db/repositories/knowledge.repository';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../../lib/errors';
import { AutomationKey, BrandIdKey } from '../../temporal/search-attributes';

export type DocumentView = Omit<KnowledgeDocumentRecord, 'workspaceId' | 'fileKey' | 'sha256'>;

const view = ({ workspaceId: _w, fileKey: _f, sha256: _s, ...doc }: KnowledgeDocumentRecord): DocumentView => doc;

export interface KnowledgeServiceDeps {
  client: Client;
  taskQueue: string;
  repo: KnowledgeRepository;
  storage: FileStorage;
  maxBytes: number;
  /** How long DELETE waits for the deletion workflow before answering 202. */
  deleteWaitMs?: number;
}

export function createKnowledgeService(deps: KnowledgeServiceDeps) {
  const { client, repo, storage } = deps;
  const intake = createKnowledgeIntake({ storage, repo, maxBytes: deps.maxBytes });

  const find = async (workspaceId: string, brandId: string, id: string) => {
    const doc = await repo.getDocument(workspaceId, id);
    if (!doc || doc.brandId !== brandId) throw new NotFoundError(`Document ${id} not found`);
    return doc;
  };

  const startIndexing = (doc: KnowledgeDocumentRecord) =>
    client.workflow.start('knowledgeIndexWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: `knowledge-index/${doc.id}`,
      // A re-index asked for while one runs joins it instead of failing.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{ workspaceId: doc.workspaceId, brandId: doc.brandId, documentId: doc.id }],
      typedSearchAttributes: [
        { key: AutomationKey, value: 'knowledge-index' },
        { key: BrandIdKey, value: doc.brandId },
      ],
    });

  return {
    maxBytes: intake.maxBytes,

    async list(workspaceId: string, brandId: string, brandExists: () => Promise<boolean>) {
      if (!(await brandExists())) throw new NotFoundError(`Brand ${brandId} not found`);
      const { items } = await repo.listDocuments(workspaceId, brandId, { limit: 100 });
      return { items: items.map(view) };
    },

    async get(workspaceId: string, brandId: string, id: string) {
      return view(await find(workspaceId, brandId, id));
    },

    async upload(workspaceId: string, upload: KnowledgeUpload): Promise<DocumentView> {
      let doc: KnowledgeDocumentRecord | null;
      try {
        doc = await intake.upload(workspaceId, upload);
      } catch (err) {
        if (err instanceof KnowledgeUploadError) {
          if (err.reason === 'tooLarge') throw new PayloadTooLargeError(err.message);
          throw new ValidationError(err.message, { errors: [{ field: 'body', message: err.message }] });
        }
        throw err;
      }
      if (!doc) throw new NotFoundError(`Brand ${upload.brandId} not found`);
      await startIndexing(doc);
      return view(doc);
    },

    async reindex(workspaceId: string, brandId: string, id: string) {
      const doc = await find(workspaceId, brandId, id);
      await startIndexing(doc);
      return view(doc);
    },

    async original(workspaceId: string, brandId: string, id: string) {
      const doc = await find(workspaceId, brandId, id);
      const data = await storage.get(doc.fileKey);
      if (!data) throw new NotFoundError('The original file is missing');
      return { doc, data };
    },

    /** True when gone before answering; false when the deletion continues in the background. */
    async remove(workspaceId: string, brandId: string, id: string): Promise<boolean> {
      await find(workspaceId, brandId, id);
      const handle = await client.workflow.start('knowledgeDeleteWorkflow', {
        taskQueue: deps.taskQueue,
        workflowId: `knowledge-delete/${id}`,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        args: [{ workspaceId, brandId, documentId: id }],
        typedSearchAttributes: [
          { key: AutomationKey, value: 'knowledge-delete' },
          { key: BrandIdKey, value: brandId },
        ],
      });
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        handle.result().then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deps.deleteWaitMs ?? 20_000))),
      ]).finally(() => clearTimeout(timer));
      return waited;
    },
  };
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;
