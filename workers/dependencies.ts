/**
 * What the activities need, built once per worker process from the configuration.
 * Each queue kind only opens what its activities use (the browser worker starts Chromium,
 * the main worker connects to the database).
 */
import { connectDatabase, type Database } from '../db';
import { createAnalystFromConfig, type Analyst } from '../activities/analysis';
import { createKnowledgeProvidersFromConfig, type Embedder, type VectorStore } from '../activities/knowledge';
import { createMailerFromConfig, type Mailer } from '../activities/mail';
import { createKnowledgeRepository, type KnowledgeRepository } from '../db/repositories/knowledge.repository';
import { createBrowserPool } from '../activities/render';
import { createFileStorageFromConfig, type FileStorage } from '../activities/storage';
import { createTextWritersFromConfig, type TextWriter } from '../activities/text';
import { createVoicesFromConfig, type Voice } from '../activities/media';
import { createImageProviderFromConfig, type ImageProvider } from '../activities/render';
import { createScriptWriterFromConfig, type ScriptWriter } from '../activities/script';
import { createPublishClientsFromConfig, type PublishClients } from '../activities/publish';
import type { Config } from '../lib/config';
import type { QueueKind } from '../lib/task-queues';

export interface WorkerDependencies {
  config: Config;
  storage: FileStorage;
  db?: Database;
  textWriter?: TextWriter;
  mailer?: Mailer & { close(): void };
  knowledge?: { repo: KnowledgeRepository; embedder: Embedder; store: VectorStore };
  analyst?: Analyst;
  browserPool?: ReturnType<typeof createBrowserPool>;
  scriptWriter?: ScriptWriter;
  publishClients?: PublishClients;
  voices?: { voice: Voice; voices: Voice[] };
  imageProvider?: ImageProvider;
  close(): Promise<void>;
}

/** `shared.db` lets a test process reuse the API's connection. */
export function createWorkerDependencies(
  config: Config,
  kinds: readonly QueueKind[],
  shared: { db?: Database } = {},
): WorkerDependencies {
  const storage = createFileStorageFromConfig(config);
  const deps: WorkerDependencies = { config, storage, close: async () => undefined };

  if (kinds.includes('main')) {
    if (!shared.db && !config.database.url) throw new Error('DATABASE_URL is required to run the main worker');
    deps.db = shared.db ?? connectDatabase(config.database.url!, { poolMax: config.database.poolMax });
    deps.textWriter = createTextWritersFromConfig({ providers: config.text.providers, openai: config.text.openai });
    deps.mailer = createMailerFromConfig(config.mail);
    deps.analyst = createAnalystFromConfig({ providers: config.text.providers, openai: config.text.openai });
    const repo = createKnowledgeRepository(deps.db);
    deps.knowledge = { repo, ...createKnowledgeProvidersFromConfig(config.knowledge, repo) };
    deps.scriptWriter = createScriptWriterFromConfig({ providers: config.text.providers, openai: config.text.openai });
    deps.publishClients = createPublishClientsFromConfig(config.publish);
  }
  if (kinds.includes('browser')) {
    deps.browserPool = createBrowserPool({ executablePath: config.chromiumPath, size: config.worker.browserPoolSize });
    deps.imageProvider = createImageProviderFromConfig(config.images);
  }
  if (kinds.includes('media')) deps.voices = createVoicesFromConfig(config.voice);

  deps.close = async () => {
    await deps.browserPool?.close();
    deps.mailer?.close();
    if (!shared.db) await deps.db?.close();
  };
  return deps;
}
