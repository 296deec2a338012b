/**
 * Every column that holds a value sealed by lib/secrets, and the one routine that seals or re-seals them in place.
 * A new sealed column (TOTP seeds, platform tokens) joins SEALED_COLUMNS and `npm run secrets:rotate` covers it.
 * Each value's context is `table.column:<row id>` (see `sealedContext`), so a value cannot be moved to another row.
 */
import type { Sequelize } from 'sequelize';
import { sealedContext, SecretBoxError, type SecretBox } from '../lib/secrets';

export interface SealedColumn {
  table: string;
  column: string;
  /** The row's primary key; `id` unless said otherwise. */
  idColumn?: string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'webhook_endpoints', column: 'secret' },
  // JSON text: upload sessions, upload tokens and pre-signed URLs handed out by the platforms.
  { table: 'publications', column: 'upload_state' },
  // TOTP secrets of users with two-factor (migration 0007; sealed from the start, so no migration seals them).
  { table: 'users', column: 'totp_secret' },
  // The CRM callback's signing secret (migration 0012; sealed from the start).
  { table: 'lead_callbacks', column: 'secret', idColumn: 'workspace_id' },
  // A brand's platform tokens and the PKCE verifier of a connect in flight (migration 0016; sealed from the start).
  { table: 'connected_accounts', column: 'access_token' },
  { table: 'connected_accounts', column: 'refresh_token' },
  { table: 'oauth_states', column: 'code_verifier' },
];

export interface SealReport {
  table: string;
  column: string;
  /** Plaintext values found and sealed. */
  sealed: number;
  /** Values sealed with an older key, re-sealed with the current one. */
  resealed: number;
}

/**
 * `plaintext`: seals values not sealed yet (a migration that introduces sealing). `rotate`: also re-seals every
 * value sealed with a key other than the box's current one. Rows are read in batches and each is updated only if
 * it still holds what was read, so writers running alongside are never overwritten; a crash leaves every row either
 * old or new, and running again finishes the job.
 */
export async function sealColumns(
  sequelize: Sequelize,
  box: SecretBox & { readonly keyId: string },
  columns: readonly SealedColumn[],
  mode: 'plaintext' | 'rotate',
  batchSize = 200,
): Promise<SealReport[]> {
  const q = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);
  const reports: SealReport[] = [];
  for (const { table, column, idColumn = 'id' } of columns) {
    const report: SealReport = { table, column, sealed: 0, resealed: 0 };
    // left() rather than LIKE: key ids may hold "_", a LIKE wildcard.
    const pending =
      mode === 'plaintext' ? `left(${q(column)}, 7) <> 'enc:v1:'` : `left(${q(column)}, length(:current)) <> :current`;
    const failed = new Set<string>();
    for (;;) {
      const [rows] = (await sequelize.query(
        `SELECT ${q(idColumn)}::text AS id, ${q(column)} AS value FROM ${q(table)}
          WHERE ${q(column)} IS NOT NULL AND ${pending} ORDER BY ${q(idColumn)} LIMIT :limit`,
        { replacements: { current: `enc:v1:${box.keyId}:`, limit: batchSize + failed.size } },
      )) as [{ id: string; value: string }[], unknown];
      const batch = rows.filter((r) => !failed.has(r.id));
      if (batch.length === 0) break;
      for (const row of batch) {
        const context = sealedContext(table, column, row.id);
        // A value that starts like a sealed one but does not open is reported, never sealed again as if plain.
        const wasSealed = row.value.startsWith('enc:v1:');
        let next: string;
        try {
          next = box.seal(wasSealed ? box.open(row.value, context) : row.value, context);
        } catch (err) {
          // Named by row, never by value; the others are still re-sealed, and the run fails at the end.
          if (!(err instanceof SecretBoxError)) throw err;
          failed.add(row.id);
          continue;
        }
        const [, result] = (await sequelize.query(
          `UPDATE ${q(table)} SET ${q(column)} = :next WHERE ${q(idColumn)}::text = :id AND ${q(column)} = :value`,
          { replacements: { next, id: row.id, value: row.value } },
        )) as [unknown, { rowCount?: number }];
        if (result.rowCount === 1) report[wasSealed ? 'resealed' : 'sealed'] += 1;
      }
    }
    reports.push(report);
    if (failed.size)
      throw new SecretBoxError(
        `${failed.size} value(s) in ${table}.${column} do not open with the configured keys (rows ${[...failed].slice(0, 5).join(', ')}); keep the key that sealed them in SECRETS_KEYS`,
      );
  }
  return reports;
}

/** Opens every sealed value back to plaintext: only for the down migration of the one that sealed them. */
export async function unsealColumns(
  sequelize: Sequelize,
  box: SecretBox,
  columns: readonly SealedColumn[],
): Promise<void> {
  const q = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);
  for (const { table, column, idColumn = 'id' } of columns) {
    const [rows] = (await sequelize.query(
      `SELECT ${q(idColumn)}::text AS id, ${q(column)} AS value FROM ${q(table)} WHERE left(${q(column)}, 7) = 'enc:v1:'`,
    )) as [{ id: string; value: string }[], unknown];
    for (const row of rows)
      await sequelize.query(
        `UPDATE ${q(table)} SET ${q(column)} = :plain WHERE ${q(idColumn)}::text = :id AND ${q(column)} = :value`,
        {
          replacements: {
            plain: box.open(row.value, sealedContext(table, column, row.id)),
            id: row.id,
            value: row.value,
          },
        },
      );
  }
}

/** `npm run secrets:rotate`: every registered column, sealed with the box's current key. */
export function rotateSecrets(sequelize: Sequelize, box: SecretBox & { readonly keyId: string }) {
  return sealColumns(sequelize, box, SEALED_COLUMNS, 'rotate');
}
