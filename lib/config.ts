/**
 * The one place that reads the environment. Parsed once with zod, frozen, typed.
 * `.env.example` mirrors every field here.
 */
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { oauthConfigFromEnv } from './oauth/oauth-config';
import { publishConfigFromEnv } from './publish-config';
import { checkSettingsTogether } from './config-rules';

/** `z.coerce.boolean()` turns "false" into true; parse the words explicitly. */
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const list = (fallback: string[]) =>
  z
    .string()
    .optional()
    .transform((v) =>
      v === undefined || v.trim() === ''
        ? fallback
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    );

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const envFields = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  DATA_DIR: z.string().default('data'),

  API_PORT: port(3000),
  API_HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  TRUST_PROXY: bool(false),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 7),
  // Unset: Secure in production, not in development (http://localhost). Production refuses false.
  SECURE_COOKIES: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
  METRICS_TOKEN: z.string().optional(),
  STREAMS_PER_PRINCIPAL: z.coerce.number().int().positive().default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(100),
  AUTH_REQUESTS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().default(60),
  API_REQUESTS_PER_KEY_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  WEBHOOK_REQUESTS_PER_ENDPOINT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SIGNUP_ENABLED: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
  INVITATION_TTL_HOURS: z.coerce.number().positive().default(72),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().positive().max(1440).default(30),
  ACCOUNT_MAINTENANCE_INTERVAL_MINUTES: z.coerce.number().int().positive().default(60),
  CREDIT_SELF_GRANT_CAP: z.coerce.number().int().min(0).default(10_000),
  CALENDAR_CHECK_LEAD_SECONDS: z.coerce.number().int().min(0).default(3600),
  CALENDAR_REFRESH_SECONDS: z.coerce.number().int().positive().default(3600),
  CALENDAR_RUN_SIZE: z.coerce.number().int().min(2).default(500),

  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  EMBEDDED_POSTGRES_PORT: port(54329),

  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_TASK_QUEUE_PREFIX: z.string().default(''),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_WORKFLOW_BUNDLE: z.string().optional(),
  WORKER_METRICS_PORT: port(9464),
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(30),
  MEDIA_CONCURRENCY: z.coerce.number().int().positive().default(2),
  BROWSER_POOL_SIZE: z.coerce.number().int().positive().default(2),

  TEXT_PROVIDERS: list(['offline']),
  OPENAI_BASE_URL: z.url().default('https://api.openai.com/v1'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  OPENAI_INPUT_USD_PER_MTOK: z.coerce.number().min(0).default(0.15),
  OPENAI_OUTPUT_USD_PER_MTOK: z.coerce.number().min(0).default(0.6),

  KNOWLEDGE_EMBEDDINGS: z.enum(['lexical', 'openai']).default('lexical'),
  KNOWLEDGE_VECTOR_STORE: z.enum(['postgres', 'pinecone']).default('postgres'),
  KNOWLEDGE_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  EMBEDDINGS_BASE_URL: z.url().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().positive().optional(),
  PINECONE_API_KEY: z.string().optional(),
  PINECONE_INDEX: z.string().optional(),
  PINECONE_INDEX_HOST: z.url().optional(),
  PINECONE_CONTROLLER_URL: z.url().optional(),

  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  FILES_DIR: z.string().optional(),
  STORAGE_PROVIDER: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool(false),
  S3_KEY_PREFIX: z.string().default(''),

  VOICE_PROVIDER: z.enum(['espeak', 'elevenlabs']).default('espeak'),
  ESPEAK_PATH: z.string().default('espeak-ng'),
  FFMPEG_PATH: z.string().default('ffmpeg'),
  VIDEO_ENCODING: z.enum(['fast', 'compact']).default('fast'),
  VIDEO_RENDER_PARTS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(4)]).default('auto'),
  FFPROBE_PATH: z.string().default('ffprobe'),
  ELEVENLABS_API_KEY: z.string().optional(),
  ELEVENLABS_BASE_URL: z.url().default('https://api.elevenlabs.io'),
  ELEVENLABS_MODEL_ID: z.string().default('eleven_multilingual_v2'),
  ELEVENLABS_VOICE_ID: z.string().optional(),
  ELEVENLABS_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  IMAGE_PROVIDER: z.enum(['none', 'openai']).default('none'),
  OPENAI_IMAGES_BASE_URL: z.url().optional(),
  OPENAI_IMAGES_API_KEY: z.string().optional(),
  OPENAI_IMAGES_MODEL: z.string().default('gpt-image-1'),
  OPENAI_IMAGES_SIZE: z.string().optional(),
  OPENAI_IMAGES_QUALITY: z.string().optional(),
  IMAGE_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  IMAGE_CONCURRENCY: z.coerce.number().int().positive().default(2),
  IMAGE_BUDGET_MS: z.coerce.number().int().positive().default(150_000),

  PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  PUBLISH_UPLOAD_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
  PUBLISH_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  PUBLISH_PROCESSING_TIMEOUT_MS: z.coerce.number().int().positive().default(600_000),
  YOUTUBE_ACCESS_TOKEN: z.string().optional(),
  YOUTUBE_CLIENT_ID: z.string().optional(),
  YOUTUBE_CLIENT_SECRET: z.string().optional(),
  YOUTUBE_REFRESH_TOKEN: z.string().optional(),
  YOUTUBE_OAUTH_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  YOUTUBE_API_BASE_URL: z.url().default('https://www.googleapis.com'),
  YOUTUBE_PRIVACY_STATUS: z.enum(['public', 'unlisted', 'private']).default('public'),
  YOUTUBE_CATEGORY_ID: z.string().default('22'),
  META_ACCESS_TOKEN: z.string().optional(),
  META_PAGE_ID: z.string().optional(),
  META_IG_USER_ID: z.string().optional(),
  META_GRAPH_BASE_URL: z.url().default('https://graph.facebook.com'),
  META_GRAPH_VIDEO_BASE_URL: z.url().default('https://graph-video.facebook.com'),
  META_GRAPH_API_VERSION: z.string().default('v23.0'),
  LINKEDIN_ACCESS_TOKEN: z.string().optional(),
  LINKEDIN_AUTHOR_URN: z.string().optional(),
  LINKEDIN_API_BASE_URL: z.url().default('https://api.linkedin.com'),
  LINKEDIN_VERSION: z.string().default('202506'),
  X_ACCESS_TOKEN: z.string().optional(),
  X_API_BASE_URL: z.url().default('https://api.x.com'),
  X_UPLOAD_BASE_URL: z.url().default('https://api.x.com'),
  TIKTOK_ACCESS_TOKEN: z.string().optional(),
  TIKTOK_API_BASE_URL: z.url().default('https://open.tiktokapis.com'),
  TIKTOK_PRIVACY_LEVEL: z.string().default('PUBLIC_TO_EVERYONE'),

  META_CLIENT_ID: z.string().optional(),
  META_CLIENT_SECRET: z.string().optional(),
  META_OAUTH_AUTHORIZE_URL: z.url().default('https://www.facebook.com/v23.0/dialog/oauth'),
  META_OAUTH_TOKEN_URL: z.url().default('https://graph.facebook.com/v23.0/oauth/access_token'),
  LINKEDIN_CLIENT_ID: z.string().optional(),
  LINKEDIN_CLIENT_SECRET: z.string().optional(),
  LINKEDIN_OAUTH_AUTHORIZE_URL: z.url().default('https://www.linkedin.com/oauth/v2/authorization'),
  LINKEDIN_OAUTH_TOKEN_URL: z.url().default('https://www.linkedin.com/oauth/v2/accessToken'),
  LINKEDIN_OAUTH_REVOKE_URL: z.url().default('https://www.linkedin.com/oauth/v2/revoke'),
  X_CLIENT_ID: z.string().optional(),
  X_CLIENT_SECRET: z.string().optional(),
  X_OAUTH_AUTHORIZE_URL: z.url().default('https://x.com/i/oauth2/authorize'),
  X_OAUTH_TOKEN_URL: z.url().default('https://api.x.com/2/oauth2/token'),
  X_OAUTH_REVOKE_URL: z.url().default('https://api.x.com/2/oauth2/revoke'),
  TIKTOK_CLIENT_KEY: z.string().optional(),
  TIKTOK_CLIENT_SECRET: z.string().optional(),
  TIKTOK_OAUTH_AUTHORIZE_URL: z.url().default('https://www.tiktok.com/v2/auth/authorize/'),
  TIKTOK_OAUTH_TOKEN_URL: z.url().default('https://open.tiktokapis.com/v2/oauth/token/'),
  TIKTOK_OAUTH_REVOKE_URL: z.url().default('https://open.tiktokapis.com/v2/oauth/revoke/'),

  MAIL_FROM: z.string().min(3).default('Studioflow <reports@studioflow.local>'),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port(1025),
  SMTP_SECURE: bool(false),
  SMTP_REQUIRE_TLS: bool(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  DEV_SMTP_SINK: bool(true),

  CRAWLER_ALLOWED_HOSTS: list([]),
  CRAWLER_USER_AGENT: z.string().optional(),
  CRAWLER_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024),
  CRAWLER_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  CRAWLER_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  CRAWLER_HOST_DELAY_MS: z.coerce.number().int().min(0).default(1_000),
  CRAWLER_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  CRAWLER_ROBOTS_TTL_SECONDS: z.coerce.number().int().positive().default(3600),

  PLACES_API_KEY: z.string().optional(),
  PLACES_BASE_URL: z.url().default('https://places.googleapis.com'),
  PLACES_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),

  WEBHOOK_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
  WEBHOOK_DISPATCHER_ENABLED: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
  WEBHOOK_DISPATCH_POLL_MS: z.coerce.number().int().positive().default(2_000),
  WEBHOOK_DISPATCH_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  WEBHOOK_DISPATCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  WEBHOOK_DISPATCH_START_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_INBOX_RETENTION_DAYS: z.coerce.number().int().positive().default(14),

  SECRETS_KEYS: z.string().optional(),

  BOOTSTRAP_ADMIN_EMAIL: z.email().default('admin@studioflow.local'),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(8).optional(),
  BOOTSTRAP_WORKSPACE_NAME: z.string().default('My workspace'),
  BOOTSTRAP_CREDITS: z.coerce.number().int().min(0).default(100),
});

