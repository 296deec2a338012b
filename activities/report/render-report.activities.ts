import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context, log } from '@temporalio/activity';
import type { Page } from 'puppeteer-core';
import { z } from 'zod';
import type {
  RenderedReport,
  ReportAnalysis,
  ReportDocument,
  ReportPassage,
  ReportScores,
} from '../../lib/report/types';
import type { BrowserPool } from '../render/browser-pool';
import { runPopplerTool } from '../shared/poppler';
import { getJson } from '../storage/claim-check';
import { storageKeyProblem, type FileStorage } from '../storage/file-storage.port';
import {
  findSectionPages,
  REPORT_PAGE_MARGIN,
  type SectionPages,
  REPORT_SECTIONS,
  renderReportHtml,
  reportFooterTemplate,
  reportHeaderTemplate,
} from './report.template';
import { MAX_LOGO_BYTES } from '../../lib/brand-logo';
import { withLogoDataUrl } from '../storage/data-url';
import { checkActivityInput } from '../shared/activity-input';
import { withHeartbeat } from '../shared/heartbeat';
import { failure } from '../../lib/failures';

export interface RenderReportPdfInput {
  /** Folder of the report's files, e.g. `reports/<brandId>/<reportId>`; a retry overwrites the same two keys. */
  keyPrefix: string;
  document: ReportDocument;
}

export interface RenderStoredReportPdfInput {
  keyPrefix: string;
  document: Omit<ReportDocument, 'scores' | 'passages' | 'analysis'>;
  parts: { scoresKey: string; passagesKey: string; analysisKey: string };
}

export interface ReportRenderActivityDeps {
  pool: BrowserPool;
  storage: FileStorage;
  /** poppler's `pdfinfo`; default: on the PATH. */
  pdfinfoPath?: string;
  /** poppler's `pdftotext`; default: on the PATH. */
  pdftotextPath?: string;
  /** The longest one poppler tool may run; default 60 s. */
  toolTimeoutMs?: number;
  /**
   * The render as before issue 14, kept to measure against: a fresh page per report, two full print passes, the
   * document loaded twice. Default: a warm page, a light draft pass, and the contents' page numbers set in place.
   */
  previousRender?: boolean;
}

const SET_CONTENT_TIMEOUT_MS = 30_000;
const PDF_TIMEOUT_MS = 90_000;
const MAX_TOOL_OUTPUT = 32 * 1024 * 1024;

// Lenient on purpose: the template copes with missing optional parts; this only refuses what it cannot render.
const evidence = z.array(z.looseObject({ kind: z.string(), id: z.string(), label: z.string().max(1000) })).max(100);
const finding = z.looseObject({ text: z.string().max(10_000), evidence });
const nullableNumber = z.number().nullable().optional();

const documentSchema = z.looseObject({
  reportId: z.string().min(1).max(200),
  title: z.string().trim().min(1).max(500),
  generatedAt: z.string().max(64),
  language: z.string().max(35),
  brand: z.looseObject({
    name: z.string().trim().min(1).max(200),
    slogan: z.string().max(500).nullable().optional(),
    colors: z.looseObject({ primary: z.string().max(32).optional(), secondary: z.string().max(32).optional() }),
    keywords: z.array(z.string().max(500)).max(500).optional(),
    logoKey: z.string().max(1024).nullable().optional(),
    // Runs recorded before logos travelled by key carry a small inline image.
    logoDataUrl: z.string().max(1_500_000).nullable().optional(),
  }),
  scores: z.looseObject({
    diagnosis: z.looseObject({
      dimensions: z
        .array(
          z.looseObject({ id: z.string(), label: z.string().max(200), score: z.number().min(0).max(100).nullable() }),
        )
        .max(50),
      overall: z.number().min(0).max(100).nullable(),
    }),
    kpis: z.looseObject({
      series: z
        .array(
          z.looseObject({
            period: z.string().max(40),
            followers: nullableNumber,
            engagementRate: nullableNumber,
            views: nullableNumber,
            posts: nullableNumber,
          }),
        )
        .max(1000),
      deltas: z.array(z.looseObject({ metric: z.string() })).max(20),
      popularityIndex: nullableNumber,
      trendScore: nullableNumber,
    }),
    clusters: z.looseObject({ clusters: z.array(z.looseObject({ members: z.array(z.string()) })).max(100) }),
  }),
  passages: z
    .record(z.string(), z.array(z.looseObject({ title: z.string().max(1000), text: z.string().max(50_000) })).max(100))
    .optional(),
  analysis: z.looseObject({
    summary: z.string().max(50_000),
    strengths: z.array(finding).max(50),
    weaknesses: z.array(finding).max(50),
    opportunities: z.array(finding).max(50),
    threats: z.array(finding).max(50),
    recommendations: z
      .array(
        z.looseObject({
          priority: z.number(),
          title: z.string().max(1000),
          detail: z.string().max(20_000),
          dimension: z.string(),
          evidence,
        }),
      )
      .max(50),
    provenance: z.array(z.looseObject({ section: z.string(), provider: z.string() })).max(20),
  }),
});

