/**
 * Issue 3 in the web UI, in headless Chromium against a real stack (API + workers, Temporal dev server, PostgreSQL,
 * Chromium rendering the PDF) and a local SMTP sink: create a brand and give it a logo, import KPIs from a CSV (a bad
 * row is refused with its row and column) and add a period by hand, upload a Markdown document and wait until it is
 * indexed, fill the five diagnosis steps (a too-short answer is refused next to its question; a draft survives a
 * reload), complete it, launch a report that needs approval, watch its steps, refuse a bad recipient edit, approve
 * with edits, and open the report: the PDF's text holds the brand name, every dimension score the UI showed and each
 * recommendation, and the email arrives at the sink with the same PDF attached.
 *
 * Screenshots of each stage go to test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import { QUESTIONNAIRE, type Question } from '../../lib/diagnosis/questionnaire';
import { formatScore } from '../../lib/report/format';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { answerFor } from '../support/diagnosis-answers';
import { watchCspViolations } from '../support/csp';
import { startTestStack, type TestStack } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(__dirname, 'screenshots');
const STEP_TIMEOUT = 60_000;
const RUN_TIMEOUT = 120_000;

const BRAND = 'Northcape Outdoor Gear';
const RECIPIENT = 'marketing@northcape.example';
const SECOND_RECIPIENT = 'founders@northcape.example';

const TEXT_ANSWERS: Record<string, string> = {
  'identity.mission':
    'We make durable, repairable outdoor gear so families spend more weekends outside, and we promise free repairs for ten years.',
  'identity.promise':
    'Every jacket can be repaired in our own workshop, while rivals sell disposable shells with short warranties.',
  'target.persona':
    'Parents aged 30 to 50 who hike with their children, value durability over fashion, and hesitate because quality gear looks expensive up front.',
  'market.competitors':
    'Alpine Co wins on price through discount chains; Summit Pro wins on technical prestige; we win on repairs and service.',
  'channels.best': 'Repair stories on Instagram and in our newsletter, because they show real families and real gear.',
  'performance.obstacle': 'We lack a shared dashboard, so results are reviewed too late to adjust campaigns.',
};

const BRAND_BOOK = `# Northcape brand book

## Mission
Northcape makes outdoor gear that lasts a childhood: jackets, packs and boots built to be repaired, not replaced.

## Tone of voice
Warm, practical and honest. We talk like the friend who fixed your tent, never like a catalogue.

## Audience
Families who hike on weekends, and the outdoor shops that equip them.

## Competitors
Alpine Co competes on price; Summit Pro on technical prestige. Northcape competes on durability and its repair service.
`;

const BAD_CSV = `period,followers,engagement_rate,views,posts
2026-06-01,5100,3.2%,21000,4
2026-06-08,lots,3.5%,22500,5
`;
const GOOD_CSV = `period,followers,engagement_rate,views,posts
2026-06-01,5100,3.2%,21000,4
2026-06-08,5240,3.5%,22500,5
2026-06-15,5390,3.1%,20800,3
2026-06-22,5600,3.9%,26400,6
`;
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">
<rect width="120" height="120" rx="24" fill="#123c4a"/><path d="M20 88 L50 40 L66 64 L78 48 L100 88 Z" fill="#f2b134"/>
</svg>`;

jest.setTimeout(360_000);

let stack: TestStack;
let sink: SmtpSink;
let browser: Browser;
let page: Page;
let workDir: string;
const pageErrors: string[] = [];

const testid = (id: string) => `[data-testid="${id}"]`;

async function screenshot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A tall viewport instead of fullPage: the sticky sidebar stays where a user sees it.
  const height = await page.evaluate(() => Math.min(Math.max(document.documentElement.scrollHeight, 900), 3200));
  await page.setViewport({ width: 1280, height, deviceScaleFactor: 1 });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
}

async function click(selector: string): Promise<void> {
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector);
}

/** Checks a radio or checkbox the way a click on its label would (the inputs of scales are visually hidden). */
async function check(selector: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.$eval(selector, (el) => (el as HTMLInputElement).click());
}

