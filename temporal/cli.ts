/**
 * Finds the Temporal CLI (which contains the dev server and Web UI), or installs it into a
 * per-user cache every clone shares, so CI builds it once per machine. Root also publishes it to
 * /var/cache/studioflow/bin, where every other user of the machine finds it without a build.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const TEMPORAL_CLI_VERSION = '1.5.1';
/** Later versions of the CLI module cannot be built with `go install` (replace directives). */
const GO_MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

export const cacheBinDir = () => path.join(os.homedir(), '.cache', 'studioflow', 'bin');
const cachedCli = () => path.join(cacheBinDir(), 'temporal');
/** Machine-wide copy, written by root, read by everyone. */
export const SHARED_CLI = `/var/cache/studioflow/bin/temporal-${TEMPORAL_CLI_VERSION}`;

const isExecutable = (p: string) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function onPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = found.stdout.trim();
  return found.status === 0 && p ? p : undefined;
}

/** The CLI's path without installing anything, or undefined. */
export function findTemporalCli(explicit?: string): string | undefined {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  if (isExecutable(cachedCli())) return cachedCli();
  if (isExecutable(SHARED_CLI)) return SHARED_CLI;
  return onPath('temporal');
}

/** As root, copy the CLI where users without it find it (their own cache starts empty). */
function publishShared(cli: string) {
  if (process.getuid?.() !== 0 || cli === SHARED_CLI || isExecutable(SHARED_CLI)) return;
  try {
    fs.mkdirSync(path.dirname(SHARED_CLI), { recursive: true, mode: 0o755 });
    fs.copyFileSync(cli, `${SHARED_CLI}.tmp`);
    fs.chmodSync(`${SHARED_CLI}.tmp`, 0o755);
    fs.renameSync(`${SHARED_CLI}.tmp`, SHARED_CLI);
  } catch {
    // Only a convenience for other users; they can still build their own.
  }
}

async function downloadCli(log: (line: string) => void): Promise<boolean> {
  const arch = os.arch() === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/v${TEMPORAL_CLI_VERSION}?platform=${os.platform()}&arch=${arch}`;
  log(`downloading ${url}`);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-cli-'));
    const archive = path.join(tmp, 'cli.tar.gz');
    fs.writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    await promisify(execFile)('tar', ['-xzf', archive, '-C', tmp]);
    fs.mkdirSync(cacheBinDir(), { recursive: true });
    fs.copyFileSync(path.join(tmp, 'temporal'), `${cachedCli()}.tmp`);
    fs.chmodSync(`${cachedCli()}.tmp`, 0o755);
    fs.renameSync(`${cachedCli()}.tmp`, cachedCli());
    fs.rmSync(tmp, { recursive: true, force: true });
    publishShared(cachedCli());
    return true;
  } catch (err) {
    log(`download failed: ${(err as Error).message}`);
    return false;
  }
}

const elapsed = (ms: number) => `${Math.floor(ms / 60_000)}m${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}s`;

/**
 * `go install -x` prints each command it runs (downloads, one compile per package, the link); a
 * line every 20 s says how long it has run, how far it got and what it is on, so a quiet stretch
 * does not look like a hang.
 */
async function goInstallCli(log: (line: string) => void): Promise<boolean> {
  if (!onPath('go')) return false;
  log(`building ${GO_MODULE} with go install (about 7 minutes, once per machine; progress every 20 s)`);
  fs.mkdirSync(cacheBinDir(), { recursive: true });
  const started = Date.now();
  const child = spawn('go', ['install', '-x', GO_MODULE], {
    env: { ...process.env, GOBIN: cacheBinDir() },
    cwd: os.tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let downloads = 0;
  let compiled = 0;
  let current = 'resolving the module graph';
  const tail: string[] = [];
  let rest = '';
  const onData = (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const compiling = /\/compile .* -p (\S+)/.exec(line)?.[1];
      if (line.startsWith('go: downloading ')) {
        downloads++;
        current = `downloading ${line.slice('go: downloading '.length)}`;
      } else if (compiling) {
        compiled++;
        current = `compiling ${compiling}`;
      } else if (/\/link /.test(line)) {
        current = 'linking the temporal binary';
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setInterval(
    () =>
      log(
        `  … ${elapsed(Date.now() - started)}: ${downloads} modules downloaded, ${compiled} packages compiled; ${current}`,
      ),
    20_000,
  );
  const stopChild = () => child.kill('SIGTERM');
  process.once('exit', stopChild);
  try {
    const code = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) {
      for (const line of tail.slice(-5)) log(`  ${line}`);
      return false;
    }
    log(`built the Temporal CLI in ${elapsed(Date.now() - started)}`);
    if (!isExecutable(cachedCli())) return false;
    publishShared(cachedCli());
    return true;
  } finally {
    clearInterval(timer);
    process.off('exit', stopChild);
  }
}

/** Finds the CLI or installs it: download where the network allows, else `go install`. */
export async function ensureTemporalCli(explicit?: string, log: (line: string) => void = console.log): Promise<string> {
  const found = findTemporalCli(explicit);
  if (found) {
    // Only our own build or download: its version is the one the shared file is named after.
    if (found === cachedCli()) publishShared(found);
    return found;
  }
  if ((await downloadCli(log)) || (await goInstallCli(log))) return cachedCli();
  throw new Error(
    `The Temporal CLI is not installed and could not be installed.\n` +
      `Install Go and run: GOBIN=${cacheBinDir()} go install ${GO_MODULE}\n` +
      `or set TEMPORAL_CLI_PATH to an existing 'temporal' binary.`,
  );
}
