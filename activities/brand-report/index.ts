export {
  createBrandReportActivities,
  clusteringSeed,
  MAX_CLUSTER_PASSAGES,
  type BrandReportActivities,
  type BrandReportActivityDeps,
  type ReportRef,
} from './brand-report.activities';
export * from './report-work.activities';
