export * from './crawl.activities';
export * from './places.activities';
export * from './places-client';
