/**
 * A full Studioflow stack for one test file: the real API on a free port and in-process
 * workers on task queues of its own, against the run's Temporal dev server and PostgreSQL.
 * Each stack gets its own workspace, admin, and API keys for every role.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { startServer, stopServer, type RunningServer } from '../../api/server';
import { connectDatabase, type Database } from '../../db';
import { loadConfig, type Config } from '../../lib/config';
import { configureLogger } from '../../lib/logger';
import type { Role } from '../../lib/roles';
import type { QueueKind } from '../../lib/task-queues';
import { freePort } from '../../temporal/dev-server';
import { createWorkers } from '../../workers/create-workers';
import { createWorkerDependencies, type WorkerDependencies } from '../../workers/dependencies';

export interface StackOptions {
  /** Extra environment for the configuration (e.g. TEXT_PROVIDERS, OPENAI_BASE_URL). */
  env?: Record<string, string>;
  /** Queues served by in-process workers; [] runs none (a test may spawn its own). */
  workers?: QueueKind[];
  /** How often watched runs are polled (300 ms: tests see changes soon; the product's default is 1000 ms). */
  streamIntervalMs?: number;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestStack {
  name: string;
  config: Config;
  env: Record<string, string>;
  baseUrl: string;
  db: Database;
  client: Client;
  server: RunningServer;
  workspaceId: string;
  admin: { email: string; password: string; id: string };
  keys: Record<Role, string>;
  request<T = any>(
    method: string,
    urlPath: string,
    body?: unknown,
    options?: { key?: string | null; headers?: Record<string, string>; raw?: string | Buffer },
  ): Promise<ApiResponse<T>>;
  brand(fields?: Record<string, unknown>): Promise<any>;
  /** Starts in-process workers; `workflowBundle` replaces the shared bundle (a deploy of other workflow code). */
  startWorkers(kinds?: QueueKind[], workflowBundle?: { code: string }): Promise<void>;
  stopWorkers(): Promise<void>;
  stop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run integration tests through jest (globalSetup starts Temporal and PostgreSQL)`,
    );
  return value;
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

let runtimeInstalled = false;

export async function startTestStack(name: string, options: StackOptions = {}): Promise<TestStack> {
  configureLogger('error');
  if (!runtimeInstalled) {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    } catch {
      // Another file in this process already installed it.
    }
    runtimeInstalled = true;
  }
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  const dataDir = path.join(required('STUDIOFLOW_TEST_WORK_DIR'), id);
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    DATABASE_URL: required('STUDIOFLOW_TEST_DATABASE_URL'),
    TEMPORAL_ADDRESS: required('STUDIOFLOW_TEST_TEMPORAL_ADDRESS'),
    TEMPORAL_TASK_QUEUE_PREFIX: `${id}-`,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    API_PORT: String(port),
    WORKER_METRICS_PORT: '0',
    WORKER_SHUTDOWN_GRACE_SECONDS: '2',
    BROWSER_POOL_SIZE: '1',
    // Test files share one database and log in from 127.0.0.1 many times: limits far above any test's traffic
    // (test/integration/security-abuse.test.ts sets its own low ones).
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
    AUTH_REQUESTS_PER_ADDRESS_PER_MINUTE: '100000',
    API_REQUESTS_PER_KEY_PER_MINUTE: '1000000',
    WEBHOOK_REQUESTS_PER_ENDPOINT_PER_MINUTE: '100000',
    METRICS_TOKEN: `metrics-${randomUUID()}`,
    ...options.env,
  };
  const config = loadConfig(env);
  const db = connectDatabase(config.database.url!, { poolMax: 5 });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const server = await startServer(
    { config, db, temporal: client, streamIntervalMs: options.streamIntervalMs ?? 300 },
    { port, host: '127.0.0.1' },
  );

  const admin = { email: `admin-${id}@example.test`, password: `pw-${randomUUID()}`, id: '' };
  const { workspace, user } = await server.services.accounts.createWorkspaceWithAdmin(`Workspace ${id}`, {
    email: admin.email,
    name: 'Admin',
    password: admin.password,
  });
  admin.id = user.id;
  const principal = {
    workspaceId: workspace.id,
    role: 'admin' as const,
    kind: 'user' as const,
    id: user.id,
    name: admin.email,
  };
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'editor', 'viewer'] as Role[])
    keys[role] = (await server.services.accounts.createApiKey(principal, `${role} key`, role)).key;

  let running:
    { workers: Worker[]; done: Promise<unknown>; deps: WorkerDependencies; connection: NativeConnection } | undefined;

  const stack: TestStack = {
    name: id,
    config,
    env,
    baseUrl: server.url,
    db,
    client,
    server,
    workspaceId: workspace.id,
    admin,
    keys,
    async request(method, urlPath, body, opts = {}) {
      // As the UI's api.js does: cookie-authenticated writes need it (see api/middleware/csrf.ts).
      const headers: Record<string, string> = { 'x-requested-with': 'studioflow-test', ...(opts.headers ?? {}) };
      const key = opts.key === undefined ? keys.admin : opts.key;
      if (key) headers.authorization = `Bearer ${key}`;
      let payload: string | Buffer | undefined = opts.raw;
      if (payload === undefined && body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${server.url}${urlPath}`, { method, headers, body: payload as BodyInit | undefined });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body: parsed as any };
    },
    async brand(fields = {}) {
      const res = await stack.request('POST', '/api/v1/brands', {
        name: 'Lumen Coffee',
        slogan: 'Brewed with light',
        mission: 'Make specialty coffee part of every morning',
        voice: 'warm, expert, playful',
        category: 'Food & beverage',
        keywords: ['specialty coffee', 'single origin', 'home brewing'],
        colors: { primary: '#2d1b69', secondary: '#f59e0b' },
        ...fields,
      });
      if (res.status !== 201) throw new Error(`Creating a brand failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async startWorkers(kinds = ['main', 'media', 'browser'], workflowBundle) {
      if (running) throw new Error('Workers already running');
      const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
      const deps = createWorkerDependencies(config, kinds, { db });
      const workers = await createWorkers({
        connection: workerConnection,
        deps,
        kinds,
        prefix: `${id}-`,
        namespace: config.temporal.namespace,
        workflowBundle: workflowBundle ?? { codePath: required('STUDIOFLOW_TEST_WORKFLOW_BUNDLE') },
      });
      const done = Promise.allSettled(workers.map((w) => w.run()));
      running = { workers, done, deps, connection: workerConnection };
    },
    async stopWorkers() {
      if (!running) return;
      for (const w of running.workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running.done;
      await running.deps.close();
      await running.connection.close();
      running = undefined;
    },
    async stop() {
      await stack.stopWorkers();
      await stopServer(server);
      await connection.close();
      await db.close();
    },
  };
  if ((options.workers ?? ['main', 'media', 'browser']).length > 0) await stack.startWorkers(options.workers);
  return stack;
}

/** Polls a run until `predicate` holds; returns the run. */
export async function waitForRun(
  stack: TestStack,
  runId: string,
  predicate: (run: any) => boolean,
  timeoutMs = 60_000,
): Promise<any> {
  return waitFor(
    `run ${runId}`,
    async () => {
      const res = await stack.request('GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
      return res.status === 200 && predicate(res.body) ? res.body : undefined;
    },
    timeoutMs,
    250,
  );
}
