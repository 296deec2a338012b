/**
 * Finds the Temporal CLI (which contains the dev server and Web UI), or installs it into a
 * per-user cache every clone shares, so CI builds it once per machine.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const TEMPORAL_CLI_VERSION = '1.5.1';
/** Later versions of the CLI module cannot be built with `go install` (replace directives). */
const GO_MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

export const cacheBinDir = () => path.join(os.homedir(), '.cache', 'studioflow', 'bin');
const cachedCli = () => path.join(cacheBinDir(), 'temporal');

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
  return onPath('temporal');
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
    return true;
  } catch (err) {
    log(`download failed: ${(err as Error).message}`);
    return false;
  }
}

async function goInstallCli(log: (line: string) => void): Promise<boolean> {
  if (!onPath('go')) return false;
  log(`building ${GO_MODULE} with go install (a few minutes, once per machine)`);
  fs.mkdirSync(cacheBinDir(), { recursive: true });
  const result = spawnSync('go', ['install', GO_MODULE], {
    env: { ...process.env, GOBIN: cacheBinDir() },
    cwd: os.tmpdir(),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status === 0 && isExecutable(cachedCli());
}

/** Finds the CLI or installs it: download where the network allows, else `go install`. */
export async function ensureTemporalCli(explicit?: string, log: (line: string) => void = console.log): Promise<string> {
  const found = findTemporalCli(explicit);
  if (found) return found;
  if ((await downloadCli(log)) || (await goInstallCli(log))) return cachedCli();
  throw new Error(
    `The Temporal CLI is not installed and could not be installed.\n` +
      `Install Go and run: GOBIN=${cacheBinDir()} go install ${GO_MODULE}\n` +
      `or set TEMPORAL_CLI_PATH to an existing 'temporal' binary.`,
  );
}
