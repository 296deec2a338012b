/**
 * PDF text through poppler's `pdftotext -bbox-layout`, run with a timeout and the activity's cancellation signal. It
 * lists text flows in reading order (two columns stay two columns, where `-layout` interleaves their lines) with the
 * size of every line, so a block set in a larger type than the body is a heading. Page numbers and running headers
 * repeated on most pages are dropped.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeXML } from 'entities';
import { runPopplerTool } from '../shared/poppler';
import { failure } from '../../lib/failures';
import { collapse, firstHeading, joinLines, type ExtractedText, type TextBlock } from '../../lib/text/text-blocks';

export interface PdfExtractOptions {
  signal?: AbortSignal;
  /** The longest pdftotext may run; default 60 s. */
  pdfTimeoutMs?: number;
  /** The pdftotext binary; default `pdftotext` on the PATH. */
  pdftotextPath?: string;
}

const MAX_PDF_OUTPUT_BYTES = 256 * 1024 * 1024;

interface PdfLine {
  text: string;
  height: number;
}

interface PdfBlock {
  page: number;
  lines: PdfLine[];
}

export async function extractPdf(data: Buffer, options: PdfExtractOptions = {}): Promise<ExtractedText> {
  if (!data.subarray(0, 1024).includes('%PDF-')) {
    throw failure('InvalidInput', 'The file is not a PDF (no %PDF- header)');
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'studioflow-pdf-'));
  try {
    const input = path.join(dir, 'input.pdf');
    const output = path.join(dir, 'output.html');
    await fs.writeFile(input, data);
    await runPdftotext(options, ['-bbox-layout', '-enc', 'UTF-8', input, output]);
    const stat = await fs.stat(output);
    if (stat.size > MAX_PDF_OUTPUT_BYTES) {
      throw failure('InvalidInput', 'The PDF holds too much text to index');
    }
    const result = parseBboxLayout(await fs.readFile(output, 'utf8'));
    if (result.blocks.length === 0) {
      throw failure('InvalidInput', 'The PDF has no extractable text (a scanned document needs OCR first)');
    }
    return result;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function runPdftotext(options: PdfExtractOptions, args: string[]): Promise<void> {
  await runPopplerTool(options.pdftotextPath ?? 'pdftotext', args, {
    timeoutMs: options.pdfTimeoutMs ?? 60_000,
    signal: options.signal,
    maxBuffer: 1024 * 1024,
    name: 'pdftotext',
    onFailure: (detail, err) =>
      // pdftotext exits 1 for a file it cannot open or parse and 3 for a PDF whose permissions forbid copying.
      err.code === 1 || err.code === 3
        ? failure('InvalidInput', `The PDF cannot be read: ${detail}`)
        : failure('ExtractionFailed', `pdftotext failed: ${detail}`),
  });
}

const num = (attrs: string, name: string): number => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(attrs)?.[1] ?? 0);

/** pdftotext's `-bbox-layout` XHTML: pages of flows (reading order) of blocks of lines of words, with coordinates. */
export function parseBboxLayout(xhtml: string): ExtractedText {
  const blocks: PdfBlock[] = [];
  let page = 0;
  let block: PdfBlock | null = null;
  let line: { words: string[]; height: number } | null = null;
  for (const m of xhtml.matchAll(/<(\/?)(page|block|line|word)\b([^>]*)>(?:([^<]*)<\/word>)?/g)) {
    const [, closing, tag, attrs, word] = m;
    if (tag === 'page' && !closing) page += 1;
    else if (tag === 'block') {
      if (!closing) block = { page, lines: [] };
      else if (block) {
        if (block.lines.length) blocks.push(block);
        block = null;
      }
    } else if (tag === 'line') {
      if (!closing) line = { words: [], height: num(attrs, 'yMax') - num(attrs, 'yMin') };
      else if (line && block) {
        const text = collapse(line.words.join(' '));
        if (text) block.lines.push({ text, height: line.height });
        line = null;
      }
    } else if (tag === 'word' && line && word !== undefined) {
      line.words.push(decodeXML(word));
    }
  }
  return pdfBlocksToText(blocks);
}

const PAGE_NUMBER = /^(?:page\s+)?\d{1,4}(?:\s*(?:\/|of)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$/i;

function pdfBlocksToText(all: PdfBlock[]): ExtractedText {
  const pages = new Set(all.map((b) => b.page)).size;
  // Running headers and footers: the same short text on most pages.
  const seenOn = new Map<string, Set<number>>();
  for (const b of all) {
    const key = b.lines.map((l) => l.text).join(' ');
    if (key.length <= 100) seenOn.set(key, (seenOn.get(key) ?? new Set()).add(b.page));
  }
  const running = (key: string) => pages >= 3 && (seenOn.get(key)?.size ?? 0) >= Math.max(3, pages * 0.5);
  const kept = all.filter((b) => {
    const key = b.lines.map((l) => l.text).join(' ');
    return !PAGE_NUMBER.test(key) && !running(key);
  });

  // The body size is the line height carrying the most words; clearly larger short blocks are headings.
  const weight = new Map<number, number>();
  for (const b of kept) {
    for (const l of b.lines) {
      const h = Math.round(l.height * 2) / 2;
      weight.set(h, (weight.get(h) ?? 0) + l.text.split(' ').length);
    }
  }
  const body = [...weight.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  const isHeading = (b: PdfBlock) => {
    const words = b.lines.reduce((n, l) => n + l.text.split(' ').length, 0);
    const height = b.lines.reduce((s, l) => s + l.height, 0) / b.lines.length;
    return body > 0 && b.lines.length <= 3 && words <= 20 && height >= body * 1.15 && /\p{L}/u.test(b.lines[0].text);
  };
  const headingSizes = [...new Set(kept.filter(isHeading).map((b) => Math.round(b.lines[0].height * 2) / 2))].sort(
    (a, b) => b - a,
  );

  const blocks: TextBlock[] = kept.map((b) => {
    if (isHeading(b)) {
      const level = Math.min(headingSizes.indexOf(Math.round(b.lines[0].height * 2) / 2) + 1, 6) || 1;
      return { kind: 'heading', level, text: collapse(b.lines.map((l) => l.text).join(' ')) };
    }
    return { kind: 'paragraph', text: joinLines(b.lines.map((l) => l.text)) };
  });
  return { title: firstHeading(blocks), blocks };
}
