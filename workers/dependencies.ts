/**
 * What the activities need, built once per worker process from the configuration.
 * Each queue kind only opens what its activities use (the browser worker starts Chromium,
 * the main worker connects to the database).
 */
import { connectDatabase, type Database } from '../db';
import { createMailerFromConfig, type Mailer } from '../activities/mail';
import { createBrowserPool } from '../activities/render';
import { createLocalFileStorage, type FileStorage } from '../activities/storage';
import { createTextWritersFromConfig, type TextWriter } from '../activities/text';
import type { Config } from '../lib/config';
import type { QueueKind } from '../lib/task-queues';

export interface WorkerDependencies {
  config: Config;
  storage: FileStorage;
  db?: Database;
  textWriter?: TextWriter;
  mailer?: Mailer & { close(): void };
  browserPool?: ReturnType<typeof createBrowserPool>;
  close(): Promise<void>;
}

/** `shared.db` lets a test process reuse the API's connection. */
export function createWorkerDependencies(
  config: Config,
  kinds: readonly QueueKind[],
  shared: { db?: Database } = {},
): WorkerDependencies {
  const storage = createLocalFileStorage({ rootDir: config.filesDir, publicBaseUrl: config.api.publicUrl });
  const deps: WorkerDependencies = { config, storage, close: async () => undefined };

  if (kinds.includes('main')) {
    if (!shared.db && !config.database.url) throw new Error('DATABASE_URL is required to run the main worker');
    deps.db = shared.db ?? connectDatabase(config.database.url!, { poolMax: config.database.poolMax });
    deps.textWriter = createTextWritersFromConfig({ providers: config.text.providers, openai: config.text.openai });
    deps.mailer = createMailerFromConfig(config.mail);
  }
  if (kinds.includes('browser')) {
    deps.browserPool = createBrowserPool({ executablePath: config.chromiumPath, size: config.worker.browserPoolSize });
  }

  deps.close = async () => {
    await deps.browserPool?.close();
    deps.mailer?.close();
    if (!shared.db) await deps.db?.close();
  };
  return deps;
}
