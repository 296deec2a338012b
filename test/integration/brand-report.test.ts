/**
 * brandReportWorkflow end to end through the API: real Temporal, PostgreSQL, Chromium (PDF), pdftotext, and a real
 * SMTP sink receiving the mail. Also: rejection, no recipients, another brand's diagnosis.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { formatScore } from '../../lib/report/format';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { prepareReportBrand, type ReportBrand } from '../support/report-setup';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';

const enc = encodeURIComponent;

let sink: SmtpSink;
let stack: TestStack;
let ready: ReportBrand;

async function pdfText(pdf: Buffer): Promise<string> {
  const child = execFile('pdftotext', ['-layout', '-', '-'], { encoding: 'buffer', maxBuffer: 20 * 1024 * 1024 });
  const out: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stdin!.end(pdf);
  await new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`pdftotext ${code}`)))),
  );
  return Buffer.concat(out).toString('utf8');
}

async function startReport(s: TestStack, brandId: string, input: Record<string, unknown> = {}) {
  const res = await s.request('POST', '/api/v1/runs', { automation: 'brand-report', input: { brandId, ...input } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const step = (r: any, name: string) => r.progress?.steps.find((x: any) => x.name === name);

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0 });
  stack = await startTestStack('report', {
    workers: ['main', 'browser'],
    env: { SMTP_HOST: sink.host, SMTP_PORT: String(sink.port) },
  });
  ready = await prepareReportBrand(stack);
});
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

it('writes, renders, waits for approval and emails the PDF', async () => {
  const id = await startReport(stack, ready.brand.id, {
    recipients: ['cmo@aurora.example'],
    approval: { required: true, timeoutSeconds: 600 },
  });
  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length > 0, 90_000);
  for (const name of ['load', 'score', 'retrieve', 'write', 'render']) expect(step(waiting, name).status).toBe('done');
  expect(step(waiting, 'retrieve').detail).toMatch(/passages from 1 document\b/);
  const approval = waiting.progress.approvals[0];
  expect(approval.content).toMatchObject({
    recipients: ['cmo@aurora.example'],
    subject: expect.stringContaining('Aurora'),
  });
  expect(waiting.progress.artifacts.map((a: any) => a.kind)).toEqual(['pdf', 'html']);

  // A bad edit is refused with the field named; a good one goes through.
  const bad = await stack.request('POST', `/api/v1/runs/${enc(id)}/approvals/${approval.id}`, {
    action: 'edit',
    edits: { recipients: ['not-an-email'] },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].field).toBe('edits.recipients');
  const edited = await stack.request('POST', `/api/v1/runs/${enc(id)}/approvals/${approval.id}`, {
    action: 'edit',
    edits: { recipients: ['cmo@aurora.example', 'ceo@aurora.example'], subject: 'Aurora: your diagnosis' },
  });
  expect(edited.status).toBe(200);

  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 90_000);
  expect(done.result).toMatchObject({ status: 'sent', recipients: ['cmo@aurora.example', 'ceo@aurora.example'] });

  const list = await stack.request('GET', `/api/v1/brands/${ready.brand.id}/reports`);
  const report = list.body.items.find((r: any) => r.workflowId === id);
  expect(report).toMatchObject({ status: 'sent', diagnosisId: ready.diagnosisId, pages: expect.any(Number) });
  expect(report.emailedAt).not.toBeNull();
  const detail = (await stack.request('GET', `/api/v1/brands/${ready.brand.id}/reports/${report.id}`)).body;
  expect(detail.analysis.recommendations.length).toBeGreaterThanOrEqual(5);
  expect(detail.providers.every((p: any) => p.provider === 'offline')).toBe(true);

  const pdf = await fetch(`${stack.baseUrl}${report.pdfUrl}`, {
    headers: { authorization: `Bearer ${stack.keys.viewer}` },
  });
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
  const bytes = Buffer.from(await pdf.arrayBuffer());
  const text = (await pdfText(bytes)).replace(/\s+/g, ' ');
  expect(text).toContain('Aurora Skincare');
  for (const d of detail.scores.diagnosis.dimensions) {
    expect(text).toContain(d.label);
    // As the report prints scores: one decimal, cut.
    expect(text).toContain(`${d.label} ${formatScore(d.score)}`);
  }
  for (const r of detail.analysis.recommendations) expect(text).toContain(r.title.replace(/\s+/g, ' ').slice(0, 40));

  // Reports are never public files.
  expect((await fetch(`${stack.baseUrl}/files/reports/${ready.brand.id}/${report.id}/report.pdf`)).status).toBe(404);
  const html = await stack.request('GET', `/api/v1/brands/${ready.brand.id}/reports/${report.id}/html`);
  expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(html.body).toContain('Aurora Skincare');

  const mail = await sink.waitFor((m) => m.subject === 'Aurora: your diagnosis', 30_000);
  expect(mail.envelope.to.sort()).toEqual(['ceo@aurora.example', 'cmo@aurora.example']);
  expect(mail.text).toContain('Top recommendations');
  expect(mail.attachments).toHaveLength(1);
  expect(ready.brand.slug).toMatch(/^aurora-skincare(-\d+)?$/);
  expect(mail.attachments[0]).toMatchObject({
    contentType: 'application/pdf',
    // Slugs are global (the channel's URLs), so a second Aurora in this database is aurora-skincare-2.
    filename: `${ready.brand.slug}-brand-report.pdf`,
  });
  expect(mail.attachments[0].content.equals(bytes)).toBe(true);
  expect(sink.messages().filter((m) => m.subject === 'Aurora: your diagnosis')).toHaveLength(1);
});

it('keeps the report without mailing it when rejected, and skips approval with nobody to mail', async () => {
  const rejected = await startReport(stack, ready.brand.id, {
    recipients: ['cmo@aurora.example'],
    diagnosisId: ready.diagnosisId,
    approval: { required: true, timeoutSeconds: 600 },
  });
  const waiting = await waitForRun(stack, rejected, (r) => r.progress?.approvals?.length > 0, 90_000);
  const res = await stack.request(
    'POST',
    `/api/v1/runs/${enc(rejected)}/approvals/${waiting.progress.approvals[0].id}`,
    {
      action: 'reject',
      comment: 'Not before the board meeting',
    },
  );
  expect(res.status).toBe(200);
  const done = await waitForRun(stack, rejected, (r) => r.status === 'completed', 60_000);
  expect(done.result.status).toBe('rejected');
  expect(step(done, 'deliver').status).toBe('skipped');

  const quiet = await startReport(stack, ready.brand.id);
  const finished = await waitForRun(stack, quiet, (r) => r.status === 'completed', 90_000);
  expect(finished.result.status).toBe('ready');
  expect(step(finished, 'approval').status).toBe('skipped');

  const items = (await stack.request('GET', `/api/v1/brands/${ready.brand.id}/reports`)).body.items;
  expect(items.find((r: any) => r.workflowId === rejected)).toMatchObject({
    status: 'rejected',
    error: 'Not before the board meeting',
    emailedAt: null,
  });
  expect(items.find((r: any) => r.workflowId === quiet)).toMatchObject({ status: 'ready', recipients: [] });
  expect(sink.messages().filter((m) => m.envelope.to.includes('cmo@aurora.example'))).toHaveLength(1);
});

it('fails clearly for a diagnosis of another brand', async () => {
  const other = await stack.brand({ name: 'Other Brand' });
  const res = await stack.request('POST', '/api/v1/runs', {
    automation: 'brand-report',
    input: { brandId: other.id, diagnosisId: ready.diagnosisId },
  });
  expect(res.status).toBe(404);
  expect(res.body.errors[0].field).toBe('input.diagnosisId');
});

it('a branded report keeps its history small: the logo travels by key and still reaches the PDF', async () => {
  const branded = await prepareReportBrand(stack, { name: 'Aurora Branded' });
  // A noisy 360×360 PNG (~280 KB): inline in history it would have filled several events.
  const logo = execFileSync('ffmpeg', [
    ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=360x360,noise=alls=100:allf=t'],
    ...['-frames:v', '1', '-f', 'image2', '-c:v', 'png', '-'],
  ]);
  expect(logo.byteLength).toBeGreaterThan(200_000);
  const put = await stack.request('PUT', `/api/v1/brands/${branded.brand.id}/logo`, undefined, {
    raw: logo,
    headers: { 'content-type': 'image/png' },
  });
  expect(put.status).toBe(200);

  const id = await startReport(stack, branded.brand.id, {
    recipients: ['cmo@aurora.example'],
    approval: { required: false },
  });
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 120_000);
  expect(done.result.status).toBe('sent');

  const history = await stack.client.workflow.getHandle(id).fetchHistory();
  const encoded = temporal.api.history.v1.History.encode(history).finish();
  const bytes = encoded.byteLength;
  expect(bytes).toBeLessThan(300 * 1024);
  // Scores, passages and the analysis travel by key (claim-check): no event carries them whole.
  // JSON payloads sit in the encoded history as their UTF-8 text.
  const payloads = Buffer.from(encoded).toString('utf8');
  expect(payloads).toContain('work/analysis.json');
  for (const field of ['"strengths"', '"weaknesses"', '"dimensions"', '"series"'])
    expect(payloads).not.toContain(field);
  expect(bytes).toBeLessThan(40 * 1024);
  const largest = Math.max(
    ...history.events!.map((e) => temporal.api.history.v1.HistoryEvent.encode(e).finish().byteLength),
  );
  expect(largest).toBeLessThan(64 * 1024);

  // The render read the logo from storage: the PDF carries an image of its size.
  const list = await stack.request('GET', `/api/v1/brands/${branded.brand.id}/reports`);
  const report = list.body.items.find((r: any) => r.workflowId === id);
  const pdf = await fetch(`${stack.baseUrl}${report.pdfUrl}`, {
    headers: { authorization: `Bearer ${stack.keys.viewer}` },
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'branded-')), 'report.pdf');
  fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  expect(execFileSync('pdfimages', ['-list', file]).toString()).toMatch(/\b360\s+360\b/);
}, 180_000);
