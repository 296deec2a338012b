/**
 * Runs the media queue's command-line tools (ffmpeg, ffprobe, espeak-ng) from an activity. Unlike `execFile` it feeds
 * stdin, can stream stdout (ffmpeg's `-progress pipe:1`), and stops a tool politely: SIGTERM first, SIGKILL after a
 * grace period, and it settles only once the process has exited, so a caller's `finally` can remove the files the
 * tool was writing. On Linux the tool also dies with the worker (`parent-death.ts`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { dieWithParent, wrapperExecError } from './parent-death';
import { failure } from '../../lib/failures';

export interface ToolRunOptions {
  /** The longest the tool may run; past it the tool is stopped and the run fails with a retryable `Timeout`. */
  timeoutMs: number;
  /** The activity's cancellation signal: aborting it stops the tool and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Written to stdin, which is then closed; without it stdin is not connected. */
  input?: string | Buffer;
  /** Receives stdout as it arrives; stdout is then not collected. */
  onStdout?: (chunk: Buffer) => void;
  /** Bytes of stdout kept when collected; more fails the run. Default 64 MiB. */
  maxOutputBytes?: number;
  /** How long a stopped tool gets between SIGTERM and SIGKILL. Default 2 s. */
  killGraceMs?: number;
  cwd?: string;
  /** How to install the tool, for the message when the binary is missing (`apt-get install -y ffmpeg`). */
  install: string;
}

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
}

/** The tool ran and exited with a failure; the caller decides what that means. */
export class ToolExitError extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly exitSignal: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    super(`${tool} exited with ${exitCode ?? exitSignal}: ${lastLines(stderr, 3) || 'no error output'}`);
    this.name = 'ToolExitError';
  }
}

const STDERR_KEEP = 64 * 1024;

/** The last non-empty lines of a tool's error output, joined with " | ". */
export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}

/**
 * Resolves with stdout and stderr when the tool exits with 0. Rejects with the signal's reason when it was aborted,
 * `ProviderMisconfigured` (non-retryable) when the binary is missing, a retryable `Timeout` when it ran too long, a
 * retryable `ToolFailed` when it wrote more than allowed, and a `ToolExitError` for any other failure.
 */
export function runTool(binary: string, args: readonly string[], options: ToolRunOptions): Promise<ToolResult> {
  const { signal, timeoutMs } = options;
  const name = path.basename(binary);
  const maxOutput = options.maxOutputBytes ?? 64 * 1024 * 1024;
  const killGraceMs = options.killGraceMs ?? 2_000;

  return new Promise<ToolResult>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const command = dieWithParent(binary, args);
    const child = spawn(command.command, command.args, {
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });

    // Both pipes exist: stdio asks for them (TypeScript cannot tell from the array).
    const stdoutPipe = child.stdout!;
    const stderrPipe = child.stderr!;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    /** Why the tool was stopped, when it was; the rejection once it has exited. */
    let stopReason: unknown;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const running = () => child.exitCode === null && child.signalCode === null;
    const stop = (reason: unknown) => {
      if (stopReason !== undefined) return;
      stopReason = reason;
      if (!running()) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        if (running()) child.kill('SIGKILL');
      }, killGraceMs);
    };
    const onAbort = () => stop(abortReason(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => stop(failure('Timeout', `${name} ran longer than ${timeoutMs} ms`)), timeoutMs);

    const finish = (err: unknown, result?: ToolResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (err !== undefined) reject(err);
      else resolve(result!);
    };

    stdoutPipe.on('data', (chunk: Buffer) => {
      if (options.onStdout) return options.onStdout(chunk);
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutput) {
        stop(failure('ToolFailed', `${name} wrote more than ${maxOutput} bytes`));
        return;
      }
      stdout.push(chunk);
    });
    stderrPipe.setEncoding('utf8');
    stderrPipe.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });

    const notFound = () => failure('ProviderMisconfigured', `${binary} was not found; install it (${options.install})`);

    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return finish(notFound());
      // Spawn failures other than a missing binary (EACCES, EAGAIN) leave no process behind.
      if (child.pid === undefined) return finish(err);
      stop(err);
    });

    child.on('close', (code, exitSignal) => {
      if (stopReason !== undefined) return finish(stopReason);
      if (code === 0) return finish(undefined, { stdout: Buffer.concat(stdout), stderr });
      if (command.command !== binary && wrapperExecError(code, stderr) === 'ENOENT') return finish(notFound());
      finish(new ToolExitError(name, code, exitSignal, stderr));
    });

    if (child.stdin) {
      // A tool that exits before reading all its input closes the pipe: its exit status says what happened.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new Error('The activity was cancelled');
}
