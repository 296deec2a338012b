/**
 * Issue 16, asynchronous `POST /runs`: a run request accepted with `Prefer: respond-async` goes into the same inbox
 * as webhook deliveries (`webhook_deliveries`), started by the same dispatcher. Such a row has no endpoint: its
 * `endpoint_id` is NULL and its `delivery_id` is the request's `requestId`, unique per workspace. The primary key
 * (endpoint, delivery id) becomes a unique index, which keeps a webhook delivery id unique per endpoint.
 */
import type { QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.sequelize.query(`
    ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_pkey,
      ALTER COLUMN endpoint_id DROP NOT NULL`);
  await q.sequelize.query(`
    CREATE UNIQUE INDEX webhook_deliveries_endpoint_delivery ON webhook_deliveries (endpoint_id, delivery_id)`);
  // A run request's requestId names one request in its workspace.
  await q.sequelize.query(`
    CREATE UNIQUE INDEX webhook_deliveries_run_request ON webhook_deliveries (workspace_id, delivery_id)
      WHERE endpoint_id IS NULL`);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  // Run requests have no endpoint to belong to in the old key.
  await q.sequelize.query(`DELETE FROM webhook_deliveries WHERE endpoint_id IS NULL`);
  await q.sequelize.query(`DROP INDEX IF EXISTS webhook_deliveries_run_request`);
  await q.sequelize.query(`DROP INDEX IF EXISTS webhook_deliveries_endpoint_delivery`);
  await q.sequelize.query(`
    ALTER TABLE webhook_deliveries ALTER COLUMN endpoint_id SET NOT NULL,
      ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (endpoint_id, delivery_id)`);
}
