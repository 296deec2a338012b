/**
 * Starts the Temporal dev server (SQLite file or in memory, Web UI), waits until it answers,
 * and registers the search attributes. Reuses a Temporal server already listening on the port;
 * anything else there, or on the UI port, is an error that names the process holding it.
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { describePortOwner, isPortOpen, portOwner } from '../lib/port-owner';
import { spawnTied } from '../lib/process-tie';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { ensureSearchAttributes } from './setup';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** Persistent SQLite file; in memory when absent. */
  dbFile?: string;
  namespace?: string;
  headless?: boolean;
  logFile?: string;
  ip?: string;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** Whether this call started the process (false: an existing server was reused). */
  started: boolean;
  /** For a reused server: who runs it, when we can tell. */
  owner?: string;
  stop(): Promise<void>;
}

/** A port held by something that is not the server we expect. */
export class PortTakenError extends Error {}

export { isPortOpen };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForFrontend(address: string, child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal at ${address} did not become ready in ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const address = `${ip}:${options.port}`;
  const namespace = options.namespace ?? 'default';
  const uiUrl = options.headless ? undefined : `http://localhost:${options.uiPort ?? options.port + 1000}`;

  if (await isPortOpen(options.port, ip)) {
    const owner = portOwner(options.port) ? describePortOwner(options.port) : undefined;
    try {
      await waitForFrontend(address, undefined, 10_000);
    } catch {
      throw new PortTakenError(
        `Port ${options.port} (Temporal) is taken by ${describePortOwner(options.port)}, which does not answer as Temporal; stop it or set TEMPORAL_ADDRESS to another port.`,
      );
    }
    await ensureSearchAttributes(address, namespace);
    return { address, uiUrl, started: false, owner, stop: async () => undefined };
  }
  if (!options.headless && options.uiPort && (await isPortOpen(options.uiPort, ip)))
    throw new PortTakenError(
      `Port ${options.uiPort} (Temporal Web UI) is taken by ${describePortOwner(options.uiPort)}; stop it or set TEMPORAL_UI_PORT to another port.`,
    );

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--namespace', namespace];
  args.push('--log-level', 'warn', '--log-format', 'json');
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.headless) args.push('--headless');
  else if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawnTied(options.cliPath, args, { stdio: ['ignore', out, out] });
  await waitForFrontend(address, child, 60_000);
  // A persistent database created before an attribute existed does not get it from the flag.
  await ensureSearchAttributes(address, namespace);

  return {
    address,
    uiUrl,
    started: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
