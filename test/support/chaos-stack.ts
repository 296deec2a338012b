/**
 * What the chaos and soak runs stand on, all of their own so they can be stopped without touching other test files:
 * a PostgreSQL (embedded, persistent, so it can be stopped and started again on the same port), a Temporal dev server
 * with a database file (restarted the same way), an SMTP sink, and a test stack (workspace, keys, an in-process API for
 * the setup) on those. `startProcesses` then runs a real API process (`api/main.ts`, with the webhook dispatcher) and a
 * real worker process (`workers/all.worker.ts`) on the stack's queues.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connectDatabase, migrate } from '../../db';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { ensureTemporalCli } from '../../temporal/cli';
import { spawnTied } from '../../lib/process-tie';
import { freePort, startDevServer, type DevServer } from '../../temporal/dev-server';
import { startTestStack, waitFor, type TestStack } from './harness';
import { kill } from './worker-process';

/** A server that can be stopped and started again on the same address, keeping its data. */
export interface Restartable {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ChaosStack {
  stack: TestStack;
  database: Restartable & { url: string };
  temporal: Restartable & { address: string };
  sink: SmtpSink;
  processes: ChaosProcesses;
  dir: string;
  stop(): Promise<void>;
}

export interface ChaosStackOptions {
  /** Extra environment for the stack and the processes. */
  env?: Record<string, string>;
  /** Extra environment for the API and worker processes only (e.g. WORKER_METRICS_PORT). */
  processEnv?: Record<string, string>;
}

const root = path.resolve(__dirname, '..', '..');

export async function startChaosStack(name: string, options: ChaosStackOptions = {}): Promise<ChaosStack> {
  const env = options.env ?? {};
  const workDir = process.env.STUDIOFLOW_TEST_WORK_DIR;
  if (!workDir) throw new Error('STUDIOFLOW_TEST_WORK_DIR is not set: run through jest or bench/environment.ts');
  const dir = fs.mkdtempSync(path.join(workDir, `${name}-`));
  // As root, PostgreSQL runs as the postgres user, who must reach its cluster here.
  fs.chmodSync(dir, 0o755);
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pgPort = await freePort();
    let pg: EmbeddedDatabase | undefined;
    const startPg = async () => {
      pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, persistent: true });
    };
    const cli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, () => undefined);
    const temporalPort = await freePort();
    let server: DevServer | undefined;
    const startTemporal = async () => {
      server = await startDevServer({
        cliPath: cli,
        port: temporalPort,
        headless: true,
        dbFile: path.join(dir, 'temporal.db'),
        namespace: env.TEMPORAL_NAMESPACE ?? 'default',
        logFile: path.join(dir, 'temporal.log'),
      });
    };
    // allSettled: when one fails, the other is still registered for the stop.
    const started = await Promise.allSettled([startPg(), startTemporal()]);
    const database = {
      url: `postgres://studioflow:studioflow@127.0.0.1:${pgPort}/studioflow`,
      start: startPg,
      stop: async () => {
        await pg?.stop();
        pg = undefined;
      },
    };
    stops.push(async () => {
      const cluster = pg?.clusterDir;
      await database.stop();
      // Relocated (as root, out of the postgres user's reach): the cluster and its link file live elsewhere.
      if (cluster && !cluster.startsWith(dir))
        for (const f of [cluster, `${cluster}.link`]) fs.rmSync(f, { recursive: true, force: true });
    });
    const temporal = {
      address: `127.0.0.1:${temporalPort}`,
      start: startTemporal,
      stop: async () => {
        await server?.stop();
        server = undefined;
      },
    };
    stops.push(() => temporal.stop());
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    database.url = pg!.url;
    temporal.address = server!.address;
    const db = connectDatabase(database.url);
    await migrate(db.sequelize);
    await db.close();

    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    const sink = await startSmtpSink({ port: 0, maxMessages: 100_000 });
    stops.push(() => sink.close());

    const stackEnv = {
      // One DATA_DIR for the stack and the processes: the files, and the key that seals the webhook secrets.
      DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE_PREFIX: `${path.basename(dir)}-`,
      SMTP_HOST: sink.host,
      SMTP_PORT: String(sink.port),
      // The API process dispatches; the in-process one only serves the setup.
      WEBHOOK_DISPATCHER_ENABLED: 'false',
      ...env,
    };
    // The processes boot (seconds of tsx under load) while the in-process stack makes the workspace.
    const [processes, stack] = await Promise.all([
      startProcesses(stackEnv, options.processEnv ?? {}).then((p) => {
        stops.push(() => p.stop());
        return p;
      }),
      startTestStack(name, { workers: [], env: stackEnv }).then((s) => {
        stops.push(() => s.stop());
        return s;
      }),
    ]);
    await processes.ready();
    return { stack, database, temporal, sink, processes, dir, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export interface ChaosProcesses {
  base: string;
  api(): ChildProcess;
  worker(): ChildProcess;
  /** SIGKILLs the API process and starts it again. */
  restartApi(): Promise<void>;
  /** SIGKILLs the worker process and starts it again after `pauseMs`. */
  restartWorker(pauseMs: number): Promise<void>;
  /** Resolves once the API answers /readyz: PostgreSQL and Temporal reachable, a worker polling every queue. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A real API process and a real worker process on the stack's environment. */
async function startProcesses(stackEnv: Record<string, string>, env: Record<string, string>): Promise<ChaosProcesses> {
  const apiPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const all = {
    NODE_ENV: 'test',
    WORKER_METRICS_PORT: '0',
    BROWSER_POOL_SIZE: '1',
    // The senders' traffic is far below these; the product's defaults are for one public API.
    API_REQUESTS_PER_KEY_PER_MINUTE: '1000000',
    WEBHOOK_REQUESTS_PER_ENDPOINT_PER_MINUTE: '100000',
    ...stackEnv,
    API_PORT: String(apiPort),
    PUBLIC_URL: base,
    WEBHOOK_DISPATCHER_ENABLED: 'true',
    WEBHOOK_DISPATCH_POLL_MS: '200',
    WEBHOOK_DISPATCH_START_TIMEOUT_MS: '2000',
    WORKER_SHUTDOWN_GRACE_SECONDS: '1',
    LOG_LEVEL: 'error',
    ...env,
  };
  // Tied to this process: a test that times out (jest then ends its worker) leaves none of them running.
  const start = (entry: string, env: Record<string, string | undefined>) =>
    spawnTied(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
      deathSignal: 'SIGKILL',
    });
  const startApi = () => start(path.join('api', 'main.ts'), all);
  const startWorker = () =>
    start(path.join('workers', 'all.worker.ts'), {
      ...all,
      TEMPORAL_WORKFLOW_BUNDLE: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE,
    });
  let api = startApi();
  let worker = startWorker();
  const processes: ChaosProcesses = {
    base,
    api: () => api,
    worker: () => worker,
    async restartApi() {
      await kill(api);
      api = startApi();
    },
    async restartWorker(pauseMs) {
      await kill(worker);
      await new Promise((r) => setTimeout(r, pauseMs));
      worker = startWorker();
    },
    async ready(timeoutMs = 120_000) {
      await waitFor(
        'the API to be ready',
        async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok,
        timeoutMs,
        500,
      );
    },
    async stop() {
      await kill(worker);
      await kill(api);
    },
  };
  return processes;
}
