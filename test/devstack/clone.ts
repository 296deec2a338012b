/**
 * A fresh clone of this repository where a newcomer would put it, and `npm run dev` run in it as
 * they would (same command, only the ports moved so the test never meets another stack).
 * node_modules is borrowed from this checkout so nothing is reinstalled.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../temporal/dev-server';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const CI_USER = 'studioflow-ci';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function sh(command: string, args: string[], options: { uid?: number; gid?: number } = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr || String(r.error)}`);
  return r.stdout.trim();
}

export function currentAccount(): Account {
  const info = os.userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid, home: info.homedir };
}

/** A non-root account: ourselves when we are not root, else one made for the test. */
export function nonRootAccount(): Account {
  if (process.getuid?.() !== 0) return currentAccount();
  if (spawnSync('id', ['-u', CI_USER]).status !== 0)
    sh('useradd', ['--create-home', '--shell', '/bin/bash', '--comment', 'Studioflow dev-command test', CI_USER]);
  const [, , uid, gid, , home] = sh('getent', ['passwd', CI_USER]).split(':');
  return { name: CI_USER, uid: Number(uid), gid: Number(gid), home };
}

const canRead = (account: Account, dir: string) =>
  spawnSync('sh', ['-c', 'cd "$1" && test -r .package-lock.json', 'sh', dir], {
    uid: account.uid,
    gid: account.gid,
    stdio: 'ignore',
  }).status === 0;

/**
 * Clones HEAD into a new private (0700) folder under `parent`, owned by `account`. node_modules links
 * to this checkout's packages, except the PostgreSQL binaries, which are copied into the clone as an
 * install would put them (inside the private folder, out of the postgres user's reach).
 */
export function cloneInto(parent: string, account: Account): { dir: string; remove(): void } {
  const top = fs.mkdtempSync(path.join(parent, 'studioflow-devstack-'));
  try {
    return { dir: fillClone(top, account), remove: () => fs.rmSync(top, { recursive: true, force: true }) };
  } catch (err) {
    fs.rmSync(top, { recursive: true, force: true });
    throw err;
  }
}

function fillClone(top: string, account: Account): string {
  fs.chmodSync(top, 0o700);
  const dir = path.join(top, 'studioflow');
  sh('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, dir]);
  const modules = fs.realpathSync(path.join(repoRoot, 'node_modules'));
  const own = path.join(dir, 'node_modules');
  const other = account.uid !== process.getuid?.();
  if (other) sh('chown', ['-R', `${account.uid}:${account.gid}`, top]);
  if (other && !canRead(account, modules)) {
    // This checkout is private (e.g. under /root): hard links (or, across file systems, a copy),
    // left owned by root since a hard link shares its owner with the original.
    if (spawnSync('cp', ['-al', modules, own]).status !== 0) sh('cp', ['-a', modules, own]);
    fs.rmSync(path.join(own, '@embedded-postgres'), { recursive: true });
  } else {
    fs.mkdirSync(own);
    for (const entry of fs.readdirSync(modules)) {
      if (entry !== '@embedded-postgres') fs.symlinkSync(path.join(modules, entry), path.join(own, entry));
    }
  }
  fs.cpSync(path.join(modules, '@embedded-postgres'), path.join(own, '@embedded-postgres'), { recursive: true });
  if (other) {
    fs.chownSync(own, account.uid, account.gid);
    sh('chown', ['-R', `${account.uid}:${account.gid}`, path.join(own, '@embedded-postgres')]);
  }
  return dir;
}

export interface DevRun {
  child: ChildProcess;
  ports: Record<'api' | 'temporal' | 'ui' | 'postgres' | 'metrics' | 'smtp', number>;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm run dev` in the clone as `account`, with a plain login environment and its own ports. */
export async function npmRunDev(
  dir: string,
  account: Account,
  graceSeconds: number,
  fixed: Partial<DevRun['ports']> = {},
): Promise<DevRun> {
  const ports = {
    api: fixed.api ?? (await freePort()),
    temporal: await freePort(),
    ui: await freePort(),
    postgres: await freePort(),
    metrics: await freePort(),
    smtp: await freePort(),
  };
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(process.execPath)}:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: account.home,
    USER: account.name,
    LOGNAME: account.name,
    LANG: 'C.UTF-8',
    API_PORT: String(ports.api),
    PUBLIC_URL: `http://localhost:${ports.api}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    TEMPORAL_UI_PORT: String(ports.ui),
    TEMPORAL_UI_URL: `http://localhost:${ports.ui}`,
    EMBEDDED_POSTGRES_PORT: String(ports.postgres),
    WORKER_METRICS_PORT: String(ports.metrics),
    SMTP_PORT: String(ports.smtp),
    WORKER_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
  };
  const child = spawn('npm', ['run', 'dev'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(account.uid !== process.getuid?.() && { uid: account.uid, gid: account.gid }),
  });
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ports, output: () => output, exited };
}

/** Resolves when /readyz answers 200; rejects when the command exits first or time runs out. */
export async function waitReady(run: DevRun, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`npm run dev exited before /readyz answered:\n${run.output().slice(-4000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${run.ports.api}/readyz`, { signal: AbortSignal.timeout(3_000) });
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`/readyz did not answer 200 in ${timeoutMs / 1000} s:\n${run.output().slice(-4000)}`);
}

function stat(pid: number): { ppid: number; started: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), started: fields[19] };
  } catch {
    return undefined;
  }
}

export interface Proc {
  pid: number;
  started: string;
}

/** Every process below `root` (itself included). */
export function processTree(root: number): Proc[] {
  const all = fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map((n) => ({ pid: Number(n), ...stat(Number(n)) }))
    .filter((p): p is Proc & { ppid: number } => p.started !== undefined);
  const tree = all.filter((p) => p.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i].pid));
  return tree.map(({ pid, started }) => ({ pid, started }));
}

export const stillRunning = (procs: Proc[]) => procs.filter((p) => stat(p.pid)?.started === p.started);

/** Processes anywhere on the machine whose command line or working folder mentions `dir`. */
export function processesMentioning(dir: string): string[] {
  const found: string[] = [];
  for (const name of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      if (cmd.includes(dir) || cwd.startsWith(dir)) found.push(`${name}: ${cmd}`);
    } catch {
      // gone, or not ours to see
    }
  }
  return found;
}
