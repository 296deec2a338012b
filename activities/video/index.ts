export * from './video-support.activities';
