import type { RunManifest } from './manifest';

export const brandReportManifest: RunManifest = {
  automation: 'brand-report',
  steps: [
    { name: 'load', title: 'Load brand, diagnosis and KPIs' },
    { name: 'score', title: 'Compute scores' },
    { name: 'retrieve', title: 'Retrieve knowledge' },
    { name: 'write', title: 'Write analysis' },
    { name: 'render', title: 'Render PDF' },
    { name: 'approval', title: 'Approval' },
    { name: 'deliver', title: 'Email report' },
  ],
  activitySteps: {
    loadReportInputs: 'load',
    startReport: 'load',
    scoreReport: 'score',
    retrievePassages: 'retrieve',
    writeReportAnalysis: 'write',
    renderReportPdf: 'render',
    recordReportOutcome: 'render',
    sendEmail: 'deliver',
    markReportSent: 'deliver',
  },
  approvals: { approval: 'report-delivery' },
  details: [
    { label: 'Diagnosis', value: 'input.diagnosisId', format: 'diagnosis' },
    { label: 'Recipients', value: 'input.recipients', format: 'list', empty: 'Nobody: the report is only stored' },
    { label: 'Approval', value: 'input.approval', format: 'approval-policy' },
    { label: 'Outcome', value: 'result.status', format: 'outcome', ok: ['sent'] },
    { label: 'Emailed to', value: 'result.recipients', format: 'list', whenStatus: 'sent' },
    { label: 'Overall score', value: 'result.overall', format: 'score' },
    { label: 'Pages', value: 'result.pages', format: 'number' },
    { label: 'Report', value: 'result.reportId', format: 'report' },
  ],
};
