export * from './text-writer.port';
export { createOfflineWriter, writeOfflinePostCopy, headlineFromCaption } from './offline-writer';
export { createOpenAiWriter, parsePostCopy, type OpenAiWriterOptions } from './openai-writer';
export {
  createWriterChain,
  createTextWritersFromConfig,
  describeError,
  type WriterChain,
  type ProviderStatus,
  type TextWritersConfig,
} from './writer-chain';
export {
  createTextActivities,
  type GeneratedCopy,
  type TextActivities,
  type TextActivityDeps,
} from './text.activities';
