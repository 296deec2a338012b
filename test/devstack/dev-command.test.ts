/**
 * The README's first command, where newcomers clone: `npm run dev` in a private (0700) folder as
 * root (the embedded PostgreSQL runs as another user, who cannot enter it) and in a clone owned by a
 * non-root user; /readyz must answer 200, and a SIGTERM to npm must leave no process and no port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { canListen, commandLine } from '../../lib/port-owner';
import { ensureTemporalCli } from '../../temporal/cli';
import {
  cloneInto,
  currentAccount,
  nonRootAccount,
  npmRunDev,
  processesMentioning,
  processTree,
  stillRunning,
  waitReady,
  type Account,
  type DevRun,
} from './clone';

const GRACE_SECONDS = 10;
/** scripts/dev.ts gives each child the workers' grace period plus 5 s, then stops PostgreSQL. */
const SHUTDOWN_LIMIT_MS = (GRACE_SECONDS + 5) * 1000 + 5_000;
const START_LIMIT_MS = 240_000;

jest.setTimeout(START_LIMIT_MS + SHUTDOWN_LIMIT_MS + 60_000);

const removals: (() => void)[] = [];
afterAll(() => {
  for (const remove of removals.reverse()) remove();
});

beforeAll(async () => {
  // Built or found once per machine; as root this also publishes it for other users (README).
  await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH);
});

/** A private (0700) folder under the temporary folder, removed after every clone in it. */
function privateFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'private-'));
  removals.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function freeAll(ports: number[]): Promise<number[]> {
  const taken: number[] = [];
  for (const port of ports) if (!(await canListen(port))) taken.push(port);
  return taken;
}

/** Starts, waits for /readyz, SIGTERMs npm, and checks that nothing of the stack is left. */
async function startAndStop(account: Account, parent: string) {
  const clone = cloneInto(parent, account);
  const run: DevRun = await npmRunDev(clone.dir, account, GRACE_SECONDS);
  const link = path.join(clone.dir, 'data', 'postgres');
  removals.push(() => {
    run.child.kill('SIGKILL');
    const relocated = fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink() ? fs.readlinkSync(link) : '';
    clone.remove();
    if (relocated.startsWith('/var/lib/studioflow/clusters/'))
      for (const file of [relocated, `${relocated}.link`]) fs.rmSync(file, { recursive: true, force: true });
  });

  await waitReady(run, START_LIMIT_MS);
  const clusterDir = fs.realpathSync(link);
  const tree = processTree(run.child.pid!);
  // npm, its shell, tsx, scripts/dev.ts, the API, the worker, Temporal and PostgreSQL at least.
  expect(tree.length).toBeGreaterThanOrEqual(8);

  const signalled = Date.now();
  run.child.kill('SIGTERM');
  const ports = Object.values(run.ports);
  let left = stillRunning(tree);
  let taken = await freeAll(ports);
  while ((left.length > 0 || taken.length > 0) && Date.now() - signalled < SHUTDOWN_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 250));
    left = stillRunning(tree);
    taken = await freeAll(ports);
  }
  const output = run.output();
  expect({ left, taken }).toEqual({ left: [], taken: [] });
  expect([...processesMentioning(clone.dir), ...processesMentioning(clusterDir)]).toEqual([]);
  expect(output).toContain('Stopped in');
  expect(output).not.toMatch(/^\s+at /m);
  return { clone, clusterDir, output };
}

describe('npm run dev in a fresh clone', () => {
  it('comes up from a 0700 folder as the current user (root: PostgreSQL as postgres, relocated) and stops on SIGTERM', async () => {
    const me = currentAccount();
    const { clone, clusterDir, output } = await startAndStop(me, privateFolder());
    if (me.uid === 0) {
      // The postgres user cannot enter the clone: its cluster lives under /var/lib/studioflow.
      expect(clusterDir).toMatch(/^\/var\/lib\/studioflow\/clusters\/[0-9a-f]{16}$/);
      expect(output).toContain(`its files are in ${clusterDir}`);
    } else {
      expect(clusterDir).toBe(path.join(clone.dir, 'data', 'postgres'));
    }
  });

  it('comes up from a clone owned by a non-root user and stops on SIGTERM', async () => {
    const account = nonRootAccount();
    expect(account.uid).not.toBe(0);
    const { clone, clusterDir } = await startAndStop(account, account.home);
    expect(clusterDir).toBe(path.join(clone.dir, 'data', 'postgres'));
    expect(fs.statSync(clusterDir).uid).toBe(account.uid);
  });

  it('explains a port already taken, naming the process, and starts nothing', async () => {
    const me = currentAccount();
    const clone = cloneInto(privateFolder(), me);
    removals.push(clone.remove);
    // The API's port is held by this test process before the command starts.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const again = await npmRunDev(clone.dir, me, GRACE_SECONDS, { api: port });
    try {
      const code = await again.exited;
      expect(code).not.toBe(0);
      expect(again.output()).toContain(
        `Port ${port} (the API) is taken by pid ${process.pid} (${commandLine(process.pid).slice(0, 100)}`,
      );
      expect(again.output()).not.toMatch(/^\s+at /m);
      expect(fs.existsSync(path.join(clone.dir, 'data', 'postgres', 'PG_VERSION'))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
