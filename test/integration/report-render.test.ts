/**
 * The brand report printed by real headless Chromium through the activity, checked with poppler (pdfinfo,
 * pdftotext) and stored in a real folder. Needs neither Temporal nor the database.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createReportRenderActivities, formatScore, REPORT_SECTIONS } from '../../activities/report';
import { createBrowserPool, type BrowserPool } from '../../activities/render';
import { createLocalFileStorage, resolveStoragePath, type FileStorage } from '../../activities/storage';
import type { RenderedReport } from '../../lib/report/types';
import { sampleReportDocument } from '../support/report-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let dir: string;
let pool: BrowserPool;
let storage: FileStorage;
let activities: ReturnType<typeof createReportRenderActivities>;

const run = <T>(fn: () => Promise<T>, env = new MockActivityEnvironment()): Promise<T> => env.run(fn) as Promise<T>;

/** pdftotext output split into pages (it ends each page with a form feed). */
function pdfPages(file: string, layout = false): string[] {
  const text = execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
  });
  return text.split('\f').slice(0, -1);
}

const flat = (text: string) => text.replace(/\s+/g, ' ');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-render-'));
  pool = createBrowserPool({ executablePath: CHROMIUM, size: 1 });
  storage = createLocalFileStorage({ rootDir: dir, publicBaseUrl: 'http://files.test/' });
  activities = createReportRenderActivities({ pool, storage });
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('renderReportPdf', () => {
  const doc = sampleReportDocument();
  let rendered: RenderedReport;
  let pdfFile: string;

  beforeAll(async () => {
    rendered = await run(() => activities.renderReportPdf({ keyPrefix: 'reports/brand-aurora/r1', document: doc }));
    pdfFile = resolveStoragePath(dir, rendered.pdf.key);
  });

  it('stores an A4 PDF and its HTML under the key prefix', () => {
    expect(rendered.pdf.key).toBe('reports/brand-aurora/r1/report.pdf');
    expect(rendered.html.key).toBe('reports/brand-aurora/r1/report.html');
    const pdf = fs.readFileSync(pdfFile);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(rendered.pdf.bytes).toBe(pdf.length);
    expect(rendered.pdf.sha256).toMatch(/^[0-9a-f]{64}$/);

    const info = execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' });
    const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? [];
    // ISO A4 is 595.28 × 841.89 pt; Chromium rounds to whole CSS pixels.
    expect(Number(width)).toBeCloseTo(595.5, 0);
    expect(Math.abs(Number(height) - 842)).toBeLessThan(1);
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])).toBe(rendered.pdf.pages);
    expect(rendered.pdf.pages).toBeGreaterThanOrEqual(3);

    const html = fs.readFileSync(resolveStoragePath(dir, rendered.html.key), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(rendered.html.bytes).toBe(Buffer.byteLength(html));
    expect(html).not.toContain('@@sf-toc:'); // the first pass's markers stay out of what is stored
  });

  it('holds the brand, every dimension with its score, every recommendation and the page footer', () => {
    const pages = pdfPages(pdfFile);
    const text = flat(pages.join(' '));
    expect(text).toContain('Aurora Skincare');
    expect(text).toContain('Nordic calm for sensitive skin');
    for (const d of doc.scores.diagnosis.dimensions) {
      expect(text).toContain(d.label);
      expect(text).toMatch(new RegExp(`${escapeRegExp(d.label)} ${escapeRegExp(formatScore(d.score))}\\b`));
    }
    for (const r of doc.analysis.recommendations) expect(text).toContain(flat(r.title));
    expect(flat(pages[0])).toContain(`Page 1 of ${rendered.pdf.pages}`);
    expect(flat(pages[pages.length - 1])).toContain(`Page ${rendered.pdf.pages} of ${rendered.pdf.pages}`);
    expect(pages).toHaveLength(rendered.pdf.pages);
  });

  it('prints in the contents the page on which each section starts', () => {
    const pages = pdfPages(pdfFile, true);
    const tocIndex = pages.findIndex((p) => /^\s*Contents\s*$/m.test(p));
    expect(tocIndex).toBe(1);
    const listed: Record<string, number> = {};
    const found: Record<string, number> = {};
    REPORT_SECTIONS.forEach((s, i) => {
      const title = escapeRegExp(s.title);
      const entry = new RegExp(`^\\s*${i + 1}\\s+${title}\\s+(\\d+)\\s*$`, 'm').exec(pages[tocIndex]);
      expect(entry).not.toBeNull();
      listed[s.id] = Number(entry![1]);
      const heading = new RegExp(`^\\s*${i + 1}\\s+${title}\\s*$`, 'm');
      found[s.id] = pages.findIndex((p, at) => at > tocIndex && heading.test(p)) + 1;
    });
    expect(found.summary).toBe(3);
    expect(Object.values(found).every((p) => p > 2)).toBe(true);
    expect(listed).toEqual(found);
  });

  it('prints the same text, page count and HTML as the previous render (two full passes, fresh page)', async () => {
    const previous = createReportRenderActivities({ pool, storage, previousRender: true });
    const before = await run(() =>
      previous.renderReportPdf({ keyPrefix: 'reports/brand-aurora/r1-previous', document: doc }),
    );
    const beforeFile = resolveStoragePath(dir, before.pdf.key);
    expect(rendered.pdf.pages).toBe(before.pdf.pages);
    expect(pdfPages(pdfFile, true)).toEqual(pdfPages(beforeFile, true));
    expect(rendered.html.sha256).toBe(before.html.sha256);
    // A warm page keeps serving: a second report on the same page prints the same again.
    const again = await run(() =>
      activities.renderReportPdf({ keyPrefix: 'reports/brand-aurora/r1-again', document: doc }),
    );
    expect(pdfPages(resolveStoragePath(dir, again.pdf.key), true)).toEqual(pdfPages(pdfFile, true));
  });

  it('overwrites the same two files on a retry', async () => {
    const again = await run(() =>
      activities.renderReportPdf({
        keyPrefix: 'reports/brand-aurora/r1',
        document: sampleReportDocument({ analysis: { summary: 'A second attempt with a different summary.' } }),
      }),
    );
    expect(again.pdf.key).toBe(rendered.pdf.key);
    expect(again.html.key).toBe(rendered.html.key);
    expect(again.html.sha256).not.toBe(rendered.html.sha256);
    expect(fs.readdirSync(path.join(dir, 'reports', 'brand-aurora', 'r1')).sort()).toEqual([
      'report.html',
      'report.pdf',
    ]);
    expect(flat(pdfPages(pdfFile).join(' '))).toContain('A second attempt with a different summary.');
  });
});

