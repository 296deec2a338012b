/**
 * Starts one Temporal dev server and one PostgreSQL for the whole test run, migrates the
 * database and bundles the workflows once. Each test file then runs its own workers on its
 * own task queues and its own workspace (see harness.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { connectDatabase, migrate } from '../../db';
import { startEmbeddedPostgres } from '../../db/embedded';
import { ensureTemporalCli } from '../../temporal/cli';
import { freePort, startDevServer } from '../../temporal/dev-server';
import globalTeardown from './global-teardown';

const REQUIRED_TOOLS: [string, string][] = [
  ['/usr/bin/chromium', 'apt-get install -y chromium'],
  ['/usr/bin/ffprobe', 'apt-get install -y ffmpeg'],
];

export default async function globalSetup(): Promise<void> {
  for (const [file, install] of REQUIRED_TOOLS) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing; install it with: ${install}`);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studioflow-test-'));
  // As root, PostgreSQL runs as the postgres user: let it reach its cluster here (else it moves to /var/lib/studioflow).
  fs.chmodSync(workDir, 0o755);
  // Record each server as soon as it runs, so teardown stops it even when a later step fails.
  const state: { temporal?: { stop(): Promise<void> }; database?: { stop(): Promise<void> }; workDir: string } = {
    workDir,
  };
  (globalThis as Record<string, unknown>).__studioflow = state;
  try {
    await startServices(state, workDir);
  } catch (err) {
    // Jest skips globalTeardown when globalSetup fails: stop what did start.
    await globalTeardown();
    throw err;
  }
}

async function startServices(
  state: { temporal?: { stop(): Promise<void> }; database?: { stop(): Promise<void> } },
  workDir: string,
) {
  const cli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH);
  const temporalPort = await freePort();
  const [temporal, database] = await Promise.all([
    startDevServer({
      cliPath: cli,
      port: temporalPort,
      headless: true,
      logFile: path.join(workDir, 'temporal.log'),
    }).then((t) => (state.temporal = t)),
    (process.env.TEST_DATABASE_URL
      ? Promise.resolve({ url: process.env.TEST_DATABASE_URL, stop: async () => undefined })
      : freePort().then((port) => startEmbeddedPostgres({ dataDir: path.join(workDir, 'pg'), port, persistent: false }))
    ).then((d) => (state.database = d)),
  ]);

  const db = connectDatabase(database.url);
  await migrate(db.sequelize);
  await db.close();

  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  const bundlePath = path.join(workDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  process.env.STUDIOFLOW_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.STUDIOFLOW_TEST_DATABASE_URL = database.url;
  process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.STUDIOFLOW_TEST_WORK_DIR = workDir;
}
