export * from './script-writer.port';
export { createOfflineScriptWriter, writeOfflineScript, writeOfflineMetadata } from './offline-script-writer';
export {
  createOpenAiScriptWriter,
  parseScript,
  parseMetadata,
  scriptReplySchema,
  type OpenAiScriptWriterOptions,
  type ParsedScript,
  type ParsedMetadata,
} from './openai-script-writer';
export { createScriptWriterChain, type ScriptWriterChain } from './script-chain';
export { createScriptWriterFromConfig, type ScriptWritersConfig } from './providers';
export { createScriptActivities, type ScriptActivities, type ScriptActivityDeps } from './script.activities';
