/**
 * The HTML-render kit: escaping, layout text, colours, fonts, embeddable images and CSPs for every document the
 * product renders (post images, video frames, the PDF report, the public channel and its feeds, emails). Pure modules
 * that import nothing from activities, the API or the database. Workflow code imports `lib/html/escape` itself: csp.ts
 * needs node:crypto, which the workflow sandbox does not have.
 */
export * from './brand-palette';
export * from './colour';
export * from './csp';
export * from './data-urls';
export * from './document';
export * from './escape';
export * from './fonts';
export * from './icons';
export * from './text';
