/** API process entry: migrate, bootstrap the first admin on an empty database, serve. */
import { Client, Connection } from '@temporalio/client';
import { connectDatabase, migrate } from '../db';
import { config as loadConfig } from '../lib/config';
import { configureLogger, logFatal } from '../lib/logger';
import { ensureMaintenanceSchedule } from './maintenance-schedule';
import { startServer, stopServer } from './server';

async function main() {
  const config = loadConfig();
  const log = configureLogger(config.logLevel).child({ component: 'api' });
  if (!config.database.url)
    throw new Error('DATABASE_URL is required (npm run dev sets it for the embedded PostgreSQL)');

  const db = connectDatabase(config.database.url, { poolMax: config.database.poolMax });
  const applied = await migrate(db.sequelize);
  if (applied.length) log.info('Applied migrations', { applied });

  // Webhook deliveries need PostgreSQL only (they wait in the inbox): the API starts with Temporal away, and the
  // connection comes up when Temporal does.
  const connection = await Connection.connect({ address: config.temporal.address }).catch((err: unknown) => {
    log.warn('Temporal is unreachable: starting without it', { address: config.temporal.address, err });
    return Connection.lazy({ address: config.temporal.address });
  });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const running = await startServer({ config, db, temporal }, { port: config.api.port, host: config.api.host });
  let stopping = false;
  void (async () => {
    for (let wait = 1_000; !stopping; wait = Math.min(wait * 2, 30_000)) {
      try {
        const schedule = await ensureMaintenanceSchedule(temporal, {
          taskQueue: config.temporal.taskQueues.main,
          intervalMinutes: config.accounts.maintenanceIntervalMinutes,
        });
        log.info(
          schedule.created ? 'Created the account maintenance schedule' : 'Account maintenance schedule is in place',
          {
            scheduleId: schedule.scheduleId,
          },
        );
        return;
      } catch (err) {
        log.warn('The account maintenance schedule could not be ensured yet', { err });
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  })();

  const first = await running.services.accounts.bootstrap({
    workspaceName: config.bootstrap.workspaceName,
    adminEmail: config.bootstrap.adminEmail,
    adminPassword: config.bootstrap.adminPassword,
  });
  if (first) {
    log.info('Created the first workspace and admin', { email: first.user.email });
    if (config.bootstrap.credits > 0) {
      // Keyed by the workspace: granted at most once, whatever happens to this process.
      await running.services.credits.grant(
        first.workspace.id,
        { kind: 'system', id: 'bootstrap', name: 'Studioflow' },
        { amount: config.bootstrap.credits, note: 'Starting credits' },
        `bootstrap/${first.workspace.id}`,
      );
    }
    console.log(
      `\n  First start: log in at ${config.api.publicUrl} as ${first.user.email} with password ${first.password}\n`,
    );
  }
  log.info('API listening', { url: config.api.publicUrl, port: running.port });

  const stop = async (signal: string) => {
    log.info('Shutting down API', { signal });
    stopping = true;
    await stopServer(running);
    await connection.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  logFatal(err, 'The API did not start');
  process.exit(1);
});
