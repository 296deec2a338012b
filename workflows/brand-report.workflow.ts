/**
 * Brand report (issue 3): load the brand, its diagnosis and KPIs → score → retrieve knowledge passages per
 * dimension → write the analysis → render the PDF (browser queue) → optional approval → email it. The report's
 * row follows the run, so a half-made report is always visible and a crash resumes where it stopped.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { deliveryEditRules, type ReportDelivery } from '../lib/report/delivery-edit';
import { plural, providerSummary, reportEmailText, reportTitle } from '../lib/report/delivery-text';
import { formatScore } from '../lib/report/format';
import { reportRetrievalQueries } from '../lib/report/retrieval';
import { analysisDigest, passageCount, reportPassages, type AnalysisDigest } from '../lib/report/summaries';
import type {
  RenderedReport,
  ReportDocument,
  ReportInputs,
  ReportScores,
  SectionProvenance,
} from '../lib/report/types';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { createApprovalGate, type ApprovalPolicy } from './approval';
import { failureMessage } from '../lib/failure-chain';
import { brandReportManifest } from './brand-report.manifest';
import { ProgressTracker, progressQuery } from './progress';

export interface BrandReportInput {
  workspaceId: string;
  brandId: string;
  /** A completed diagnosis of the brand (the API picks the latest when the caller names none). */
  diagnosisId: string;
  /** Who receives the PDF; none: the report is only stored. */
  recipients: string[];
  language: string;
  approval: ApprovalPolicy;
}

export interface BrandReportResult {
  status: 'sent' | 'ready' | 'rejected';
  reportId: string;
  pdfUrl: string;
  pages: number;
  overall: number | null;
  recipients: string[];
  messageId?: string;
}

interface MadeReport {
  overall: number | null;
  rendered: RenderedReport;
  analysis: AnalysisDigest;
}

interface ReportContext {
  pdf: ReturnType<typeof presets.pdf>;
  inputs: ReportInputs;
  reportId: string;
  title: string;
  workflowId: string;
}

function scoreDone(tracker: ProgressTracker, overall: number | null, popularity: number | null, clusters: number) {
  tracker.done(
    'score',
    `Overall ${formatScore(overall)}/100; popularity ${formatScore(popularity)}; ${plural(clusters, 'keyword cluster')}`,
  );
}

function retrieveDone(tracker: ProgressTracker, found: number, documentsSearched: number, embedder: string) {
  tracker.done(
    'retrieve',
    documentsSearched === 0
      ? 'No indexed documents: the analysis rests on the scores alone'
      : `${plural(found, 'passage')} from ${plural(documentsSearched, 'document')}`,
    embedder,
  );
}

function writeDone(tracker: ProgressTracker, analysis: AnalysisDigest) {
  const fallbacks = analysis.provenance.filter((p) => p.fallbackReason);
  tracker.done(
    'write',
    `${analysis.recommendationCount} recommendations by ${providerSummary(analysis.provenance)}` +
      (fallbacks.length > 0 ? ` (fallback: ${fallbacks[0].fallbackReason})` : ''),
    providerSummary(analysis.provenance),
  );
}

/**
 * Runs since 'report-by-reference': scores, passages and the analysis are stored under the report's `work/` folder
 * by the activities that make them, so the history holds keys and the figures the steps show.
 */
