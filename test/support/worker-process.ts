/**
 * Real worker processes for the crash tests: started like `npm run start:worker` and friends, and killed with SIGKILL
 * so that nothing gets the chance to shut down cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Starts `workers/<entry>` (e.g. `all.worker.ts`) under tsx from the repo root, with `env` over this process's
 * environment. Only stderr is shown, so a crash on start is visible without the workers' logs drowning the output.
 */
export function spawnWorker(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join('workers', entry)], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** SIGKILLs the process and resolves once it has exited (at once if it already has). */
export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Pids of the running processes named `name` whose parent is `parentPid` (from /proc; Linux only). */
export function childProcesses(parentPid: number, name: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const comm = /^Name:\s+(\S+)/m.exec(status)?.[1];
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (comm === name && ppid === parentPid && state !== 'Z') pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Whether the process exists and has not ended (a zombie waiting to be reaped counts as ended; Linux only). */
export function isRunning(pid: number): boolean {
  try {
    const state = /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
