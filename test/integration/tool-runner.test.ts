/**
 * runTool with real processes: output, a missing binary, cancellation, and a tool that dies with its worker when the
 * worker is SIGKILLed (on Linux, through setpriv's parent-death signal) instead of running on as an orphan.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findSetpriv } from '../../activities/media/parent-death';
import { runTool } from '../../activities/media/tool-runner';
import { waitFor } from '../support/harness';
import { childProcesses, isRunning, kill } from '../support/worker-process';

const install = 'apt-get install -y coreutils';

it('runs a tool and returns its output', async () => {
  const { stdout } = await runTool('echo', ['frames', 'rendered'], { timeoutMs: 10_000, install });
  expect(stdout.toString()).toBe('frames rendered\n');
});

it('reports a missing binary as ProviderMisconfigured with how to install it', async () => {
  await expect(runTool('/nonexistent/ffmpeg', ['-version'], { timeoutMs: 10_000, install })).rejects.toMatchObject({
    type: 'ProviderMisconfigured',
    nonRetryable: true,
    message: `/nonexistent/ffmpeg was not found; install it (${install})`,
  });
});

it('stops the tool when the activity is cancelled', async () => {
  const controller = new AbortController();
  const running = runTool('sleep', ['57.25'], { timeoutMs: 60_000, install, signal: controller.signal });
  await waitFor('sleep to start', async () => childProcesses(process.pid, 'sleep').length > 0, 10_000, 20);
  const [pid] = childProcesses(process.pid, 'sleep');
  controller.abort(new Error('cancelled'));
  await expect(running).rejects.toThrow('cancelled');
  expect(isRunning(pid)).toBe(false);
});

it('ends the tool when its worker process is SIGKILLed', async () => {
  expect(findSetpriv()).not.toBeNull();
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'fixtures', 'run-tool-child.ts'), 'sleep', '58.5'],
    { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    await waitFor('the worker to start sleep', async () => childProcesses(worker.pid!, 'sleep').length > 0, 30_000, 20);
    const [tool] = childProcesses(worker.pid!, 'sleep');
    await kill(worker);
    // Without the parent-death signal the tool would be reparented and sleep on for a minute.
    await waitFor('the tool to die with its worker', async () => !isRunning(tool), 5_000, 20);
  } finally {
    await kill(worker);
  }
});
