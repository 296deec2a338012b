/**
 * `npm run dev`: everything on one machine, nothing to configure.
 * PostgreSQL (DATABASE_URL, or an embedded one in data/postgres), the Temporal dev server with
 * its Web UI (SQLite in data/temporal), the workers for every queue, and the API + UI.
 * Ctrl-C, a SIGTERM to npm, or the end of whatever started it stops it all (see lib/process-tie.ts);
 * data stays in data/ for next time. A failed start ends with one sentence, not a stack trace.
 */
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded';
import { config as loadConfig } from '../lib/config';
import { describePortOwner, isPortOpen } from '../lib/port-owner';
import { parentDeathSupported, spawnTied, watchLaunchers } from '../lib/process-tie';
import { startSmtpSink } from '../lib/smtp-sink';
import { ensureTemporalCli } from '../temporal/cli';
import { startDevServer } from '../temporal/dev-server';

const root = path.resolve(__dirname, '..');
const stops: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];
/** How long a child has after SIGTERM before SIGKILL: the workers' grace period plus a margin. */
let graceMs = 35_000;

function log(line: string) {
  console.log(`\x1b[36m[dev]\x1b[0m ${line}`);
}

/** Admin credentials for the first start, kept in data/ so every later start can print them. */
function devAdmin(dataDir: string, email: string, configured?: string) {
  const file = path.join(dataDir, 'dev-admin.json');
  if (configured) return { email, password: configured };
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as { email: string; password: string };
  const admin = { email, password: randomBytes(9).toString('base64url') };
  fs.writeFileSync(file, JSON.stringify(admin, null, 2), { mode: 0o600 });
  return admin;
}

function run(name: string, color: number, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawnTied(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${color}m[${name}]\x1b[0m `;
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) out.write(`${prefix}${line}\n`);
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      log(`${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('Stopping…');
  const started = Date.now();
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
          c.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  log(`Stopped in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  process.exit(code);
}

/** The ports this start will listen on; each taken one gets a sentence naming its holder. */
async function takenPorts(ports: { port: number; what: string; setting: string }[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { port, what, setting } of ports) {
    if (await isPortOpen(port))
      problems.push(`Port ${port} (${what}) is taken by ${describePortOwner(port)}; stop it or set ${setting}.`);
  }
  return problems;
}

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  // npm passes a SIGTERM only to its shell, which dies without passing it on: watch npm itself.
  watchLaunchers((why) => {
    log(`Stopping because ${why}.`);
    void shutdown(0);
  });
  if (!parentDeathSupported())
    log('setpriv (util-linux) not found: a SIGKILL to this script would leave its servers running');

  const config = loadConfig();
  graceMs = (config.worker.shutdownGraceSeconds + 5) * 1000;
  fs.mkdirSync(config.dataDir, { recursive: true });
  // An embedded PostgreSQL runs as the postgres user when we are root; it should reach data/ when it can.
  if (process.getuid?.() === 0) fs.chmodSync(config.dataDir, 0o755);

  const taken = await takenPorts([
    { port: config.api.port, what: 'the API', setting: 'API_PORT (and PUBLIC_URL)' },
    { port: config.worker.metricsPort, what: 'worker metrics', setting: 'WORKER_METRICS_PORT' },
    ...(config.database.url
      ? []
      : [{ port: config.database.embeddedPort, what: 'embedded PostgreSQL', setting: 'EMBEDDED_POSTGRES_PORT' }]),
  ]);
  if (taken.length > 0) {
    for (const problem of taken) log(problem);
    process.exit(1); // nothing is started yet
  }

  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    const dataDir = path.join(config.dataDir, 'postgres');
    log(`Starting embedded PostgreSQL on port ${config.database.embeddedPort} (${path.relative(root, dataDir)})`);
    const pg = await startEmbeddedPostgres({ dataDir, port: config.database.embeddedPort });
    stops.push(pg.stop);
    if (pg.clusterDir !== dataDir)
      log(`  its files are in ${pg.clusterDir}: the postgres user cannot enter this clone's folders`);
    databaseUrl = pg.url;
  } else {
    log('Using DATABASE_URL');
  }

  const cli = await ensureTemporalCli(config.temporal.cliPath, log);
  const port = Number(config.temporal.address.split(':').pop());
  log(`Starting the Temporal dev server on :${port} with the Web UI on :${config.temporal.uiPort}`);
  const temporal = await startDevServer({
    cliPath: cli,
    port,
    uiPort: config.temporal.uiPort,
    dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
    namespace: config.temporal.namespace,
    logFile: path.join(config.dataDir, 'temporal', 'server.log'),
  });
  if (!temporal.started)
    log(`Reusing the Temporal server already listening there${temporal.owner ? ` (${temporal.owner})` : ''}`);
  stops.push(temporal.stop);

  if (config.mail.devSink && ['127.0.0.1', '::1', 'localhost'].includes(config.mail.smtp.host)) {
    try {
      const sink = await startSmtpSink({
        host: config.mail.smtp.host,
        port: config.mail.smtp.port,
        dir: config.mail.sinkDir,
        onError: (err) => log(`mail sink: ${err.message}`),
      });
      stops.push(sink.close);
    } catch (err) {
      const holder =
        (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? describePortOwner(config.mail.smtp.port) : '';
      log(
        `Mail sink not started (${(err as Error).message}); mail goes to ${holder || 'whatever listens on'} ${config.mail.smtp.host}:${config.mail.smtp.port}`,
      );
    }
  }

  const admin = devAdmin(config.dataDir, config.bootstrap.adminEmail, config.bootstrap.adminPassword);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    BOOTSTRAP_ADMIN_PASSWORD: admin.password,
  };
  run('worker', 33, 'workers/all.worker.ts', env);
  run('api', 35, 'api/main.ts', env);

  log('');
  log(`Studioflow        ${config.api.publicUrl}`);
  log(`  log in as       ${admin.email} / ${admin.password}   (also in data/dev-admin.json)`);
  log(`Temporal Web UI   ${config.temporal.uiUrl}`);
  if (config.mail.devSink)
    log(
      `Mail (caught)     smtp://${config.mail.smtp.host}:${config.mail.smtp.port} → ${path.relative(root, config.mail.sinkDir)}/*.eml`,
    );
  log(`API docs          ${config.api.publicUrl}/api/v1/openapi.json`);
  log(`Readiness         ${config.api.publicUrl}/readyz`);
  const apiMetrics = config.api.metricsToken
    ? 'with Authorization: Bearer $METRICS_TOKEN'
    : config.env === 'production'
      ? 'closed until METRICS_TOKEN is set'
      : 'open in development; METRICS_TOKEN closes it';
  log(
    `Metrics           ${config.api.publicUrl}/metrics (${apiMetrics}), workers on :${config.worker.metricsPort}/metrics`,
  );
  log('Ctrl-C (or SIGTERM to npm) stops everything; data stays in data/.');
}

main().catch((err: unknown) => {
  // Every expected failure carries a sentence that says what to do; a stack trace would bury it.
  log(`Cannot start: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