async function isChecked(selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => (el as HTMLInputElement).checked);
}

/** Sets a form control's value the way typing would, so input listeners run. */
async function setValue(selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.$eval(
    selector,
    (el, v) => {
      const control = el as HTMLInputElement | HTMLTextAreaElement;
      control.value = v;
      control.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

async function upload(selector: string, name: string, content: string): Promise<void> {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, content);
  const input = (await page.waitForSelector(selector)) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(file);
}

const text = (selector: string) => page.$eval(selector, (el) => (el.textContent ?? '').trim());

/** What a question is answered with through the UI: realistic text, and two options of a multiple choice. */
function uiAnswer(q: Question): string | string[] {
  if (q.type === 'text') return TEXT_ANSWERS[q.id] ?? String(answerFor(q));
  if (q.type === 'choice' && q.multiple)
    return q.options
      .filter((o) => !o.exclusive)
      .slice(0, 2)
      .map((o) => o.id);
  return String(answerFor(q));
}

async function answer(q: Question): Promise<void> {
  const value = uiAnswer(q);
  if (q.type === 'text') await setValue(testid(`answer-${q.id}`), value as string);
  else for (const v of Array.isArray(value) ? value : [value]) await check(testid(`answer-${q.id}-${v}`));
}

async function pdfText(pdf: Buffer): Promise<string> {
  const child = execFile('pdftotext', ['-enc', 'UTF-8', '-', '-'], {
    encoding: 'buffer',
    maxBuffer: 20 * 1024 * 1024,
  });
  const out: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stdin!.end(pdf);
  await new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`pdftotext exited ${code}`)))),
  );
  return Buffer.concat(out).toString('utf8');
}

