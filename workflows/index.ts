/** Every workflow the worker registers. One automation per file. */
export { socialPostWorkflow } from './social-post.workflow';
