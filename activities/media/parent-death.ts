/**
 * Ties a tool's life to its worker's. A worker that is SIGKILLed or OOM-killed cannot stop its children, and an
 * orphaned ffmpeg would encode on, unseen, beside the retry that renders the same video again. On Linux the tool is
 * therefore started through util-linux's `setpriv --pdeathsig SIGKILL`, which asks the kernel to kill it when the
 * thread that spawned it ends (Node spawns from its main thread, which lives as long as the process), then execs the
 * tool in place: same pid, so signals and exit status are the tool's own. Without setpriv (not Linux, or util-linux
 * missing) the tool is started directly, as before.
 */
import fs from 'node:fs';

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv'];

let setprivPath: string | null | undefined;

/** util-linux's setpriv when this machine has one (looked up once). */
export function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath =
      process.platform === 'linux'
        ? (SETPRIV_CANDIDATES.find((candidate) => {
            try {
              fs.accessSync(candidate, fs.constants.X_OK);
              return true;
            } catch {
              return false;
            }
          }) ?? null)
        : null;
  }
  return setprivPath;
}

/** The command that runs `binary args` and dies with this process: the wrapper when there is one. */
export function dieWithParent(
  binary: string,
  args: readonly string[],
  setpriv: string | null = findSetpriv(),
): { command: string; args: string[] } {
  if (!setpriv) return { command: binary, args: [...args] };
  return { command: setpriv, args: ['--pdeathsig', 'SIGKILL', '--', binary, ...args] };
}

/**
 * setpriv reports a tool it could not exec with status 127 (not found) or 126 (not executable) and
 * `setpriv: failed to execute <binary>: <reason>` on stderr; the code a direct spawn would have failed with.
 */
export function wrapperExecError(exitCode: number | null, stderr: string): 'ENOENT' | 'EACCES' | null {
  if (exitCode !== 127 && exitCode !== 126) return null;
  if (!/^setpriv: failed to execute /m.test(stderr)) return null;
  return exitCode === 127 ? 'ENOENT' : 'EACCES';
}
