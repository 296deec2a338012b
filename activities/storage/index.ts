export * from './file-storage.port';
export * from './local-file-storage';
