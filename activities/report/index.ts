export * from './chart-format';
export * from './charts';
export * from './kpi-line-chart';
export * from './render-report.activities';
export * from './report.template';
