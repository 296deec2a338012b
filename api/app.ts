/** The Express application: wiring of routes → services → repositories. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { createLocalFileStorage, resolveStoragePath } from '../activities/storage';
import type { Database } from '../db';
import { createAccountRepository } from '../db/repositories/account.repository';
import { createBrandRepository } from '../db/repositories/brand.repository';
import { createPostRepository } from '../db/repositories/post.repository';
import { createWebhookRepository } from '../db/repositories/webhook.repository';
import type { Config } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { logger as rootLogger } from '../lib/logger';
import { createAutomationRegistry } from './automations';
import { createMetrics } from './metrics';
import { authenticate } from './middleware/auth';
import { errorHandler, notFoundHandler } from './middleware/errors';
import { buildOpenApiDocument } from './openapi';
import { accountsRouter, authRouter } from './routes/accounts.routes';
import { brandsRouter } from './routes/brands.routes';
import { channelRouter } from './routes/channel.routes';
import { runsRouter } from './routes/runs.routes';
import { hooksRouter, webhookEndpointsRouter } from './routes/webhooks.routes';
import { createAccountService } from './services/account.service';
import { createBrandService } from './services/brand.service';
import { createRunService } from './services/run.service';
import { createSystemService } from './services/system.service';
import { createWebhookService } from './services/webhook.service';
import { z } from 'zod';

export interface AppDependencies {
  config: Config;
  db: Database;
  temporal: Client;
  /** Poll interval of server-sent event streams. */
  streamIntervalMs?: number;
}

const UI_DIR = path.resolve(__dirname, '..', 'ui');
const VERSION = '0.1.0';

export function createServices(deps: AppDependencies) {
  const { config } = deps;
  const brandRepo = createBrandRepository(deps.db);
  const automations = createAutomationRegistry({ brands: brandRepo });
  const accounts = createAccountService(createAccountRepository(), { sessionTtlHours: config.api.sessionTtlHours });
  const runs = createRunService({
    client: deps.temporal,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueues.main,
    temporalUiUrl: config.temporal.uiUrl,
    automations,
  });
  const webhooks = createWebhookService({
    webhooks: createWebhookRepository(),
    runs,
    automations,
    publicUrl: config.api.publicUrl,
    toleranceSeconds: config.webhooks.toleranceSeconds,
  });
  const brands = createBrandService(brandRepo, config.api.publicUrl);
  const system = createSystemService({
    sequelize: deps.db.sequelize,
    client: deps.temporal,
    namespace: config.temporal.namespace,
    taskQueues: config.temporal.taskQueues,
  });
  return { automations, accounts, runs, webhooks, brands, system, brandRepo, postRepo: createPostRepository() };
}

export type Services = ReturnType<typeof createServices>;

export function createApp(deps: AppDependencies): { app: Express; services: Services } {
  const { config } = deps;
  const services = createServices(deps);
  const metrics = createMetrics();
  const app = express();
  const fileStorage = createLocalFileStorage({ rootDir: config.filesDir, publicBaseUrl: config.api.publicUrl });
  app.disable('x-powered-by');
  app.set('trust proxy', config.api.trustProxy);

  app.use((req, res, next) => {
    const requestId = req.get('x-request-id')?.slice(0, 100) || randomUUID();
    res.set('x-request-id', requestId);
    res.locals.log = rootLogger('api').child({ requestId });
    const started = Date.now();
    res.on('finish', () =>
      res.locals.log.http('request', {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Date.now() - started,
      }),
    );
    next();
  });
  app.use(metrics.middleware);
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'SAMEORIGIN' });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const status = await services.system.status();
    res.status(status.ready ? 200 : 503).json(status);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const openapi = buildOpenApiDocument({
    publicUrl: config.api.publicUrl,
    automations: services.automations,
    version: VERSION,
  });
  const api = express.Router();
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // Inbound webhooks read their raw body themselves (the signature covers the exact bytes).
  api.use(hooksRouter(services.webhooks, { maxBytes: config.webhooks.maxBytes }));
  api.use(express.json({ limit: '256kb' }), cookieParser());
  api.use(
    authRouter(services.accounts, {
      secureCookies: config.api.secureCookies,
      temporalUiUrl: config.temporal.uiUrl,
      namespace: config.temporal.namespace,
    }),
  );
  api.use(authenticate(services.accounts));
  api.get('/automations', (_req, res) => {
    res.json({
      items: services.automations.list().map((a) => ({
        name: a.name,
        title: a.title,
        description: a.description,
        inputSchema: z.toJSONSchema(a.inputSchema, { io: 'input', unrepresentable: 'any' }),
      })),
    });
  });
  api.get('/system/status', async (_req, res) => {
    res.json(await services.system.status());
  });
  api.use(
    runsRouter(services.runs, {
      streamIntervalMs: deps.streamIntervalMs ?? 1000,
      onStarted: (automation) => metrics.runsStarted.inc({ automation, source: 'api' }),
    }),
  );
  api.use(brandsRouter(services.brands));
  api.use(accountsRouter(services.accounts));
  api.use(webhookEndpointsRouter(services.webhooks));
  app.use('/api/v1', api);

  app.use(
    channelRouter({
      brands: services.brandRepo,
      posts: services.postRepo,
      publicUrl: config.api.publicUrl,
      // The same URLs the workers' storage hands out (each key segment encoded).
      imageUrl: (key) => fileStorage.publicUrl(key),
    }),
  );

  // Stored files (post images, later reports and videos). Keys are validated against traversal.
  app.get('/files/*key', (req, res, next) => {
    const key = (req.params as { key: string[] }).key.join('/');
    let file: string;
    try {
      file = resolveStoragePath(config.filesDir, key);
    } catch {
      throw new NotFoundError('No such file');
    }
    res.sendFile(file, { maxAge: '1h', dotfiles: 'deny' }, (err) => {
      if (err)
        next(
          (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as { status?: number }).status === 404
            ? new NotFoundError('No such file')
            : err,
        );
    });
  });

  app.use(express.static(UI_DIR, { index: 'index.html', maxAge: 0 }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, services };
}
