/**
 * Document intake for the API: checks an upload, stores the original in file storage and creates the document row
 * (status `pending`), ready for `indexDocument`. The source types it accepts are the ones extraction reads
 * (lib/knowledge/source-type.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { KnowledgeDocumentRecord, KnowledgeRepository } from '../../db/repositories/knowledge.repository';
import type { FileStorage } from '../../activities/storage';
import { detectSourceType, isSourceType, type SourceType } from '../../lib/knowledge/source-type';

export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const CONTENT_TYPES: Record<SourceType, { type: string; ext: string }> = {
  text: { type: 'text/plain; charset=utf-8', ext: 'txt' },
  markdown: { type: 'text/markdown; charset=utf-8', ext: 'md' },
  html: { type: 'text/html', ext: 'html' },
  pdf: { type: 'application/pdf', ext: 'pdf' },
};

export interface KnowledgeUpload {
  brandId: string;
  data: Buffer;
  /** Shown in lists and cited with passages; defaults to the file name without its extension. */
  title?: string;
  fileName?: string;
  contentType?: string;
  /** Overrides detection from the content type and file name. */
  sourceType?: string;
}

/** Why an upload is refused; the API answers 400 with it (or 413 for `tooLarge`). */
export class KnowledgeUploadError extends Error {
  constructor(
    message: string,
    readonly reason: 'unsupportedType' | 'empty' | 'tooLarge',
  ) {
    super(message);
    this.name = 'KnowledgeUploadError';
  }
}

/** `brands/<brandId>/knowledge/<documentId>/original.<ext>` */
export function knowledgeFileKey(brandId: string, documentId: string, sourceType: SourceType): string {
  return `brands/${brandId}/knowledge/${documentId}/original.${CONTENT_TYPES[sourceType].ext}`;
}

export function createKnowledgeIntake(deps: { storage: FileStorage; repo: KnowledgeRepository; maxBytes?: number }) {
  const maxBytes = deps.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  return {
    maxBytes,
    /** Null when the brand is not in the workspace (the API answers 404); throws `KnowledgeUploadError` otherwise. */
    async upload(workspaceId: string, upload: KnowledgeUpload): Promise<KnowledgeDocumentRecord | null> {
      const sourceType = upload.sourceType ?? detectSourceType(upload.fileName, upload.contentType);
      if (!isSourceType(sourceType)) {
        throw new KnowledgeUploadError(
          `Unsupported document type (${upload.contentType ?? upload.fileName ?? 'unknown'}); upload text, Markdown, HTML or PDF`,
          'unsupportedType',
        );
      }
      if (upload.data.byteLength === 0) throw new KnowledgeUploadError('The file is empty', 'empty');
      if (upload.data.byteLength > maxBytes) {
        throw new KnowledgeUploadError(`The file is larger than ${maxBytes} bytes`, 'tooLarge');
      }
      const id = randomUUID();
      const fileKey = knowledgeFileKey(upload.brandId, id, sourceType);
      const title =
        upload.title?.trim() ||
        upload.fileName
          ?.replace(/^.*[\\/]/, '')
          .replace(/\.[^.]+$/, '')
          .trim() ||
        'Untitled document';
      // The row first: it checks that the brand is in the workspace before anything is written to storage.
      const doc = await deps.repo.createDocument(workspaceId, {
        id,
        brandId: upload.brandId,
        title: title.slice(0, 300),
        sourceType,
        fileKey,
        bytes: upload.data.byteLength,
        sha256: createHash('sha256').update(upload.data).digest('hex'),
      });
      if (!doc) return null;
      try {
        await deps.storage.put(fileKey, upload.data, CONTENT_TYPES[sourceType].type);
      } catch (err) {
        await deps.repo.deleteDocument(workspaceId, id).catch(() => undefined);
        throw err;
      }
      return doc;
    },
  };
}

export type KnowledgeIntake = ReturnType<typeof createKnowledgeIntake>;
