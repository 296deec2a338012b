/** The document types the knowledge base reads, and how an upload's type is told (shared by the API's intake and extraction). */
export const SOURCE_TYPES = ['text', 'markdown', 'html', 'pdf'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export function isSourceType(value: unknown): value is SourceType {
  return typeof value === 'string' && (SOURCE_TYPES as readonly string[]).includes(value);
}

/** The source type for an upload from its content type and file name; null when neither is supported. */
export function detectSourceType(fileName?: string | null, contentType?: string | null): SourceType | null {
  const mime = contentType?.split(';')[0].trim().toLowerCase();
  const byMime: Record<string, SourceType> = {
    'text/plain': 'text',
    'text/markdown': 'markdown',
    'text/x-markdown': 'markdown',
    'text/html': 'html',
    'application/xhtml+xml': 'html',
    'application/pdf': 'pdf',
  };
  const ext = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const byExt: Record<string, SourceType> = {
    txt: 'text',
    text: 'text',
    md: 'markdown',
    markdown: 'markdown',
    mdown: 'markdown',
    html: 'html',
    htm: 'html',
    xhtml: 'html',
    pdf: 'pdf',
  };
  // A specific extension beats a generic content type (browsers send text/plain for .md files).
  if (ext && byExt[ext] && (!mime || mime === 'text/plain' || mime === 'application/octet-stream')) return byExt[ext];
  if (mime && byMime[mime]) return byMime[mime];
  return ext ? (byExt[ext] ?? null) : null;
}
