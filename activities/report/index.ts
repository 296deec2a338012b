export * from './charts';
export * from './render-report.activities';
export * from './report.template';
