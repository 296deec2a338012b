/** The Express application: wiring of routes → services → repositories. */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import { createFileStorageFromConfig } from '../activities/storage';
import type { Database } from '../db';
import { createAccountRepository } from '../db/repositories/account.repository';
import { createAccountLifecycleRepository } from '../db/repositories/account-lifecycle.repository';
import { createBrandRepository } from '../db/repositories/brand.repository';
import { createCreditRepository } from '../db/repositories/credit.repository';
import { createDiagnosisRepository } from '../db/repositories/diagnosis.repository';
import { createKnowledgeRepository } from '../db/repositories/knowledge.repository';
import { createKpiRepository } from '../db/repositories/kpi.repository';
import { createLeadRepository } from '../db/repositories/lead.repository';
import { createLeadProfileRepository } from '../db/repositories/lead-profile.repository';
import { createLeadCallbackRepository } from '../db/repositories/lead-callback.repository';
import { createLeadEnrichmentRepository } from '../db/repositories/lead-enrichment.repository';
import { createPostRepository } from '../db/repositories/post.repository';
import { createPostVisitRepository } from '../db/repositories/post-visit.repository';
import { createReportRepository } from '../db/repositories/report.repository';
import { createDeliveryInboxRepository } from '../db/repositories/delivery-inbox.repository';
import { createRunSnapshotRepository } from '../db/repositories/run-snapshot.repository';
import { createInboxWriter } from '../db/repositories/inbox-writer';
import { createRunRequestRepository } from '../db/repositories/run-request.repository';
import { createWebhookRepository } from '../db/repositories/webhook.repository';
import type { Config } from '../lib/config';
import { videoProviderDefaults } from '../lib/credits/provider-defaults';
import { logger as rootLogger } from '../lib/logger';
import { beginRequest } from './request-log';
import { secretBoxFromConfig, type SecretBox } from '../lib/secrets';
import { createAutomationRegistry } from './automations';
import { createMetrics } from './metrics';
import { authenticate } from './middleware/auth';
import { plainCookies } from './middleware/cookies';
import { csrfProtection } from './middleware/csrf';
import { createRateLimits } from './middleware/rate-limit';
import { metricsGuard, securityHeaderList, securityHeaders } from './middleware/security-headers';
import { createStartLane, type StartLane } from './start-lane';
import { errorHandler, notFoundHandler } from './middleware/errors';
import { buildOpenApiDocument } from './openapi';
import { refuseHostileBody, refuseHostileRequest } from './validation';
import { accountsRouter, authRouter } from './routes/accounts.routes';
import {
  membersRouter,
  ownSessionsRouter,
  publicAccountRouter,
  twoFactorRouter,
} from './routes/account-lifecycle.routes';
import { brandsRouter } from './routes/brands.routes';
import { connectedAccountsRouter, oauthCallbackRouter } from './routes/connected-accounts.routes';
import { createConnectedAccountService } from './services/connected-account.service';
import { createConnectedAccountRepository } from '../db/repositories/connected-account.repository';
import { channelRouter } from './routes/channel.routes';
import { diagnosesRouter } from './routes/diagnoses.routes';
import { draftFilesRouter, publicFilesRouter } from './routes/files.routes';
import { documentsRouter } from './routes/documents.routes';
import { kpisRouter } from './routes/kpis.routes';
import { leadsRouter } from './routes/leads.routes';
import { reportsRouter } from './routes/reports.routes';
import { creditsRouter } from './routes/credits.routes';
import { runsRouter, type StartRunOptions } from './routes/runs.routes';
import { hooksRouter, webhookEndpointsRouter } from './routes/webhooks.routes';
import { createAccountService } from './services/account.service';
import { createAccountLifecycleService } from './services/account-lifecycle.service';
import { createTwoFactorService } from './services/two-factor.service';
import { accountTokenKey } from '../lib/account-tokens';
import { createBrandService } from './services/brand.service';
import { createDiagnosisService } from './services/diagnosis.service';
import { createKnowledgeService } from './services/knowledge.service';
import { createKpiService } from './services/kpi.service';
import { createLeadService } from './services/lead.service';
import { createExperimentService } from './services/experiment.service';
import { createExperimentRepository } from '../db/repositories/experiment.repository';
import { createExperimentEvaluationRepository } from '../db/repositories/experiment-evaluation.repository';
import { experimentsRouter } from './routes/experiments.routes';
import { calendarRouter } from './routes/calendar.routes';
import { createCalendarService } from './services/calendar.service';
import { createCalendarRepository } from '../db/repositories/calendar.repository';
import { createCalendarSchedules } from './calendar/calendar-schedules';
import { createEntryValidator } from '../lib/calendar/entry-validator';
import { connectedAccountReadiness } from '../lib/calendar/account-readiness.port';
import { controlUpdate } from '../workflows/ab-test-control';
import { createLeadCallbackService } from './services/lead-callback.service';
import { createReportService } from './services/report.service';
import { createCreditService } from './services/credit.service';
import { createRunService } from './services/run.service';
import { createSystemService } from './services/system.service';
import { createDeliveryDispatcher } from './services/delivery-dispatcher';
import { createRunRequestService } from './services/run-request.service';
import { createWebhookService } from './services/webhook.service';
import { createStreamRegistry } from './sse';
import { z } from 'zod';
import type { RunManifest } from '../workflows/manifest';

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
  const diagnosisRepo = createDiagnosisRepository(deps.db);
  const storage = createFileStorageFromConfig(config);
  const leads = createLeadService({
    leads: createLeadRepository(deps.db),
    profiles: createLeadProfileRepository(deps.db),
    enrichments: createLeadEnrichmentRepository(deps.db),
    brandExists: async (workspaceId, id) => (await brandRepo.get(workspaceId, id)) !== null,
    allowedHosts: config.crawler.allowedHosts,
  });
  const experimentRepo = createExperimentRepository(deps.db);
  const automations = createAutomationRegistry({
    experiments: experimentRepo,
    brands: brandRepo,
    diagnoses: diagnosisRepo,
    places: config.places.enabled,
    saveLeads: async (principal, items, brandId, reference) => {
      const saved = await leads.create(
        principal.workspaceId,
        items.map((item) => ({ ...item, brandId: item.brandId ?? brandId })),
        true,
        {
          fieldPrefix: 'input.leads.',
          source: {
            kind: principal.kind === 'webhook' ? 'webhook' : 'api',
            reference: `${principal.name} ${reference}`,
          },
        },
      );
      return saved.map((r) => r.lead.id);
    },
  });
  const accountRepo = createAccountRepository(deps.db);
  const lifecycleRepo = createAccountLifecycleRepository(deps.db);
  let box: SecretBox | undefined;
  let tokenKey: Buffer | undefined;
  const twoFactor = createTwoFactorService({
    repo: lifecycleRepo,
    accountRepo,
    box: () => (box ??= secretBoxFromConfig(config)),
  });
  const accounts = createAccountService(accountRepo, {
    sessionTtlHours: config.api.sessionTtlHours,
    secondFactor: twoFactor.verify,
  });
  const accountLifecycle = createAccountLifecycleService({
    repo: lifecycleRepo,
    accountRepo,
    accounts,
    temporal: deps.temporal,
    options: {
      signupEnabled: config.accounts.signupEnabled,
      invitationTtlHours: config.accounts.invitationTtlHours,
      tokenKey: () => (tokenKey ??= accountTokenKey(config)),
      taskQueue: config.temporal.taskQueues.main,
    },
  });
  const runs = createRunService({
    client: deps.temporal,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueues.main,
    temporalUiUrl: config.temporal.uiUrl,
    automations,
    snapshots: createRunSnapshotRepository(deps.db),
    watchIntervalMs: deps.streamIntervalMs ?? 1000,
  });
  const dispatcher = createDeliveryDispatcher({
    inbox: createDeliveryInboxRepository(deps.db),
    runs,
    client: deps.temporal,
    taskQueue: config.temporal.taskQueues.main,
    ...config.webhooks.dispatcher,
  });
  // One writer for webhook deliveries and run requests: their rows go into the inbox together (group commit).
  const inbox = createInboxWriter(deps.db);
  const runRequests = createRunRequestService({
    automations,
    inbox,
    requests: createRunRequestRepository(deps.db),
    taskQueue: config.temporal.taskQueues.main,
    onAccepted: () => dispatcher.wake(),
  });
  const webhooks = createWebhookService({
    webhooks: createWebhookRepository(deps.db, { secrets: secretBoxFromConfig(config) }),
    inbox,
    automations,
    taskQueue: config.temporal.taskQueues.main,
    onAccepted: () => dispatcher.wake(),
    publicUrl: config.api.publicUrl,
    toleranceSeconds: config.webhooks.toleranceSeconds,
  });
  const connectedAccountRepo = createConnectedAccountRepository(deps.db, { secrets: secretBoxFromConfig(config) });
  const connectedAccounts = createConnectedAccountService({
    accounts: connectedAccountRepo,
    oauth: config.oauth,
    brandExists: async (workspaceId, id) => (await brandRepo.get(workspaceId, id)) !== null,
    publicUrl: config.api.publicUrl,
    timeoutMs: config.publish.timeoutMs,
  });
  const postRepo = createPostRepository(deps.db);
  const brands = createBrandService(brandRepo, postRepo, config.api.publicUrl, storage);
  const diagnoses = createDiagnosisService(diagnosisRepo);
  const kpis = createKpiService(createKpiRepository(deps.db));
  const knowledge = createKnowledgeService({
    client: deps.temporal,
    taskQueue: config.temporal.taskQueues.main,
    repo: createKnowledgeRepository(deps.db),
    storage,
    maxBytes: config.knowledge.maxDocumentBytes,
  });
  const reports = createReportService(createReportRepository(deps.db), storage);
  const credits = createCreditService(createCreditRepository(deps.db), videoProviderDefaults(config), {
    selfGrantCap: config.credits.selfGrantCap,
  });
  const experiments = createExperimentService({
    experiments: experimentRepo,
    evaluations: createExperimentEvaluationRepository(deps.db),
    control: (principal, workflowId, request) => runs.update(principal, workflowId, controlUpdate, request),
    brandExists: async (workspaceId, id) => (await brandRepo.get(workspaceId, id)) !== null,
  });
  const calendar = createCalendarService({
    repo: createCalendarRepository(deps.db),
    client: deps.temporal,
    taskQueue: config.temporal.taskQueues.main,
    validate: createEntryValidator({
      accounts: connectedAccountReadiness({ accounts: connectedAccountRepo, publish: config.publish }),
      credits: createCreditRepository(deps.db),
      videoDefaults: videoProviderDefaults(config),
    }),
    schedules: createCalendarSchedules({ client: deps.temporal, taskQueue: config.temporal.taskQueues.main }),
    brandExists: async (workspaceId, id) => (await brandRepo.get(workspaceId, id)) !== null,
    run: config.calendar,
  });
  const leadCallbacks = createLeadCallbackService({
    callbacks: createLeadCallbackRepository(deps.db, { secrets: secretBoxFromConfig(config) }),
    allowedHosts: config.crawler.allowedHosts,
  });
  const system = createSystemService({
    sequelize: deps.db.sequelize,
    client: deps.temporal,
    namespace: config.temporal.namespace,
    taskQueues: config.temporal.taskQueues,
  });
  return {
    automations,
    accounts,
    accountLifecycle,
    twoFactor,
    runs,
    webhooks,
    runRequests,
    dispatcher,
    brands,
    diagnoses,
    kpis,
    knowledge,
    reports,
    credits,
    leads,
    leadCallbacks,
    experiments,
    calendar,
    connectedAccounts,
    system,
    storage,
    brandRepo,
    postRepo,
    /** Writes what services keep for later (API key use) and stops their timers. */
    close: async () => {
      await accounts.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/** JSON bodies of the API, at most (express.json and the start lane). */
const JSON_LIMIT_BYTES = 256 * 1024;

export function createApp(deps: AppDependencies): { app: Express; services: Services; lane: StartLane } {
  const { config } = deps;
  const services = createServices(deps);
  const metrics = createMetrics();
  const app = express();
  const fileStorage = services.storage;
  const limits = createRateLimits({ config, sequelize: deps.db.sequelize });
  if (config.env === 'production' && !config.api.metricsToken)
    rootLogger('api').warn('GET /metrics is closed: set METRICS_TOKEN to scrape it with a bearer token');
  app.disable('x-powered-by');
  // One hop: the client address is the one our proxy saw, not a left-most X-Forwarded-For entry anyone can write
  // (per-address rate limits and unique visitors depend on it).
  app.set('trust proxy', config.api.trustProxy ? 1 : false);

  app.use((req, res, next) => {
    beginRequest(req, res, () => req.path);
    next();
  });
  app.use(metrics.middleware);
  app.use(securityHeaders(config));
  app.use(refuseHostileRequest);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const status = await services.system.status();
    res.status(status.ready ? 200 : 503).json(status);
  });
  app.get('/metrics', metricsGuard(config), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const openapi = buildOpenApiDocument({
    publicUrl: config.api.publicUrl,
    automations: services.automations,
    version: VERSION,
  });
  // Shared by the API router and the start lane (api/start-lane.ts).
  const jsonBody = express.json({ limit: JSON_LIMIT_BYTES });
  const startRun: StartRunOptions = {
    requests: services.runRequests,
    onStarted: (automation) => metrics.runsStarted.inc({ automation, source: 'api' }),
  };
  const api = express.Router();
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // Inbound webhooks read their raw body themselves (the signature covers the exact bytes).
  api.use(hooksRouter(services.webhooks, { maxBytes: config.webhooks.maxBytes, limit: limits.webhook() }));
  api.use(oauthCallbackRouter(services.connectedAccounts));
  api.use(csrfProtection({ publicUrl: config.api.publicUrl }));
  api.use(jsonBody, refuseHostileBody, plainCookies);
  api.use(
    authRouter(services.accounts, {
      limits,
      secureCookies: config.api.secureCookies,
      temporalUiUrl: config.temporal.uiUrl,
      namespace: config.temporal.namespace,
    }),
  );
  // Sign-up, invitations and password reset: the public account routes, in one router, each limited per address.
  api.use(
    publicAccountRouter(services.accountLifecycle, {
      secureCookies: config.api.secureCookies,
      limit: (route) => limits.publicAuth(route),
    }),
  );
  api.use(authenticate(services.accounts), limits.api());
  api.use(ownSessionsRouter(services.accountLifecycle, { secureCookies: config.api.secureCookies }));
  api.use(twoFactorRouter(services.twoFactor));
  const runView = (m: RunManifest) => ({ steps: m.steps, approvals: m.approvals, details: m.details });
  api.get('/automations', (_req, res) => {
    res.json({
      items: services.automations.list().map((a) => ({
        name: a.name,
        title: a.title,
        description: a.description,
        inputSchema: z.toJSONSchema(a.inputSchema, { io: 'input', unrepresentable: 'any' }),
        // The run view's part of the manifest; which activity feeds which step stays inside the API.
        manifest: runView(a.manifest),
        ...(a.childManifests && {
          children: a.childManifests.map((m) => ({ name: m.automation, manifest: runView(m) })),
        }),
      })),
    });
  });
  api.get('/system/status', async (_req, res) => {
    res.json(await services.system.status());
  });
  api.use(
    runsRouter(services.runs, {
      streamIntervalMs: deps.streamIntervalMs ?? 1000,
      streams: createStreamRegistry(config.api.streamsPerPrincipal),
      ...startRun,
    }),
  );
  api.use(brandsRouter(services.brands));
  api.use(connectedAccountsRouter(services.connectedAccounts));
  const brandExists = (workspaceId: string, id: string) => services.brands.exists(workspaceId, id);
  api.use(kpisRouter(services.kpis));
  api.use(diagnosesRouter(services.diagnoses));
  api.use(documentsRouter(services.knowledge, brandExists));
  api.use(reportsRouter(services.reports, brandExists));
  api.use(creditsRouter(services.credits));
  api.use(leadsRouter(services.leads, services.leadCallbacks));
  api.use(experimentsRouter(services.experiments));
  api.use(calendarRouter(services.calendar));
  api.use(accountsRouter(services.accounts));
  api.use(membersRouter(services.accountLifecycle));
  api.use(webhookEndpointsRouter(services.webhooks));
  api.use(draftFilesRouter({ storage: fileStorage, filesDir: config.filesDir }));
  app.use('/api/v1', api);

  app.use(
    channelRouter({
      brands: services.brandRepo,
      experiments: services.experiments,
      posts: services.postRepo,
      visits: createPostVisitRepository(deps.db),
      publicUrl: config.api.publicUrl,
      // The same URLs the workers' storage hands out (each key segment encoded).
      imageUrl: (key) => fileStorage.publicUrl(key),
    }),
  );

  app.use(publicFilesRouter({ storage: fileStorage, filesDir: config.filesDir }));

  app.use(express.static(UI_DIR, { index: 'index.html', maxAge: 0 }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  const lane = createStartLane({
    accounts: services.accounts,
    runs: services.runs,
    limits,
    startRun,
    securityHeaders: securityHeaderList(config),
    timeRoute: metrics.timeRoute,
    maxBodyBytes: JSON_LIMIT_BYTES,
  });
  return { app, services, lane };
}
