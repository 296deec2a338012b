/**
 * The one place that reads the environment. Parsed once with zod, frozen, typed.
 * `.env.example` mirrors every field here.
 */
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';

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

const envSchema = z.object({
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
  SECURE_COOKIES: bool(false),

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

  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  FILES_DIR: z.string().optional(),

  MAIL_FROM: z.string().min(3).default('Studioflow <reports@studioflow.local>'),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port(1025),
  SMTP_SECURE: bool(false),
  SMTP_REQUIRE_TLS: bool(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  DEV_SMTP_SINK: bool(true),

  WEBHOOK_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),

  BOOTSTRAP_ADMIN_EMAIL: z.email().default('admin@studioflow.local'),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(8).optional(),
  BOOTSTRAP_WORKSPACE_NAME: z.string().default('My workspace'),
});

export type Env = z.input<typeof envSchema>;

function build(env: z.output<typeof envSchema>) {
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
      secureCookies: env.SECURE_COOKIES,
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
      },
    },
    chromiumPath: env.CHROMIUM_PATH,
    filesDir: path.resolve(env.FILES_DIR ?? path.join(dataDir, 'files')),
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
    webhooks: { maxBytes: env.WEBHOOK_MAX_BYTES, toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS },
    bootstrap: {
      adminEmail: env.BOOTSTRAP_ADMIN_EMAIL,
      adminPassword: env.BOOTSTRAP_ADMIN_PASSWORD,
      workspaceName: env.BOOTSTRAP_WORKSPACE_NAME,
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
  return deepFreeze(build(parsed.data));
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
