export * from './crawl.activities';
export * from './enrichment.activities';
export * from './callback.activities';
export * from './batch.activities';