describe('renderReportPdf edge cases', () => {
  it('heartbeats each stage', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    await run(() => activities.renderReportPdf({ keyPrefix: 'reports/beats', document: sampleReportDocument() }), env);
    expect(beats).toEqual(
      expect.arrayContaining(
        ['printing-draft', 'locating-sections', 'printing', 'counting-pages', 'storing'].map((stage) => ({ stage })),
      ),
    );
  });

  it('renders a brand without KPIs, with hostile text shown as text', async () => {
    const name = 'Lumen <b>&</b> "Co"';
    const result = await run(() =>
      activities.renderReportPdf({
        keyPrefix: 'reports/no-kpis',
        document: sampleReportDocument({
          brand: { name, logoDataUrl: null, colors: { primary: 'not a colour', secondary: '#123' } },
          scores: { kpis: { latest: null, popularityIndex: null, trendScore: null, deltas: [], series: [] } },
        }),
      }),
    );
    const text = flat(pdfPages(resolveStoragePath(dir, result.pdf.key)).join(' '));
    expect(text).toContain(name);
    expect(text).toContain('No KPIs recorded.');
    expect(result.pdf.pages).toBeGreaterThanOrEqual(3);
  });

  it('refuses invalid input as non-retryable', async () => {
    const good = sampleReportDocument();
    const bad: unknown[] = [
      { keyPrefix: '../escape', document: good },
      { keyPrefix: 'reports/x/', document: good },
      { keyPrefix: '', document: good },
      { keyPrefix: 'reports/x', document: null },
      { keyPrefix: 'reports/x', document: { ...good, brand: { ...good.brand, name: '  ' } } },
      { keyPrefix: 'reports/x', document: { ...good, analysis: { ...good.analysis, recommendations: 'none' } } },
      {
        keyPrefix: 'reports/x',
        document: {
          ...good,
          scores: {
            ...good.scores,
            diagnosis: { ...good.scores.diagnosis, dimensions: [{ id: 'identity', label: 'x', score: 150 }] },
          },
        },
      },
    ];
    for (const input of bad) {
      await expect(
        run(() => activities.renderReportPdf(input as Parameters<typeof activities.renderReportPdf>[0])),
      ).rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    }
    expect(fs.existsSync(path.join(dir, 'reports', 'x'))).toBe(false);
  });

  it('fails non-retryably when poppler is missing', async () => {
    const broken = createReportRenderActivities({ pool, storage, pdftotextPath: '/nonexistent/pdftotext' });
    await expect(
      run(() => broken.renderReportPdf({ keyPrefix: 'reports/no-poppler', document: sampleReportDocument() })),
    ).rejects.toMatchObject({ type: 'ProviderMisconfigured', nonRetryable: true });
    expect(await storage.exists('reports/no-poppler/report.pdf')).toBe(false);
  });

  it('stops when the activity is cancelled mid-render and stores nothing', async () => {
    const env = new MockActivityEnvironment();
    let printing = false;
    env.on('heartbeat', (details: { stage?: string }) => {
      if (details?.stage === 'printing-draft' && !printing) {
        printing = true;
        env.cancel();
      }
    });
    const started = Date.now();
    await expect(
      run(() => activities.renderReportPdf({ keyPrefix: 'reports/cancelled', document: sampleReportDocument() }), env),
    ).rejects.toBeInstanceOf(CancelledFailure);
    expect(printing).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await storage.exists('reports/cancelled/report.pdf')).toBe(false);
    expect(await storage.exists('reports/cancelled/report.html')).toBe(false);
    await waitFor(() => pool.stats().active === 0);
    // The pool is still usable afterwards.
    const after = await run(() =>
      activities.renderReportPdf({ keyPrefix: 'reports/after-cancel', document: sampleReportDocument() }),
    );
    expect(after.pdf.pages).toBeGreaterThanOrEqual(3);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
