/**
 * Issue 8, secrets at rest: a publication's upload checkpoint holds what a platform handed out for one upload (a
 * resumable session URI, LinkedIn's upload token, pre-signed part URLs), each enough to write into the account.
 * The column becomes text holding the sealed JSON (lib/secrets, the row as additional data).
 */
import type { QueryInterface } from 'sequelize';
import type { SecretBox } from '../../lib/secrets';
import { sealColumns, unsealColumns } from '../sealed-columns';

const COLUMNS = [{ table: 'publications', column: 'upload_state' }];

interface Params {
  context: QueryInterface;
  secrets: () => SecretBox & { readonly keyId: string };
}

export async function up({ context: q, secrets }: Params): Promise<void> {
  await q.sequelize.query(`
    ALTER TABLE publications
      ALTER COLUMN upload_state DROP DEFAULT,
      ALTER COLUMN upload_state TYPE text USING upload_state::text,
      ALTER COLUMN upload_state SET DEFAULT '{}'`);
  // An empty checkpoint holds nothing; keys are needed only when a row holds more.
  const [[{ count }]] = (await q.sequelize.query(
    `SELECT count(*)::int AS count FROM publications WHERE upload_state <> '{}' AND left(upload_state, 7) <> 'enc:v1:'`,
  )) as [{ count: number }[], unknown];
  if (count > 0) await sealColumns(q.sequelize, secrets(), COLUMNS, 'plaintext');
}

export async function down({ context: q, secrets }: Params): Promise<void> {
  const [[{ count }]] = (await q.sequelize.query(
    `SELECT count(*)::int AS count FROM publications WHERE left(upload_state, 7) = 'enc:v1:'`,
  )) as [{ count: number }[], unknown];
  if (count > 0) await unsealColumns(q.sequelize, secrets(), COLUMNS);
  await q.sequelize.query(`
    ALTER TABLE publications
      ALTER COLUMN upload_state DROP DEFAULT,
      ALTER COLUMN upload_state TYPE jsonb USING upload_state::jsonb,
      ALTER COLUMN upload_state SET DEFAULT '{}'::jsonb`);
}