async function makeReportByReference(tracker: ProgressTracker, input: BrandReportInput, ctx: ReportContext) {
  const work = activitiesOn('main', presets.quick);
  const { writeStoredReportAnalysis } = activitiesOn('main', presets.llm);
  const { renderStoredReportPdf } = activitiesOn('browser', ctx.pdf);
  const { brand } = ctx.inputs;
  const keyPrefix = `reports/${input.brandId}/${ctx.reportId}`;

  tracker.start('score');
  const scores = await work.scoreReportToStorage({
    workspaceId: input.workspaceId,
    inputs: ctx.inputs,
    key: `${keyPrefix}/work/scores.json`,
  });
  scoreDone(tracker, scores.overall, scores.popularityIndex, scores.clusterCount);

  tracker.start('retrieve');
  const passages = await work.retrieveReportPassages({
    workspaceId: input.workspaceId,
    brandId: input.brandId,
    queries: reportRetrievalQueries(brand),
    topK: 3,
    key: `${keyPrefix}/work/passages.json`,
  });
  retrieveDone(tracker, passages.found, passages.documentsSearched, passages.embedder);

  tracker.start('write');
  const { key: analysisKey, ...analysis } = await writeStoredReportAnalysis({
    language: input.language,
    brand,
    scoresKey: scores.key,
    passagesKey: passages.key,
    key: `${keyPrefix}/work/analysis.json`,
  });
  writeDone(tracker, analysis);

  tracker.start('render');
  const rendered = await renderStoredReportPdf({
    keyPrefix,
    document: {
      reportId: ctx.reportId,
      title: ctx.title,
      generatedAt: new Date().toISOString(),
      language: input.language,
      brand,
    },
    parts: { scoresKey: scores.key, passagesKey: passages.key, analysisKey },
  });
  await work.recordStoredReportOutcome({
    workflowId: ctx.workflowId,
    outcome: outcomeOf(scores.overall, rendered, analysis.provenance),
    scoresKey: scores.key,
    analysisKey,
  });
  return { overall: scores.overall, rendered, analysis } satisfies MadeReport;
}

/** Runs started before 'report-by-reference' carry the scores, passages and analysis in their history. */
async function makeReportInline(tracker: ProgressTracker, input: BrandReportInput, ctx: ReportContext) {
  const report = activitiesOn('main', presets.quick);
  const { writeReportAnalysis } = activitiesOn('main', presets.llm);
  const { renderReportPdf } = activitiesOn('browser', ctx.pdf);
  const { brand } = ctx.inputs;

  tracker.start('score');
  const scores: ReportScores = await report.scoreReport({ workspaceId: input.workspaceId, inputs: ctx.inputs });
  const overall = scores.diagnosis.overall;
  scoreDone(tracker, overall, scores.kpis.popularityIndex, scores.clusters.k);

  tracker.start('retrieve');
  const retrieved = await report.retrievePassages({
    workspaceId: input.workspaceId,
    brandId: input.brandId,
    queries: reportRetrievalQueries(brand),
    topK: 3,
  });
  const passages = reportPassages(retrieved.results);
  retrieveDone(tracker, passageCount(passages), retrieved.documentsSearched, retrieved.embedder);

  tracker.start('write');
  const analysis = await writeReportAnalysis({ language: input.language, brand, scores, passages });
  writeDone(tracker, analysisDigest(analysis));

  tracker.start('render');
  const document: ReportDocument = {
    reportId: ctx.reportId,
    title: ctx.title,
    generatedAt: new Date().toISOString(),
    language: input.language,
    brand,
    scores,
    passages,
    analysis,
  };
  const rendered = await renderReportPdf({ keyPrefix: `reports/${input.brandId}/${ctx.reportId}`, document });
  await report.recordReportOutcome({
    workflowId: ctx.workflowId,
    outcome: { ...outcomeOf(overall, rendered, analysis.provenance), scores, analysis },
  });
  return { overall, rendered, analysis: analysisDigest(analysis) } satisfies MadeReport;
}

const outcomeOf = (overall: number | null, rendered: RenderedReport, providers: SectionProvenance[]) => ({
  overall,
  pdfKey: rendered.pdf.key,
  htmlKey: rendered.html.key,
  pdfSha256: rendered.pdf.sha256,
  pages: rendered.pdf.pages,
  bytes: rendered.pdf.bytes,
  providers,
});

