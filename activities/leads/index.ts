export * from './crawl.activities';
