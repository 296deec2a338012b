/**
 * Issue 8, secrets at rest: webhook endpoint secrets were stored in clear. They are sealed with lib/secrets
 * (AES-256-GCM, the row as additional data); the column widens to TEXT for the sealed form. The column list is
 * frozen here rather than read from SEALED_COLUMNS, which will grow with columns later migrations create.
 */
import { DataTypes, type QueryInterface } from 'sequelize';
import type { SecretBox } from '../../lib/secrets';
import { sealColumns, unsealColumns } from '../sealed-columns';

const COLUMNS = [{ table: 'webhook_endpoints', column: 'secret' }];

interface Params {
  context: QueryInterface;
  secrets: () => SecretBox & { readonly keyId: string };
}

export async function up({ context: q, secrets }: Params): Promise<void> {
  await q.changeColumn('webhook_endpoints', 'secret', { type: DataTypes.TEXT, allowNull: false });
  const [[{ count }]] = (await q.sequelize.query(
    `SELECT count(*)::int AS count FROM webhook_endpoints WHERE left(secret, 7) <> 'enc:v1:'`,
  )) as [{ count: number }[], unknown];
  // Keys are needed only when there is something to seal (a fresh database has nothing).
  if (count > 0) await sealColumns(q.sequelize, secrets(), COLUMNS, 'plaintext');
}

export async function down({ context: q, secrets }: Params): Promise<void> {
  const [[{ count }]] = (await q.sequelize.query(
    `SELECT count(*)::int AS count FROM webhook_endpoints WHERE left(secret, 7) = 'enc:v1:'`,
  )) as [{ count: number }[], unknown];
  if (count > 0) await unsealColumns(q.sequelize, secrets(), COLUMNS);
  await q.changeColumn('webhook_endpoints', 'secret', { type: DataTypes.STRING(200), allowNull: false });
}
