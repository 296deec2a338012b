/** Connects sequelize, registers the models and runs migrations. */
import path from 'node:path';
import { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { secretBoxFromConfig, type SecretBox } from '../lib/secrets';
import { Brand } from './models/brand.model';
import { Channel } from './models/channel.model';
import { Post } from './models/post.model';
import { CreditEntry } from './models/credit.model';
import { KnowledgeChunk, KnowledgeDocument } from './models/knowledge.model';
import { Publication } from './models/publication.model';
import { BrandKpi } from './models/brand-kpi.model';
import { Diagnosis } from './models/diagnosis.model';
import { BrandReport } from './models/report.model';
import { User } from './models/user.model';
import { Session } from './models/session.model';
import { ApiKey } from './models/api-key.model';
import { IdempotencyRecord } from './models/idempotency-record.model';
import { WebhookDelivery, WebhookEndpoint } from './models/webhook-endpoint.model';
import { Workspace } from './models/workspace.model';
import { Invitation } from './models/invitation.model';
import { PasswordReset } from './models/password-reset.model';
import { RecoveryCode } from './models/recovery-code.model';
import { Lead, LeadSource } from './models/lead.model';
import { LeadProfileRow } from './models/lead-profile.model';

export { Workspace, User, Session, ApiKey, Brand, Channel, Post, WebhookEndpoint, WebhookDelivery, IdempotencyRecord };
export { KnowledgeDocument, KnowledgeChunk, BrandKpi, Diagnosis, BrandReport };
export { Publication, CreditEntry };
export { Invitation, PasswordReset, RecoveryCode };
export { Lead, LeadSource, LeadProfileRow };

/** Every model, in the order connectDatabase registers them. */
const models = {
  Workspace,
  User,
  Session,
  ApiKey,
  Brand,
  Channel,
  Post,
  WebhookEndpoint,
  WebhookDelivery,
  IdempotencyRecord,
  KnowledgeDocument,
  KnowledgeChunk,
  BrandKpi,
  Diagnosis,
  BrandReport,
  Publication,
  CreditEntry,
  Invitation,
  PasswordReset,
  RecoveryCode,
  Lead,
  LeadSource,
  LeadProfileRow,
};
export type Models = typeof models;

/**
 * A connection and its models: repositories query `models`, never a model class they import, so what they use comes
 * with the handle they are given. The classes are module-level (sequelize's `init` binds a class to one connection),
 * so one process holds one connection's models at a time.
 */
export interface Database {
  sequelize: Sequelize;
  models: Models;
  close(): Promise<void>;
}

export function connectDatabase(url: string, options: { poolMax?: number; logging?: boolean } = {}): Database {
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    // Statements only at debug level, and never their bind values (they hold secrets and personal data).
    logging: options.logging ? (sql) => logger('sql').debug(sql) : false,
    logQueryParameters: false,
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000 },
    define: { underscored: true },
  });
  for (const model of Object.values(models)) model.initModel(sequelize);
  return { sequelize, models, close: () => sequelize.close() };
}

export interface MigrationOptions {
  /** The box for migrations that seal or open secrets; asked for only when one has rows to seal. */
  secrets?: () => SecretBox & { readonly keyId: string };
}

/** Migrations receive `{ context: QueryInterface, secrets }`. */
export function migrator(sequelize: Sequelize, options: MigrationOptions = {}) {
  let box: (SecretBox & { readonly keyId: string }) | undefined;
  const secrets = () => (box ??= (options.secrets ?? (() => secretBoxFromConfig(config())))());
  return new Umzug({
    migrations: {
      glob: ['migrations/*.{ts,js}', { cwd: __dirname, ignore: ['**/*.d.ts'] }],
      resolve: ({ name, path: file, context }) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const migration = require(file!) as {
          up: (p: { context: unknown; secrets: typeof secrets }) => Promise<void>;
          down: (p: { context: unknown; secrets: typeof secrets }) => Promise<void>;
        };
        return {
          name: path.basename(name, path.extname(name)),
          up: () => migration.up({ context, secrets }),
          down: () => migration.down({ context, secrets }),
        };
      },
    },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/** Applies pending migrations; safe to call on every boot, serialised by an advisory lock. */
export async function migrate(sequelize: Sequelize, options: MigrationOptions = {}): Promise<string[]> {
  const lockId = 727_001;
  await sequelize.query('SELECT pg_advisory_lock(:lockId)', { replacements: { lockId } });
  try {
    const applied = await migrator(sequelize, options).up();
    return applied.map((m) => m.name);
  } finally {
    await sequelize.query('SELECT pg_advisory_unlock(:lockId)', { replacements: { lockId } });
  }
}