const keyPrefixSchema = z.string().superRefine((prefix, ctx) => {
  // Both keys must be valid, so the longest one decides (and a trailing slash gives an empty segment).
  const problem = storageKeyProblem(prefix) ?? storageKeyProblem(`${prefix}/report.html`);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const inputSchema = z.object({ keyPrefix: keyPrefixSchema, document: documentSchema });

function parseInput(input: unknown): RenderReportPdfInput {
  checkActivityInput(inputSchema, input, 'report render');
  // The checked payload as sent: the schema checks what this activity relies on and may not list every field.
  return input as RenderReportPdfInput;
}

export function createReportRenderActivities(deps: ReportRenderActivityDeps) {
  const { pool, storage } = deps;
  const tools = {
    pdftotext: deps.pdftotextPath ?? 'pdftotext',
    pdfinfo: deps.pdfinfoPath ?? 'pdfinfo',
    timeoutMs: deps.toolTimeoutMs ?? 60_000,
  };

  const activities = {
    /**
     * Renders the brand report to HTML and an A4 PDF with headless Chromium and stores both under `keyPrefix`.
     * Two print passes: the first finds the page each section starts on, the second prints those page numbers
     * into the table of contents (whose slots are reserved, so the layout does not move).
     */
    async renderReportPdf(input: RenderReportPdfInput): Promise<RenderedReport> {
      const parsed = parseInput(input);
      const { keyPrefix } = parsed;
      const document = {
        ...parsed.document,
        brand: await withLogoDataUrl(storage, parsed.document.brand, MAX_LOGO_BYTES),
      };
      const htmlKey = `${keyPrefix}/report.html`;
      const pdfKey = `${keyPrefix}/report.pdf`;
      const signal = Context.current().cancellationSignal;
      const started = Date.now();
      return withHeartbeat({ stage: 'waiting-for-browser' }, async (heartbeat) => {
        const setStage = (stage: string) => heartbeat.beat({ stage });
        let workDir: string | undefined;
        try {
          workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'studioflow-report-'));
          const files = workDir;
          const run = (tool: 'pdftotext' | 'pdfinfo', args: string[]) =>
            runPopplerTool(tools[tool], args, {
              timeoutMs: tools.timeoutMs,
              signal,
              maxBuffer: MAX_TOOL_OUTPUT,
              onFailure: (detail) =>
                failure('RenderFailed', `${path.basename(tools[tool])} failed on the rendered report: ${detail}`),
            });
          const headerTemplate = reportHeaderTemplate(document);
          const footerTemplate = reportFooterTemplate(document);
          const print = (page: Page, html: string) => printPdf(page, html, headerTemplate, footerTemplate);

          const onPage: BrowserPool['withWarmPage'] = (fn, options) =>
            deps.previousRender ? pool.withPage(fn, options) : pool.withWarmPage(fn, options);
          const rendered = await onPage(
            async (page) => {
              setStage('printing-draft');
              const draftHtml = renderReportHtml(document, { pageMarkers: true });
              const draft = deps.previousRender ? await print(page, draftHtml) : await printDraft(page, draftHtml);
              setStage('locating-sections');
              const draftFile = path.join(files, 'draft.pdf');
              await fs.writeFile(draftFile, draft);
              const text = await run('pdftotext', ['-enc', 'UTF-8', draftFile, '-']);
              const tocPages = findSectionPages(text);
              const missing = REPORT_SECTIONS.filter((s) => tocPages[s.id] === undefined).map((s) => s.id);
              if (missing.length > 0) log.warn('Report sections not found in the draft PDF', { keyPrefix, missing });
              setStage('printing');
              const html = renderReportHtml(document, { tocPages });
              const pdf = deps.previousRender
                ? await print(page, html)
                : await printFinal(page, tocPages, headerTemplate, footerTemplate);
              return { html, pdf, tocPages, draftPages: countPages(text) };
            },
            { signal },
          );

          setStage('counting-pages');
          const pdfFile = path.join(files, 'report.pdf');
          await fs.writeFile(pdfFile, rendered.pdf);
          const pages = parsePdfinfoPages(await run('pdfinfo', [pdfFile]));
          if (pages !== rendered.draftPages) {
            // Both passes lay out the same boxes; a difference means the contents' page numbers may be off.
            log.warn('Report page count changed between print passes', {
              keyPrefix,
              draft: rendered.draftPages,
              pages,
            });
          }

          signal.throwIfAborted();
          setStage('storing');
          const html = await storage.put(htmlKey, Buffer.from(rendered.html, 'utf8'), 'text/html; charset=utf-8');
          const pdf = await storage.put(pdfKey, rendered.pdf, 'application/pdf');
          log.info('Rendered brand report', {
            reportId: document.reportId,
            keyPrefix,
            pages,
            pdfBytes: pdf.bytes,
            htmlBytes: html.bytes,
            sections: rendered.tocPages,
            durationMs: Date.now() - started,
            storage: storage.name,
          });
          return {
            pdf: { key: pdfKey, bytes: pdf.bytes, sha256: pdf.sha256, pages },
            html: { key: htmlKey, bytes: html.bytes, sha256: html.sha256 },
          };
        } finally {
          if (workDir) await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
        }
      });
    },

    /** The same render, with the scores, passages and analysis loaded from storage (the workflow holds keys). */
    async renderStoredReportPdf(input: RenderStoredReportPdfInput): Promise<RenderedReport> {
      const { keyPrefix, document, parts } = input;
      const [scores, passages, analysis] = await Promise.all([
        getJson<ReportScores>(storage, parts.scoresKey, 'The report scores'),
        getJson<Record<string, ReportPassage[]>>(storage, parts.passagesKey, 'The report passages'),
        getJson<ReportAnalysis>(storage, parts.analysisKey, 'The report analysis'),
      ]);
      return activities.renderReportPdf({ keyPrefix, document: { ...document, scores, passages, analysis } });
    },
  };
  return activities;
}

