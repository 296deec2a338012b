/** Every workflow the worker registers. One automation per file. */
export { socialPostWorkflow } from './social-post.workflow';
export { postPublishWorkflow } from './post-publish.workflow';
export { brandReportWorkflow } from './brand-report.workflow';
export { knowledgeIndexWorkflow, knowledgeDeleteWorkflow } from './knowledge-document.workflow';
export { videoPipelineWorkflow } from './video-pipeline.workflow';
export { videoPublishWorkflow } from './video-publish.workflow';
export { videoAnalyticsWorkflow } from './video-analytics.workflow';
export { accountEmailWorkflow, passwordResetWorkflow, accountMaintenanceWorkflow } from './account-email.workflow';
export { leadEnrichmentWorkflow } from './lead-enrichment.workflow';
export { leadEnrichmentBatchWorkflow } from './lead-enrichment-batch.workflow';
export { abTestWorkflow } from './ab-test.workflow';
export { editorialCalendarWorkflow } from './editorial-calendar.workflow';
export { calendarGenerationWorkflow, calendarAnalyticsWorkflow } from './calendar-schedules.workflow';
