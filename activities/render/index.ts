export * from './browser-pool';
export * from './post-image.template';
export * from './render.activities';
export * from './image-provider';
export * from './scene-frame.colors';
export * from './scene-frame.layout';
export * from './scene-frame.template';
export * from './scene-frames.activities';
