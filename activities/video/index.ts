export * from './video-brand.activities';
export * from './video-quote.activities';
export * from './video-stats.activities';
