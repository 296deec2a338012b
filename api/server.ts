/** Starts and stops the HTTP server; tests listen on port 0. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp, type AppDependencies, type Services } from './app';
import type { StartLane } from './start-lane';

export interface RunningServer {
  server: http.Server;
  app: Express;
  services: Services;
  /** API-key run starts answered before Express (api/start-lane.ts). */
  lane: StartLane;
  url: string;
  port: number;
}

export async function startServer(
  deps: AppDependencies,
  listen: { port: number; host?: string },
): Promise<RunningServer> {
  const { app, services, lane } = createApp(deps);
  const server = http.createServer((req, res) => {
    if (!lane(req, res)) app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Idle keep-alive connections outlive a load balancer's (60 s is the common default): a server that closes first
  // races the client's next request on that socket, and the client sees a reset instead of an answer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // The webhook inbox drains from the process that accepts deliveries (api/services/delivery-dispatcher.ts).
  if (deps.config.webhooks.dispatcher.enabled) services.dispatcher.start();
  const port = (server.address() as AddressInfo).port;
  return { server, app, services, lane, port, url: `http://127.0.0.1:${port}` };
}

/**
 * Stops accepting connections and ends open ones (SSE streams would otherwise hold it open), then lets the delivery
 * dispatcher finish the starts in flight.
 */
export async function stopServer(running: RunningServer): Promise<void> {
  await new Promise<void>((resolve) => {
    running.server.close(() => resolve());
    running.server.closeAllConnections();
  });
  await running.services.dispatcher.stop();
  await running.services.close();
}
