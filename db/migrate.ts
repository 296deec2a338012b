/** `npm run db:migrate`: applies pending migrations to DATABASE_URL. */
import { config as loadConfig } from '../lib/config';
import { logFatal } from '../lib/logger';
import { connectDatabase, migrate } from './index';

async function main() {
  const config = loadConfig();
  if (!config.database.url) throw new Error('Set DATABASE_URL (npm run dev migrates its embedded PostgreSQL itself)');
  const db = connectDatabase(config.database.url);
  try {
    const applied = await migrate(db.sequelize);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date');
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  logFatal(err, 'Migrations failed');
  process.exit(1);
});
