export * from './browser-pool';
export * from './post-image.template';
export * from './render.activities';
