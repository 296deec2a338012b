/**
 * The pieces `npm run dev` relies on to name a port's holder and to leave nothing behind: real
 * sockets and real processes (Linux /proc and util-linux setpriv, as on the CI machine).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { canListen, commandLine, describePortOwner, portOwner } from '../../lib/port-owner';
import { parentDeathSupported } from '../../lib/process-tie';

const root = path.resolve(__dirname, '..', '..');
const alive = (pid: number) =>
  fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** Runs a TypeScript snippet under `sh` (which, like npm's shell, does not pass signals on); resolves its first line. */
function runUnderShell(code: string): Promise<{ shell: number; line: string; output: () => string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dev-processes-')), 'child.ts');
  fs.writeFileSync(file, code.replaceAll('@root', root));
  const shell = spawn('sh', ['-c', `"${process.execPath}" --import tsx "${file}"; echo shell-done`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  return new Promise((resolve) => {
    shell.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ shell: shell.pid!, line: out.split('\n')[0], output: () => out });
    });
  });
}

describe('port owner', () => {
  it('names the process listening on a port, and nothing on a free one', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      expect(portOwner(port)).toEqual({ pid: process.pid, command: commandLine(process.pid) });
      expect(describePortOwner(port)).toMatch(new RegExp(`^pid ${process.pid} \\(`));
      expect(await canListen(port)).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(portOwner(port)).toBeUndefined();
    expect(await canListen(port)).toBe(true);
  });
});

describe('process ties', () => {
  it('has setpriv with --pdeathsig on this machine', () => {
    expect(parentDeathSupported()).toBe(true);
  });

  it('a tied child dies when its parent is killed with SIGKILL', async () => {
    const run = await runUnderShell(`
      import { spawnTied } from '@root/lib/process-tie';
      const child = spawnTied('sleep', ['60'], { stdio: 'ignore' });
      console.log(process.pid + ' ' + child.pid);
      setInterval(() => undefined, 1000);
    `);
    const [parent, child] = run.line.split(' ').map(Number);
    expect(alive(child)).toBe(true);
    process.kill(parent, 'SIGKILL');
    expect(await until(() => !alive(child), 5_000)).toBe(true);
  });

  it('the launcher notices when the shell that started it dies without passing the signal on', async () => {
    const run = await runUnderShell(`
      import fs from 'node:fs';
      import { watchLaunchers } from '@root/lib/process-tie';
      watchLaunchers((why) => { fs.writeSync(1, 'gone: ' + why + '\\n'); process.exit(0); }, 100);
      console.log(String(process.pid));
      setInterval(() => undefined, 1000);
    `);
    const launched = Number(run.line);
    process.kill(run.shell, 'SIGTERM');
    expect(await until(() => !alive(launched), 5_000)).toBe(true);
  });
});
