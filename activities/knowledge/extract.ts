/**
 * Text extraction for the knowledge base: plain text, Markdown, HTML and PDF become an ordered list of blocks,
 * headings and paragraphs, so the chunker can cut at paragraph boundaries and tell each passage which section it
 * comes from. One module per format: plain-text.ts, markdown-text.ts (markdown-it), lib/text/html-text.ts
 * (htmlparser2; pure, so the lead crawler can share it) and pdf-text.ts (poppler's pdftotext).
 */
import { decodeHTML } from 'entities';
import { failure } from '../../lib/failures';
import { HtmlTooDeepError, htmlToText } from '../../lib/text/html-text';
import type { ExtractedText } from '../../lib/text/text-blocks';
import { decodeText } from './decode';
import { extractMarkdown } from './markdown-text';
import { extractPdf, type PdfExtractOptions } from './pdf-text';
import { extractPlainText } from './plain-text';

export { blocksToText, type ExtractedText, type TextBlock } from '../../lib/text/text-blocks';
export { decodeText } from './decode';
export { extractMarkdown } from './markdown-text';
export { extractPdf, parseBboxLayout } from './pdf-text';
export { extractPlainText } from './plain-text';

export const SOURCE_TYPES = ['text', 'markdown', 'html', 'pdf'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export type ExtractOptions = PdfExtractOptions;

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

export async function extractText(
  data: Buffer,
  sourceType: string,
  options: ExtractOptions = {},
): Promise<ExtractedText> {
  if (!isSourceType(sourceType)) {
    throw failure(
      'InvalidInput',
      `Unsupported document type ${JSON.stringify(sourceType)}; supported: ${SOURCE_TYPES.join(', ')}`,
    );
  }
  try {
    switch (sourceType) {
      case 'text':
        return extractPlainText(decodeText(data));
      case 'markdown':
        return extractMarkdown(decodeText(data));
      case 'html':
        return extractHtml(decodeText(data, { html: true }));
      case 'pdf':
        return await extractPdf(data, options);
    }
  } catch (err) {
    // Markdown may embed HTML too.
    if (err instanceof HtmlTooDeepError) throw failure('InvalidInput', err.message);
    throw err;
  }
}

/** Headings and paragraphs of an HTML page: script, style, navigation, footers, forms and hidden elements dropped. */
export function extractHtml(html: string): ExtractedText {
  const { title, blocks } = htmlToText(html);
  return { title, blocks };
}

/** HTML character references (all named ones, numeric ones) to text; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return decodeHTML(text);
}