/** The fields parsed one by one; lib/config-rules.ts checks the ones that go together. */
export type EnvFields = z.output<typeof envFields>;

const envSchema = envFields.superRefine(checkSettingsTogether);

export type Env = z.input<typeof envSchema>;

/**
 * The publishing variables are declared above (so `.env.example` and this schema stay one list) and read by the
 * publishing module's own parser, which also knows which ones a platform needs together.
 */
function build(env: z.output<typeof envSchema>, source: Record<string, string | undefined>) {
  const dataDir = path.resolve(env.DATA_DIR);
  const prefix = env.TEMPORAL_TASK_QUEUE_PREFIX;
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    dataDir,
    api: {
      port: env.API_PORT,
      host: env.API_HOST,
      publicUrl: env.PUBLIC_URL.replace(/\/$/, ''),
      trustProxy: env.TRUST_PROXY,
      sessionTtlHours: env.SESSION_TTL_HOURS,
      secureCookies:
        env.SECURE_COOKIES === undefined
          ? env.NODE_ENV === 'production'
          : ['true', '1', 'yes'].includes(env.SECURE_COOKIES),
      /** Bearer token for GET /metrics; without one, /metrics is open in development and closed in production. */
      metricsToken: env.METRICS_TOKEN || undefined,
      streamsPerPrincipal: env.STREAMS_PER_PRINCIPAL,
    },
    limits: {
      loginWindowSeconds: env.LOGIN_WINDOW_SECONDS,
      loginFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      loginFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      authRequestsPerAddressPerMinute: env.AUTH_REQUESTS_PER_ADDRESS_PER_MINUTE,
      apiRequestsPerKeyPerMinute: env.API_REQUESTS_PER_KEY_PER_MINUTE,
      webhookRequestsPerEndpointPerMinute: env.WEBHOOK_REQUESTS_PER_ENDPOINT_PER_MINUTE,
    },
    accounts: {
      /** Off by default in production: an open instance lets anyone create a workspace. */
      signupEnabled:
        env.SIGNUP_ENABLED === undefined
          ? env.NODE_ENV !== 'production'
          : ['true', '1', 'yes'].includes(env.SIGNUP_ENABLED),
      invitationTtlHours: env.INVITATION_TTL_HOURS,
      passwordResetTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES,
      maintenanceIntervalMinutes: env.ACCOUNT_MAINTENANCE_INTERVAL_MINUTES,
    },
    calendar: {
      /** Seconds before an entry's time its validation runs again and flags it. */
      checkLeadSeconds: env.CALENDAR_CHECK_LEAD_SECONDS,
      /** How often a brand's calendar re-reads its scheduled entries (repairs an update the API could not send). */
      refreshSeconds: env.CALENDAR_REFRESH_SECONDS,
      /** Timers, updates and re-reads per run of a calendar before it continues as new. */
      runSize: env.CALENDAR_RUN_SIZE,
    },
    database: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      embeddedPort: env.EMBEDDED_POSTGRES_PORT,
    },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      uiUrl: env.TEMPORAL_UI_URL.replace(/\/$/, ''),
      uiPort: env.TEMPORAL_UI_PORT,
      cliPath: env.TEMPORAL_CLI_PATH,
      /** A pre-built workflow bundle (see `npm run build:workflows`); bundled from source at start when absent. */
      workflowBundle: env.TEMPORAL_WORKFLOW_BUNDLE ? path.resolve(env.TEMPORAL_WORKFLOW_BUNDLE) : undefined,
      taskQueues: { main: `${prefix}main`, media: `${prefix}media`, browser: `${prefix}browser` },
    },
    worker: {
      metricsPort: env.WORKER_METRICS_PORT,
      shutdownGraceSeconds: env.WORKER_SHUTDOWN_GRACE_SECONDS,
      mediaConcurrency: env.MEDIA_CONCURRENCY,
      browserPoolSize: env.BROWSER_POOL_SIZE,
    },
    text: {
      providers: env.TEXT_PROVIDERS,
      openai: {
        baseUrl: env.OPENAI_BASE_URL,
        apiKey: env.OPENAI_API_KEY,
        model: env.OPENAI_MODEL,
        timeoutMs: env.LLM_TIMEOUT_MS,
        /** USD per million tokens, for the cost a report records per section. */
        pricing: { inputPerMTok: env.OPENAI_INPUT_USD_PER_MTOK, outputPerMTok: env.OPENAI_OUTPUT_USD_PER_MTOK },
      },
    },
    knowledge: {
      embeddings: env.KNOWLEDGE_EMBEDDINGS,
      vectorStore: env.KNOWLEDGE_VECTOR_STORE,
      maxDocumentBytes: env.KNOWLEDGE_MAX_DOCUMENT_BYTES,
      openai: {
        baseUrl: env.EMBEDDINGS_BASE_URL ?? env.OPENAI_BASE_URL,
        apiKey: env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY,
        model: env.EMBEDDINGS_MODEL,
        dimensions: env.EMBEDDINGS_DIMENSIONS,
        timeoutMs: env.LLM_TIMEOUT_MS,
      },
      pinecone: env.PINECONE_API_KEY
        ? {
            apiKey: env.PINECONE_API_KEY,
            indexName: env.PINECONE_INDEX,
            indexHost: env.PINECONE_INDEX_HOST,
            controllerHostUrl: env.PINECONE_CONTROLLER_URL,
          }
        : undefined,
    },
    chromiumPath: env.CHROMIUM_PATH,
    filesDir: path.resolve(env.FILES_DIR ?? path.join(dataDir, 'files')),
    storage: {
      provider: env.STORAGE_PROVIDER,
      s3: {
        bucket: env.S3_BUCKET ?? '',
        region: env.S3_REGION,
        endpoint: env.S3_ENDPOINT,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
        keyPrefix: env.S3_KEY_PREFIX,
      },
    },
    voice: {
      provider: env.VOICE_PROVIDER,
      espeakPath: env.ESPEAK_PATH,
      elevenlabs: {
        apiKey: env.ELEVENLABS_API_KEY,
        baseUrl: env.ELEVENLABS_BASE_URL,
        modelId: env.ELEVENLABS_MODEL_ID,
        voiceId: env.ELEVENLABS_VOICE_ID,
        timeoutMs: env.ELEVENLABS_TIMEOUT_MS,
      },
    },
    /**
     * `encoding`: the renders' x264 settings (activities/media/video/ffmpeg-args.ts, VIDEO_ENCODINGS). `renderParts`:
     * ffmpeg processes per render; `auto` = one per core (up to 4) unless the machine is busy.
     */
    media: {
      ffmpegPath: env.FFMPEG_PATH,
      ffprobePath: env.FFPROBE_PATH,
      encoding: env.VIDEO_ENCODING,
      renderParts: env.VIDEO_RENDER_PARTS === 'auto' ? undefined : env.VIDEO_RENDER_PARTS,
    },
    images: {
      provider: env.IMAGE_PROVIDER,
      openai: {
        baseUrl: env.OPENAI_IMAGES_BASE_URL ?? env.OPENAI_BASE_URL,
        apiKey: env.OPENAI_IMAGES_API_KEY ?? env.OPENAI_API_KEY,
        model: env.OPENAI_IMAGES_MODEL,
        size: env.OPENAI_IMAGES_SIZE,
        quality: env.OPENAI_IMAGES_QUALITY,
        timeoutMs: env.IMAGE_TIMEOUT_MS,
      },
      concurrency: env.IMAGE_CONCURRENCY,
      budgetMs: env.IMAGE_BUDGET_MS,
    },
    publish: publishConfigFromEnv(source),
    /** Each platform's OAuth app, for brands to connect their own accounts (lib/oauth). */
    oauth: oauthConfigFromEnv(source),
    mail: {
      from: env.MAIL_FROM,
      smtp: {
        // 127.0.0.1 rather than localhost, which may resolve to ::1 where the sink does not listen.
        host: env.SMTP_HOST,
        port: env.SMTP_PORT,
        secure: env.SMTP_SECURE,
        requireTls: env.SMTP_REQUIRE_TLS,
        user: env.SMTP_USER,
        password: env.SMTP_PASSWORD,
        timeoutMs: env.SMTP_TIMEOUT_MS,
      },
      /** `npm run dev` starts a local SMTP sink that keeps every message in data/mail. */
      devSink: env.DEV_SMTP_SINK,
      sinkDir: path.join(dataDir, 'mail'),
    },
    /** Keys that seal secrets at rest (lib/secrets); without them outside production, DATA_DIR/secrets.keys. */
    secrets: { keys: env.SECRETS_KEYS },
    /** The SSRF-safe web fetcher (activities/web) for lead sites, the research agent and CRM callbacks. */
    crawler: {
      allowedHosts: env.CRAWLER_ALLOWED_HOSTS,
      userAgent: env.CRAWLER_USER_AGENT ?? `StudioflowBot/1.0 (+${env.PUBLIC_URL.replace(/\/$/, '')})`,
      maxBytes: env.CRAWLER_MAX_BYTES,
      timeoutMs: env.CRAWLER_TIMEOUT_MS,
      idleTimeoutMs: env.CRAWLER_IDLE_TIMEOUT_MS,
      hostDelayMs: env.CRAWLER_HOST_DELAY_MS,
      maxRedirects: env.CRAWLER_MAX_REDIRECTS,
      robotsTtlMs: env.CRAWLER_ROBOTS_TTL_SECONDS * 1000,
    },
    /** Google Places (New) for lead enrichment: on when a key is set; without one the lookup says `not-configured`. */
    places: {
      enabled: Boolean(env.PLACES_API_KEY?.trim()),
      apiKey: env.PLACES_API_KEY?.trim() || undefined,
      baseUrl: env.PLACES_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: env.PLACES_TIMEOUT_MS,
    },
    webhooks: {
      maxBytes: env.WEBHOOK_MAX_BYTES,
      toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS,
      dispatcher: {
        enabled: ['true', '1', 'yes'].includes(env.WEBHOOK_DISPATCHER_ENABLED),
        pollMs: env.WEBHOOK_DISPATCH_POLL_MS,
        batchSize: env.WEBHOOK_DISPATCH_BATCH_SIZE,
        maxAttempts: env.WEBHOOK_DISPATCH_MAX_ATTEMPTS,
        startTimeoutMs: env.WEBHOOK_DISPATCH_START_TIMEOUT_MS,
        retentionDays: env.WEBHOOK_INBOX_RETENTION_DAYS,
      },
    },
    credits: { selfGrantCap: env.CREDIT_SELF_GRANT_CAP },
    bootstrap: {
      adminEmail: env.BOOTSTRAP_ADMIN_EMAIL,
      adminPassword: env.BOOTSTRAP_ADMIN_PASSWORD,
      workspaceName: env.BOOTSTRAP_WORKSPACE_NAME,
      credits: env.BOOTSTRAP_CREDITS,
    },
  };
}

export type Config = Readonly<ReturnType<typeof build>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse a configuration from an environment; throws a readable error naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  try {
    return deepFreeze(build(parsed.data, source));
  } catch (err) {
    // The publishing parser names half-configured platforms and malformed values.
    throw new ConfigError(`Invalid configuration:\n  ${(err as Error).message}`);
  }
}

let current: Config | undefined;

/** The process-wide configuration, parsed on first use. */
export function config(): Config {
  if (!current) {
    dotenv.config({ quiet: true });
    current = loadConfig();
  }
  return current;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
