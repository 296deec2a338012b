/** The activities each task queue serves, wired from the worker's dependencies. */
import { createAccountActivities } from '../activities/accounts';
import { createExperimentActivities } from '../activities/abtest';
import { createExperimentEvaluationRepository } from '../db/repositories/experiment-evaluation.repository';
import { createExperimentRepository } from '../db/repositories/experiment.repository';
import { accountTokenKey } from '../lib/account-tokens';
import { createAnalysisActivities } from '../activities/analysis';
import { createBrandReportActivities, createReportWorkActivities } from '../activities/brand-report';
import { createKnowledgeActivities } from '../activities/knowledge';
import {
  createCrawlActivities,
  createLeadBatchActivities,
  createLeadCallbackActivities,
  createLeadEnrichmentActivities,
  createPlacesActivities,
  createQualifyActivities,
  placesClientFromConfig,
  researchModelFromConfig,
} from '../activities/leads';
import { safeFetcherFromConfig, type SafeFetcher } from '../activities/web';
import { createMailActivities, messageIdDomainOf } from '../activities/mail';
import { createCreditActivities } from '../activities/credits';
import { createCalendarActivities } from '../activities/calendar/calendar.activities';
import { connectedAccountReadiness } from '../lib/calendar/account-readiness.port';
import { createEntryValidator } from '../lib/calendar/entry-validator';
import { createCalendarRepository } from '../db/repositories/calendar.repository';
import { createMediaInspectActivities, createVideoRenderActivities, createVoiceActivities } from '../activities/media';
import { createAccountClients, createPublishActivities } from '../activities/publish';
import { createConnectedAccountRepository } from '../db/repositories/connected-account.repository';
import { createScriptActivities } from '../activities/script';
import {
  createVideoBrandActivities,
  createVideoQuoteActivities,
  createVideoStatsActivities,
} from '../activities/video';
import { createAccountRepository } from '../db/repositories/account.repository';
import { createAccountLifecycleRepository } from '../db/repositories/account-lifecycle.repository';
import { createCreditRepository } from '../db/repositories/credit.repository';
import { createIdempotencyRepository } from '../db/repositories/idempotency.repository';
import { createLeadRepository } from '../db/repositories/lead.repository';
import { createLeadCallbackRepository } from '../db/repositories/lead-callback.repository';
import { createLeadEnrichmentRepository } from '../db/repositories/lead-enrichment.repository';
import { createLeadProfileRepository } from '../db/repositories/lead-profile.repository';
import { createPublicationRepository } from '../db/repositories/publication.repository';
import { secretBoxFromConfig } from '../lib/secrets';
import { createLeadPageActivities, createRenderActivities, createSceneFrameActivities } from '../activities/render';
import { createReportRenderActivities } from '../activities/report';
import { createSocialActivities } from '../activities/social/social.activities';
import { createTextActivities } from '../activities/text';
import { createBrandRepository } from '../db/repositories/brand.repository';
import { createDiagnosisRepository } from '../db/repositories/diagnosis.repository';
import { createKpiRepository } from '../db/repositories/kpi.repository';
import { createPostRepository } from '../db/repositories/post.repository';
import { createReportRepository } from '../db/repositories/report.repository';
import { videoProviderDefaults } from '../lib/credits/provider-defaults';
import type { QueueActivities } from '../activities/queues';
import type { QueueKind } from '../lib/task-queues';
import type { WorkerDependencies } from './dependencies';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not available in this worker`);
  return value;
}

const fetchers = new WeakMap<WorkerDependencies, SafeFetcher>();

/** One fetcher per worker process, so queues served together share robots.txt answers and each host's gap. */
function fetcherOf(deps: WorkerDependencies): SafeFetcher {
  let fetcher = fetchers.get(deps);
  if (!fetcher) fetchers.set(deps, (fetcher = safeFetcherFromConfig(deps.config)));
  return fetcher;
}

/** `satisfies` checks each queue serves every activity workflows may proxy on it (activities/queues.ts). */
export function activitiesFor(kind: QueueKind, deps: WorkerDependencies): QueueActivities[QueueKind] {
  switch (kind) {
    case 'main': {
      const db = required(deps.db, 'The database');
      const knowledge = required(deps.knowledge, 'The knowledge base');
      let tokenKey: Buffer | undefined;
      const mail = createMailActivities({
        mailer: required(deps.mailer, 'The mailer'),
        storage: deps.storage,
        idempotency: createIdempotencyRepository(db),
        messageIdDomain: messageIdDomainOf(deps.config.mail.from),
        // A claim outlives one delivery attempt, so a retry never races a send still in flight.
        leaseMs: deps.config.mail.smtp.timeoutMs + 15_000,
      });
      // One fetcher for the crawl, the research agent, the renders and the callbacks: one politeness gap per host, one
      // robots cache.
      const fetcher = fetcherOf(deps);
      const knowledgeActivities = createKnowledgeActivities({ storage: deps.storage, ...knowledge });
      const analysis = createAnalysisActivities({ analyst: required(deps.analyst, 'The analyst') });
      const brandReport = createBrandReportActivities({
        brands: createBrandRepository(db),
        diagnoses: createDiagnosisRepository(db),
        kpis: createKpiRepository(db),
        reports: createReportRepository(db),
        knowledge: knowledge.repo,
      });
      return {
        ...knowledgeActivities,
        ...analysis,
        ...brandReport,
        ...createReportWorkActivities({
          storage: deps.storage,
          scoreReport: brandReport.scoreReport,
          retrievePassages: knowledgeActivities.retrievePassages,
          writeReportAnalysis: analysis.writeReportAnalysis,
          recordReportOutcome: brandReport.recordReportOutcome,
        }),
        ...createSocialActivities({
          brands: createBrandRepository(db),
          posts: createPostRepository(db),
          storage: deps.storage,
          publicUrl: deps.config.api.publicUrl,
        }),
        ...createTextActivities({ writer: required(deps.textWriter, 'The text writer') }),
        ...createScriptActivities({ writer: required(deps.scriptWriter, 'The script writer') }),
        ...createCreditActivities({ repo: createCreditRepository(db) }),
        ...createVideoBrandActivities({ brands: createBrandRepository(db) }),
        ...createVideoQuoteActivities({ defaults: videoProviderDefaults(deps.config) }),
        ...createVideoStatsActivities({ kpis: createKpiRepository(db) }),
        ...createPublishActivities({
          storage: deps.storage,
          publications: createPublicationRepository(db, { secrets: secretBoxFromConfig(deps.config) }),
          posts: createPostRepository(db),
          brands: createBrandRepository(db),
          clients: required(deps.publishClients, 'The publishing clients'),
          accounts: createAccountClients({
            accounts: createConnectedAccountRepository(db, { secrets: secretBoxFromConfig(deps.config) }),
            oauth: deps.config.oauth,
            publish: deps.config.publish,
          }),
          publicUrl: deps.config.api.publicUrl,
          ffmpegPath: deps.config.media.ffmpegPath,
        }),
        ...mail,
        ...createCrawlActivities({ fetcher, storage: deps.storage }),
        ...createLeadEnrichmentActivities({
          leads: createLeadRepository(db),
          profiles: createLeadProfileRepository(db),
          enrichments: createLeadEnrichmentRepository(db),
          storage: deps.storage,
        }),
        ...createLeadBatchActivities({ leads: createLeadRepository(db), storage: deps.storage }),
        ...createLeadCallbackActivities({
          leads: createLeadRepository(db),
          callbacks: createLeadCallbackRepository(db, { secrets: secretBoxFromConfig(deps.config) }),
          enrichments: createLeadEnrichmentRepository(db),
          idempotency: createIdempotencyRepository(db),
          fetcher,
          // A claim outlives one post (the fetcher's time limit), so a retry never races a post still in flight, and
          // a retry after a lost worker waits no longer than that.
          leaseMs: deps.config.crawler.timeoutMs + 5_000,
        }),
        ...createPlacesActivities({ client: placesClientFromConfig(deps.config) }),
        ...createQualifyActivities({
          leads: createLeadRepository(db),
          profiles: createLeadProfileRepository(db),
          storage: deps.storage,
          fetcher,
          retrievePassages: knowledgeActivities.retrievePassages,
          model: researchModelFromConfig({ providers: deps.config.text.providers, openai: deps.config.text.openai }),
        }),
        ...createExperimentActivities({
          experiments: createExperimentRepository(db),
          evaluations: createExperimentEvaluationRepository(db),
        }),
        ...createAccountActivities({
          accounts: createAccountRepository(db),
          lifecycle: createAccountLifecycleRepository(db),
          sendEmail: mail.sendEmail,
          tokenKey: () => (tokenKey ??= accountTokenKey(deps.config)),
          publicUrl: deps.config.api.publicUrl,
          passwordResetTtlMinutes: deps.config.accounts.passwordResetTtlMinutes,
        }),
        ...createCalendarActivities({
          calendar: createCalendarRepository(db),
          writer: required(deps.textWriter, 'The text writer'),
          validate: createEntryValidator({
            accounts: connectedAccountReadiness({
              accounts: createConnectedAccountRepository(db, { secrets: secretBoxFromConfig(deps.config) }),
              publish: deps.config.publish,
            }),
            credits: createCreditRepository(db),
            videoDefaults: videoProviderDefaults(deps.config),
          }),
        }),
      } satisfies QueueActivities['main'];
    }
    case 'browser': {
      const pool = required(deps.browserPool, 'The browser pool');
      return {
        ...createRenderActivities({ pool, storage: deps.storage }),
        ...createReportRenderActivities({ pool, storage: deps.storage }),
        ...createLeadPageActivities({ pool, storage: deps.storage, fetcher: fetcherOf(deps) }),
        ...createSceneFrameActivities({
          pool,
          storage: deps.storage,
          images: deps.imageProvider,
          imageConcurrency: deps.config.images.concurrency,
          imageBudgetMs: deps.config.images.budgetMs,
        }),
      } satisfies QueueActivities['browser'];
    }
    case 'media': {
      const { ffmpegPath, ffprobePath, encoding, renderParts } = deps.config.media;
      return {
        ...createMediaInspectActivities({ storage: deps.storage, filesDir: deps.config.filesDir }),
        ...createVoiceActivities({ storage: deps.storage, ...required(deps.voices, 'The voices'), ffprobePath }),
        ...createVideoRenderActivities({
          storage: deps.storage,
          ffmpegPath,
          ffprobePath,
          encoding,
          segments: renderParts,
        }),
      } satisfies QueueActivities['media'];
    }
  }
}