/** Whitespace folded, so lines wrapped by the PDF's layout compare with one-line strings. */
const fold = (s: string) => s.replace(/\s+/g, ' ').trim();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brand-report-e2e-'));
  sink = await startSmtpSink({ port: 0 });
  stack = await startTestStack('e2e-brand-report', {
    env: { SMTP_HOST: sink.host, SMTP_PORT: String(sink.port) },
  });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (err) => pageErrors.push(err instanceof Error ? err.message : String(err)));
  // CSP violations count as page errors: the UI must work under its policy.
  await watchCspViolations(page, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await sink?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('brand report in the web UI', () => {
  it('goes from a new brand to a PDF report in the inbox', async () => {
    // ---- log in ----
    await page.goto(`${stack.baseUrl}/#/brands`);
    await page.waitForSelector(testid('login-email'));
    await page.type(testid('login-email'), stack.admin.email);
    await page.type(testid('login-password'), stack.admin.password);
    await click(testid('login-submit'));
    await page.waitForSelector(testid('new-brand'));

    // ---- create the brand; its workspace opens on the profile ----
    await click(testid('new-brand'));
    await page.waitForSelector(testid('brand-form'));
    await page.type(testid('brand-name'), BRAND);
    await page.type(testid('brand-slogan'), 'Gear that lasts a childhood');
    await page.type(testid('brand-category'), 'Outdoor equipment');
    await page.type(testid('brand-keywords'), 'repairable gear, family hiking, outdoor jackets');
    await click(testid('brand-submit'));
    await page.waitForFunction(() => /^#\/brands\/[0-9a-f-]{36}$/.test(location.hash));
    const brandId = await page.evaluate(() => location.hash.slice('#/brands/'.length));
    const api = `/api/v1/brands/${brandId}`;
    await page.waitForSelector(`${testid('tab-profile')}[aria-selected="true"]`);

    // ---- logo ----
    await upload(testid('logo-input'), 'northcape-logo.svg', LOGO_SVG);
    await page.waitForFunction(
      (sel) => {
        const img = document.querySelector(sel) as HTMLImageElement | null;
        return img !== null && img.complete && img.naturalWidth > 0;
      },
      {},
      testid('logo-image'),
    );
    expect((await stack.request('GET', api)).body.logoUrl).toBeTruthy();
    await screenshot('report-01-profile');

    // ---- KPIs: a bad CSV row is named and nothing is imported; then a good file and one period by hand ----
    await click(testid('tab-kpis'));
    await page.waitForFunction(() => location.hash.endsWith('?tab=kpis'));
    await page.waitForSelector(`${testid('kpis')} .empty`);
    await upload(testid('kpi-csv-input'), 'kpis-bad.csv', BAD_CSV);
    await page.waitForSelector(`${testid('kpis')} ${testid('form-error')}`);
    expect(await text(`${testid('kpis')} ${testid('form-error')}`)).toContain('row 3.followers');
    expect((await stack.request('GET', `${api}/kpis`)).body.items).toEqual([]);
    await screenshot('report-02-kpis-csv-error');

    await upload(testid('kpi-csv-input'), 'kpis.csv', GOOD_CSV);
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 4, {}, testid('kpi-row'));
    expect(await page.$(`${testid('kpis')} ${testid('form-error')}`)).toBeNull();
    await click(testid('kpi-add'));
    await setValue(testid('kpi-input-period'), '2026-06-29');
    await setValue(testid('kpi-input-followers'), '5800');
    await setValue(testid('kpi-input-engagementRate'), '4.5');
    await setValue(testid('kpi-input-views'), '28100');
    await setValue(testid('kpi-input-posts'), '5');
    await screenshot('report-03-kpi-add');
    await click(testid('kpi-save'));
    await page.waitForSelector(`${testid('kpi-row')}[data-period="2026-06-29"]`);
    const kpis = (await stack.request('GET', `${api}/kpis`)).body;
    expect(kpis.items.find((k: { period: string }) => k.period === '2026-06-29')).toMatchObject({
      followers: 5800,
      engagementRate: 0.045,
      views: 28100,
      posts: 5,
      source: 'manual',
    });
    expect(
      await page.$eval(`${testid('kpi-metric')}[data-metric="followers"] ${testid('kpi-delta')}`, (el) =>
        el.getAttribute('data-direction'),
      ),
    ).toBe('up');
    expect(await text(`${testid('kpi-popularity')} .kpi-value`)).not.toContain('—');
    expect(await page.$$(`${testid('kpi-metric')} svg.sparkline`)).toHaveLength(4);
    await screenshot('report-04-kpis');

    // ---- a Markdown document, indexed ----
    await click(testid('tab-documents'));
    await page.waitForSelector(testid('document-form'));
    await upload(testid('document-file'), 'northcape-brand-book.md', BRAND_BOOK);
    await setValue(testid('document-title'), 'Northcape brand book');
    await click(testid('document-upload'));
    await page.waitForSelector(`${testid('document-row')}[data-status="indexed"]`, { timeout: STEP_TIMEOUT });
    const docRow = `${testid('document-row')}[data-status="indexed"]`;
    expect(await text(`${docRow} ${testid('document-original')}`)).toBe('Northcape brand book');
    expect(Number(await text(`${docRow} td:nth-child(5)`))).toBeGreaterThan(0);
    await screenshot('report-05-documents');

    // ---- the diagnosis: five steps, one refused answer, a draft that survives a reload ----
    await click(testid('tab-diagnosis'));
    await click(testid('diagnosis-new'));
    await page.waitForFunction(() => /^#\/brands\/[0-9a-f-]{36}\/diagnosis\/[0-9a-f-]{36}$/.test(location.hash));
    const diagnosisId = await page.evaluate(() => location.hash.split('/').pop()!);
    await page.waitForSelector(`${testid('diagnosis-form')}[data-step="identity"]`);
    expect(await page.$$eval(testid('stepper-step'), (els) => els.map((el) => el.getAttribute('data-step')))).toEqual(
      QUESTIONNAIRE.map((s) => s.id),
    );

    const [identity, target, ...rest] = QUESTIONNAIRE;
    for (const q of identity.questions) await answer(q);
    await setValue(testid('answer-identity.mission'), 'Too short');
    expect(await text(testid('counter-identity.mission'))).toContain('9 / 600');
    await click(testid('diagnosis-next'));
    const missionError = `[data-question="identity.mission"] ${testid('field-error')}`;
    await page.waitForSelector(missionError);
    expect(await text(missionError)).toMatch(/20 to 600 characters/);
    expect(await page.$eval(testid('answer-identity.mission'), (el) => el.getAttribute('aria-invalid'))).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'answer-identity.mission',
    );
    expect(await page.$(`${testid('diagnosis-form')}[data-step="identity"]`)).not.toBeNull();
    await screenshot('report-06-diagnosis-invalid');
    await setValue(testid('answer-identity.mission'), TEXT_ANSWERS['identity.mission']);
    expect(await page.$(missionError)).toBeNull();
    await click(testid('diagnosis-next'));
    await page.waitForSelector(`${testid('diagnosis-form')}[data-step="target"]`);
    expect(
      await page.$eval(`${testid('stepper-step')}[data-step="identity"]`, (el) => el.getAttribute('data-complete')),
    ).toBe('true');

    // Half of step 2 as a draft; after a reload the wizard resumes there with those answers.
    const half = Math.ceil(target.questions.length / 2);
    for (const q of target.questions.slice(0, half)) await answer(q);
    await click(testid('diagnosis-save-draft'));
    await page.waitForFunction(
      (sel) => /Draft saved/.test(document.querySelector(sel)?.textContent ?? ''),
      {},
      testid('wizard-status'),
    );
    await page.reload();
    await page.waitForSelector(`${testid('diagnosis-form')}[data-step="target"]`);
    const firstTarget = target.questions[0];
    expect(await isChecked(testid(`answer-${firstTarget.id}-${uiAnswer(firstTarget)}`))).toBe(true);
    for (const q of target.questions.slice(half)) await answer(q);
    await click(testid('diagnosis-next'));

    for (const step of rest) {
      await page.waitForSelector(`${testid('diagnosis-form')}[data-step="${step.id}"]`);
      for (const q of step.questions) await answer(q);
      if (step.id === 'market') {
        // "None" stands alone: choosing it clears the others, choosing another clears it.
        await check(testid('answer-market.monitoring-none'));
        expect(await isChecked(testid('answer-market.monitoring-launches'))).toBe(false);
        await check(testid('answer-market.monitoring-launches'));
        expect(await isChecked(testid('answer-market.monitoring-none'))).toBe(false);
      }
      if (step.id === 'performance') await screenshot('report-07-diagnosis-last-step');
      await click(testid(step.id === 'performance' ? 'diagnosis-complete' : 'diagnosis-next'));
    }

    await page.waitForSelector(testid('diagnosis-scores'));
    expect(await page.$eval(testid('diagnosis-status'), (el) => el.getAttribute('data-status'))).toBe('complete');
    const shown: Record<string, string> = Object.fromEntries(
      await page.$$eval(testid('dimension'), (els) =>
        els.map((el) => [
          el.getAttribute('data-dimension')!,
          (el.querySelector('[data-testid="dimension-score"]')?.textContent ?? '').trim(),
        ]),
      ),
    );
    const overallShown = await text(testid('diagnosis-overall'));
    const diagnosis = (await stack.request('GET', `${api}/diagnoses/${diagnosisId}`)).body;
    expect(diagnosis.status).toBe('complete');
    expect(shown).toEqual(
      Object.fromEntries(
        diagnosis.scores.dimensions.map((d: { id: string; score: number }) => [d.id, formatScore(d.score)]),
      ),
    );
    expect(overallShown).toBe(formatScore(diagnosis.scores.overall));
    expect(await page.$(testid('diagnosis-form'))).toBeNull();
    await screenshot('report-08-diagnosis-complete');

    // ---- launch the report from the completed diagnosis ----
    await click(testid('diagnosis-new-report'));
    await page.waitForSelector(`${testid('report-diagnosis')} option[value="${diagnosisId}"]`);
    expect(await page.$eval(testid('launch-brand'), (el) => (el as HTMLSelectElement).value)).toBe(brandId);
    expect(await page.$eval(testid('report-diagnosis'), (el) => (el as HTMLSelectElement).value)).toBe(diagnosisId);
    await setValue(testid('report-recipients'), RECIPIENT);
    expect(await isChecked(testid('launch-approval-required'))).toBe(true);
    await screenshot('report-09-launch');
    await click(testid('launch-submit'));
    await page.waitForFunction(() => location.hash.startsWith('#/runs/brand-report'));
    const runId = await page.evaluate(() => decodeURIComponent(location.hash.slice('#/runs/'.length)));
    expect(runId).toMatch(new RegExp(`^brand-report/${brandId}/`));

    // ---- watch the steps until the approval is asked for; they only move forward ----
    const order = ['pending', 'running', 'waiting', 'done'];
    const snapshots: string[][][] = [];
    const deadline = Date.now() + RUN_TIMEOUT;
    while (Date.now() < deadline) {
      const steps = await page.$$eval(testid('step'), (els) =>
        els.map((el) => [el.getAttribute('data-step')!, el.getAttribute('data-status')!]),
      );
      if (steps.length > 0 && JSON.stringify(steps) !== JSON.stringify(snapshots.at(-1))) snapshots.push(steps);
      if (await page.$(testid('approval-form'))) break;
      if (await page.$(testid('run-failure'))) throw new Error(await text(testid('run-failure')));
      await new Promise((r) => setTimeout(r, 150));
    }
    await page.waitForSelector(testid('approval-form'), { timeout: 1000 });
    expect(snapshots.length).toBeGreaterThan(1);
    expect(snapshots[0].map(([name]) => name)).toEqual([
      'load',
      'score',
      'retrieve',
      'write',
      'render',
      'approval',
      'deliver',
    ]);
    for (let i = 1; i < snapshots.length; i += 1) {
      snapshots[i].forEach(([name, status], j) => {
        const before = snapshots[i - 1][j][1];
        if (order.indexOf(status) < order.indexOf(before)) throw new Error(`${name} went from ${before} to ${status}`);
      });
    }
    await page.waitForSelector(`${testid('step')}[data-step="approval"][data-status="waiting"]`);
    for (const name of ['load', 'score', 'retrieve', 'write', 'render'])
      expect(await page.$eval(`${testid('step')}[data-step="${name}"]`, (el) => el.getAttribute('data-status'))).toBe(
        'done',
      );
    await page.waitForSelector(testid('artifact-pdf'));
    await page.waitForSelector(testid('artifact-html'));
    const subject = await page.$eval(testid('approval-subject'), (el) => (el as HTMLInputElement).value);
    expect(subject).toContain(BRAND);
    expect(await page.$eval(testid('approval-recipients'), (el) => (el as HTMLTextAreaElement).value)).toBe(RECIPIENT);
    expect(await text(testid('approval-overall'))).toBe(overallShown);
    expect(await page.$eval(testid('approval-edit'), (el) => (el as HTMLButtonElement).disabled)).toBe(true);
    await screenshot('report-10-approval');

    // ---- an invalid recipient is refused next to the field; then approve with a new subject and a second address ----
    await setValue(testid('approval-recipients'), `${RECIPIENT}\nnot-an-email`);
    await click(testid('approval-edit'));
    const recipientsError = `[data-field="edits.recipients"] ${testid('field-error')}`;
    await page.waitForSelector(recipientsError);
    expect(await text(recipientsError)).toContain('not-an-email');
    expect(await page.$eval(testid('approval-recipients'), (el) => el.getAttribute('aria-invalid'))).toBe('true');
    await screenshot('report-11-approval-invalid-edit');
    const editedSubject = `${subject} (summer review)`;
    await setValue(testid('approval-subject'), editedSubject);
    await setValue(testid('approval-recipients'), `${RECIPIENT}, ${SECOND_RECIPIENT}`);
    await click(testid('approval-edit'));

    await page.waitForSelector(`${testid('run-status')}[data-status="completed"]`, { timeout: RUN_TIMEOUT });
    await page.waitForSelector(`${testid('step')}[data-step="deliver"][data-status="done"]`);
    expect(await page.$(testid('approval-form'))).toBeNull();
    expect(await page.$$eval(testid('step'), (els) => els.map((el) => el.getAttribute('data-status')))).toEqual(
      Array(7).fill('done'),
    );
    await screenshot('report-12-run-completed');

    // ---- the brand's report list ----
    await click(testid('run-report-link'));
    await page.waitForFunction(() => location.hash.endsWith('?tab=reports'));
    const row = `${testid('report-row')}[data-status="sent"]`;
    await page.waitForSelector(row);
    const reportId = await page.$eval(row, (el) => el.getAttribute('data-report-id')!);
    expect(await text(`${row} ${testid('report-overall')}`)).toBe(overallShown);
    expect(await text(`${row} .cell-recipients`)).toContain(SECOND_RECIPIENT);
    const pdfHref = await page.$eval(`${row} ${testid('report-open-pdf')}`, (a) => (a as HTMLAnchorElement).href);
    expect(pdfHref).toBe(`${stack.baseUrl}${api}/reports/${reportId}/pdf?inline=1`);
    expect(await page.$eval(`${row} ${testid('report-open-pdf')}`, (a) => a.getAttribute('target'))).toBe('_blank');
    expect(await page.$eval(`${row} ${testid('report-download')}`, (a) => a.hasAttribute('download'))).toBe(true);
    expect(await page.$eval(`${row} ${testid('report-run')}`, (a) => (a as HTMLAnchorElement).hash)).toBe(
      `#/runs/${encodeURIComponent(runId)}`,
    );
    await screenshot('report-13-reports');

    // ---- the PDF, fetched with the browser's session, as text ----
    const fetched = await page.evaluate(async (url) => {
      const res = await fetch(url, { credentials: 'same-origin' });
      const blob = await res.blob();
      const dataUrl = await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(blob);
      });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        disposition: res.headers.get('content-disposition'),
        base64: dataUrl.slice(dataUrl.indexOf(',') + 1),
      };
    }, pdfHref);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toBe('application/pdf');
    expect(fetched.disposition).toMatch(/^inline;/);
    const pdf = Buffer.from(fetched.base64, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfWords = fold(await pdfText(pdf));
    expect(pdfWords).toContain(BRAND);
    for (const [dimension, score] of Object.entries(shown)) {
      if (!new RegExp(`(^|[^\\d.])${escapeRegExp(score)}([^\\d]|$)`).test(pdfWords))
        throw new Error(`The PDF does not show the ${dimension} score ${score}`);
    }
    const report = (await stack.request('GET', `${api}/reports/${reportId}`)).body;
    const titles: string[] = report.analysis.recommendations.map((r: { title: string }) => r.title);
    expect(titles.length).toBeGreaterThanOrEqual(5);
    for (const title of titles) expect(pdfWords).toContain(fold(title));

    // ---- the email, with the same PDF attached ----
    const mail = await sink.waitFor((m) => m.envelope.to.includes(RECIPIENT), 30_000);
    expect(mail.subject).toBe(editedSubject);
    expect([...mail.envelope.to].sort()).toEqual([SECOND_RECIPIENT, RECIPIENT].sort());
    expect(mail.text ?? '').toContain(BRAND);
    const pdfs = mail.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    expect(pdfs[0].filename).toMatch(/\.pdf$/);
    expect(pdfs[0].content.equals(pdf)).toBe(true);

    // ---- the diagnosis list and the launch index know about it all ----
    await click(testid('tab-diagnosis'));
    const diagnosisRow = `${testid('diagnosis-row')}[data-diagnosis-id="${diagnosisId}"]`;
    await page.waitForSelector(diagnosisRow);
    expect(await page.$eval(diagnosisRow, (el) => el.getAttribute('data-status'))).toBe('complete');
    expect(await text(`${diagnosisRow} ${testid('diagnosis-steps')}`)).toBe('5/5');
    expect(await text(`${diagnosisRow} ${testid('diagnosis-overall')}`)).toBe(overallShown);
    await screenshot('report-14-diagnoses');
    await click(testid('nav-launch'));
    await page.waitForSelector(testid('launch-brand-report'));
    expect(await page.$eval(testid('launch-brand-report'), (a) => (a as HTMLAnchorElement).hash)).toBe(
      '#/launch/brand-report',
    );

    expect(pageErrors).toEqual([]);
  });
});
