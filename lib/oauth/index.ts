export * from './oauth-config';
export * from './oauth-client';
