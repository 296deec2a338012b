/**
 * `npm run secrets:rotate`: re-seals every sealed column (db/sealed-columns.ts) with the first key of SECRETS_KEYS,
 * and seals any value still in clear. Rotation: put a new key first in SECRETS_KEYS and keep the old ones, restart
 * the processes, run this, then remove the old keys. Safe to run while the API serves, and to run again.
 * `npm run secrets:rotate -- --generate-key <id>` prints a new `id:base64key` entry and touches nothing.
 */
import { connectDatabase } from '../db';
import { rotateSecrets } from '../db/sealed-columns';
import { config as loadConfig } from '../lib/config';
import { logFatal } from '../lib/logger';
import { generateKeyEntry, secretBoxFromConfig } from '../lib/secrets';

async function main() {
  const flag = process.argv.indexOf('--generate-key');
  if (flag >= 0) {
    console.log(
      generateKeyEntry(process.argv[flag + 1] ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`),
    );
    return;
  }
  const config = loadConfig();
  if (!config.database.url) throw new Error('Set DATABASE_URL (the database whose secrets to re-seal)');
  const box = secretBoxFromConfig(config);
  const db = connectDatabase(config.database.url);
  try {
    for (const r of await rotateSecrets(db.sequelize, box))
      console.log(`${r.table}.${r.column}: ${r.resealed} re-sealed, ${r.sealed} sealed from clear (key ${box.keyId})`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  logFatal(err, 'Re-sealing secrets failed');
  process.exit(1);
});
