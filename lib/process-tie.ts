/**
 * Ties the processes a development command starts to the command itself, so no server outlives
 * it however it ends: each child gets a parent-death signal (`setpriv --pdeathsig`, util-linux),
 * and the launcher watches the processes that launched it (npm, its shell, the tsx CLI) because
 * npm passes SIGTERM only to its shell, which dies without passing it on.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandLine } from './port-owner';

let setprivPath: string | null | undefined;
function setpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform === 'linux') {
    for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
      // Older util-linux builds lack --pdeathsig.
      if (
        fs.existsSync(candidate) &&
        spawnSync(candidate, ['--help'], { encoding: 'utf8' }).stdout?.includes('pdeathsig')
      )
        return (setprivPath = candidate);
    }
  }
  return setprivPath;
}

/** Whether children started with spawnTied die with their parent on this system. */
export const parentDeathSupported = () => setpriv() !== null;

/**
 * spawn(), but the child receives `signal` when this process dies, even by SIGKILL. The signal is set
 * after spawn's uid/gid switch (setpriv runs as the target user), so it survives the credential change.
 */
export function spawnTied(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { deathSignal?: NodeJS.Signals } = {},
): ChildProcess {
  const { deathSignal = 'SIGTERM', ...rest } = options;
  const wrapper = setpriv();
  if (!wrapper) return spawn(command, args, rest);
  return spawn(wrapper, ['--pdeathsig', deathSignal.replace(/^SIG/, ''), '--', command, ...args], rest);
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces and parentheses: parse after its closing ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const LAUNCHERS = new Set(['node', 'npm', 'npx', 'sh', 'dash', 'bash', 'tsx']);

/** The processes between the command the user typed (npm run dev) and us, nearest first. */
export function launcherChain(maxDepth = 5): { pid: number; started: string }[] {
  const chain: { pid: number; started: string }[] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < maxDepth && pid > 1; depth++) {
    const argv = commandLine(pid);
    const started = startTime(pid);
    if (!argv || !started) break;
    const program = path.basename(argv.split(' ')[0]);
    const isNpm = /(^|[\s/])npm([\s-]|$)/.test(argv) || argv.includes('npm-cli.js');
    if (!LAUNCHERS.has(program) && !isNpm && !argv.includes('tsx')) break;
    chain.push({ pid, started });
    if (isNpm) break;
    const parent = parentOf(pid);
    if (parent === undefined) break;
    pid = parent;
  }
  return chain;
}

/**
 * Calls onGone once when a process that launched us exits (or we are re-parented), polling /proc.
 * Returns a function that stops watching.
 */
export function watchLaunchers(onGone: (why: string) => void, intervalMs = 500): () => void {
  const chain = launcherChain();
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) return fire(`its parent process ${parent} exited`);
    for (const { pid, started } of chain) {
      if (startTime(pid) !== started) return fire(`the process that started it (pid ${pid}) exited`);
    }
  }, intervalMs);
  timer.unref();
  function fire(why: string) {
    clearInterval(timer);
    onGone(why);
  }
  return () => clearInterval(timer);
}
