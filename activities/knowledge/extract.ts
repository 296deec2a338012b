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
import { isSourceType, SOURCE_TYPES } from '../../lib/knowledge/source-type';

export { detectSourceType, isSourceType, SOURCE_TYPES, type SourceType } from '../../lib/knowledge/source-type';

export type ExtractOptions = PdfExtractOptions;

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
