export * from './file-storage.port';
export * from './local-file-storage';
export * from './s3-file-storage';
export * from './providers';
export * from './data-url';
export * from './claim-check';