export type ReportRenderActivities = ReturnType<typeof createReportRenderActivities>;

async function printPdf(page: Page, html: string, headerTemplate: string, footerTemplate: string): Promise<Buffer> {
  await loadDocument(page, html);
  return pdfOf(page, headerTemplate, footerTemplate);
}

async function loadDocument(page: Page, html: string): Promise<void> {
  await page.setContent(html, { waitUntil: 'load', timeout: SET_CONTENT_TIMEOUT_MS });
  // A string, not a function: tsx/esbuild would inject helpers into a serialised function that the page lacks.
  await page.evaluate('document.fonts.ready.then(() => true)');
}

/**
 * The draft pass only has to say on which page each section starts: no header and footer (they sit in the margins,
 * outside the layout), backgrounds, outline or tags, which make the PDF slower to write and change no page break.
 */
async function printDraft(page: Page, html: string): Promise<Buffer> {
  await loadDocument(page, html);
  const pdf = await page.pdf({
    format: 'A4',
    printBackground: false,
    displayHeaderFooter: false,
    margin: { ...REPORT_PAGE_MARGIN },
    outline: false,
    tagged: false,
    timeout: PDF_TIMEOUT_MS,
  });
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

/**
 * The final pass on the draft's document, already loaded and laid out: the invisible section markers removed (they
 * are out of flow) and the page numbers written into the contents' reserved slots, which is all that tells the final
 * HTML from the draft's. No second load and style of the whole document.
 */
async function printFinal(
  page: Page,
  tocPages: SectionPages,
  headerTemplate: string,
  footerTemplate: string,
): Promise<Buffer> {
  const pages = JSON.stringify(tocPages);
  await page.evaluate(`(() => {
    const pages = ${pages};
    document.querySelectorAll('.toc-mark').forEach((mark) => mark.remove());
    document.querySelectorAll('.toc-page[data-section]').forEach((slot) => {
      const page = pages[slot.getAttribute('data-section')];
      slot.textContent = typeof page === 'number' ? String(page) : '';
    });
  })()`);
  return pdfOf(page, headerTemplate, footerTemplate);
}

async function pdfOf(page: Page, headerTemplate: string, footerTemplate: string): Promise<Buffer> {
  const pdf = await page.pdf({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate,
    footerTemplate,
    margin: { ...REPORT_PAGE_MARGIN },
    outline: true,
    timeout: PDF_TIMEOUT_MS,
  });
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

/** pdftotext ends every page with a form feed. */
function countPages(text: string): number {
  return text.split('\f').length - 1;
}

function parsePdfinfoPages(output: string): number {
  const pages = Number(/^Pages:\s+(\d+)/m.exec(output)?.[1]);
  if (!Number.isInteger(pages) || pages < 1) {
    throw failure('RenderFailed', 'pdfinfo reported no page count for the rendered report');
  }
  return pages;
}