export async function brandReportWorkflow(input: BrandReportInput): Promise<BrandReportResult> {
  const tracker = new ProgressTracker(brandReportManifest.automation, brandReportManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const gate = createApprovalGate<ReportDelivery>(tracker, deliveryEditRules);

  const { workflowId } = workflowInfo();
  const report = activitiesOn('main', presets.quick);
  // Built before the first activity, as runs recorded it: the preset asks `patched()` once, at this point.
  const pdf = presets.pdf();
  const { sendEmail } = activitiesOn('main', presets.mail);
  let started = false;

  try {
    tracker.start('load');
    const ref = { workspaceId: input.workspaceId, brandId: input.brandId, diagnosisId: input.diagnosisId };
    const inputs = await report.loadReportInputs(ref);
    const { brand } = inputs;
    const title = reportTitle(brand.name);
    const { reportId } = await report.startReport({
      ...ref,
      workflowId,
      title,
      language: input.language,
      recipients: input.recipients,
    });
    started = true;
    tracker.done(
      'load',
      `${brand.name}: diagnosis of ${inputs.diagnosis.completedAt.slice(0, 10)}, ${inputs.kpis.length} KPI periods`,
    );

    const made = patched('report-by-reference')
      ? await makeReportByReference(tracker, input, { pdf, inputs, reportId, title, workflowId })
      : await makeReportInline(tracker, input, { pdf, inputs, reportId, title, workflowId });
    const { overall, rendered, analysis } = made;
    const pdfUrl = `/api/v1/brands/${input.brandId}/reports/${reportId}/pdf?inline=1`;
    tracker.done('render', `${rendered.pdf.pages} pages, ${Math.round(rendered.pdf.bytes / 1024)} KiB`, 'chromium');
    tracker.artifact({ kind: 'pdf', url: pdfUrl, title: `${title} (PDF)`, step: 'render' });
    tracker.artifact({
      kind: 'html',
      url: `/api/v1/brands/${input.brandId}/reports/${reportId}/html`,
      title: 'HTML preview',
      step: 'render',
    });

    const base = { reportId, pdfUrl, pages: rendered.pdf.pages, overall };
    if (input.recipients.length === 0) {
      tracker.skip('approval', 'Nobody to email');
      tracker.skip('deliver', 'No recipients: the report is stored and listed with the brand');
      tracker.complete(`Report ready: ${rendered.pdf.pages} pages`);
      await condition(allHandlersFinished);
      return { status: 'ready', recipients: [], ...base };
    }

    const outcome = await gate.request({
      id: 'delivery-1',
      step: 'approval',
      title: 'Approve sending the report',
      content: { subject: title, recipients: input.recipients, summary: analysis.summary, overall, pdfUrl },
      policy: input.approval,
    });
    if (outcome.result === 'rejected') {
      await report.markReportStatus({ workflowId, status: 'rejected', error: outcome.comment });
      tracker.skip('deliver', 'Not sent: the delivery was rejected');
      tracker.complete(`Rejected${outcome.by ? ` by ${outcome.by}` : ''}; the report is stored but was not emailed`);
      await condition(allHandlersFinished);
      return { status: 'rejected', recipients: [], ...base };
    }

    tracker.start('deliver');
    const delivery = outcome.content;
    const sent = await sendEmail({
      idempotencyKey: `${workflowId}/email`,
      to: delivery.recipients,
      subject: delivery.subject,
      text: reportEmailText(brand.name, delivery, analysis, rendered.pdf.pages),
      attachmentKeys: [
        {
          key: rendered.pdf.key,
          filename: `${brand.slug}-brand-report.pdf`,
          contentType: 'application/pdf',
        },
      ],
    });
    await report.markReportSent({
      workflowId,
      recipients: sent.accepted,
      messageId: sent.messageId,
      sentAt: sent.sentAt,
    });
    tracker.done('deliver', `Sent to ${sent.accepted.join(', ')}`, sent.provider);
    tracker.complete(`Report sent to ${sent.accepted.length} recipient${sent.accepted.length === 1 ? '' : 's'}`);
    await condition(allHandlersFinished);
    return { status: 'sent', recipients: sent.accepted, messageId: sent.messageId, ...base };
  } catch (err) {
    const message = isCancellation(err) ? 'Cancelled' : failureMessage(err);
    tracker.failRunning(message, isCancellation(err) ? 'cancelled' : 'failed');
    // Record the end on the report's row even when the run itself is being cancelled.
    if (started) {
      await CancellationScope.nonCancellable(() =>
        report.markReportStatus({ workflowId, status: 'failed', error: message }),
      );
    }
    throw err;
  }
}
