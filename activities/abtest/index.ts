export * from './experiment.activities';
