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
};
