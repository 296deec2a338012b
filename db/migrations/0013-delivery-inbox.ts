/**
 * Issue 16, durable intake: `webhook_deliveries` becomes an inbox. A delivery is accepted once its row is written
 * (prepared run included: workflow type, id, arguments, task queue); a dispatcher starts the workflow from it later.
 * The primary key (endpoint, delivery id) stays, so a delivery id is unique per endpoint. Rows from before this
 * migration were started synchronously: they become `dispatched`.
 */
import type { QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.sequelize.query(`
    ALTER TABLE webhook_deliveries
      ADD COLUMN workspace_id UUID REFERENCES workspaces (id) ON DELETE CASCADE,
      ADD COLUMN automation VARCHAR(60),
      ADD COLUMN input JSONB NOT NULL DEFAULT '{}',
      ADD COLUMN workflow_type VARCHAR(120) NOT NULL DEFAULT '',
      ADD COLUMN args JSONB NOT NULL DEFAULT '[]',
      ADD COLUMN brand_id UUID,
      ADD COLUMN task_queue VARCHAR(200) NOT NULL DEFAULT '',
      ADD COLUMN started_by VARCHAR(200) NOT NULL DEFAULT '',
      ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'pending',
      ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
      ADD COLUMN last_error TEXT,
      ADD COLUMN next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      ADD COLUMN dispatched_at TIMESTAMPTZ,
      ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now()`);
  await q.sequelize.query(`
    UPDATE webhook_deliveries d
       SET workspace_id = e.workspace_id, automation = e.automation, state = 'dispatched',
           dispatched_at = d.received_at, updated_at = d.received_at
      FROM webhook_endpoints e
     WHERE e.id = d.endpoint_id`);
  await q.sequelize.query(`
    ALTER TABLE webhook_deliveries
      ALTER COLUMN workspace_id SET NOT NULL,
      ALTER COLUMN automation SET NOT NULL,
      ADD CONSTRAINT webhook_deliveries_state_check CHECK (state IN ('pending', 'dispatched', 'failed'))`);
  // The dispatcher's claim: a queue's pending rows in arrival order, and the earlier pending rows of an endpoint.
  await q.sequelize.query(`
    CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (task_queue, received_at) WHERE state = 'pending'`);
  await q.sequelize.query(`
    CREATE INDEX webhook_deliveries_endpoint_pending ON webhook_deliveries (endpoint_id, received_at)
      WHERE state = 'pending'`);
  // The endpoint's listing, newest first; and pruning of old dispatched rows.
  await q.sequelize.query(`
    CREATE INDEX webhook_deliveries_endpoint_received ON webhook_deliveries (endpoint_id, received_at DESC, delivery_id DESC)`);
  await q.sequelize.query(`
    CREATE INDEX webhook_deliveries_dispatched ON webhook_deliveries (dispatched_at) WHERE state = 'dispatched'`);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  // Rows never started have no workflow to point at: the old table held started deliveries only.
  await q.sequelize.query(`DELETE FROM webhook_deliveries WHERE state <> 'dispatched'`);
  for (const index of [
    'webhook_deliveries_pending',
    'webhook_deliveries_endpoint_pending',
    'webhook_deliveries_endpoint_received',
    'webhook_deliveries_dispatched',
  ])
    await q.sequelize.query(`DROP INDEX IF EXISTS ${index}`);
  await q.sequelize.query(`
    ALTER TABLE webhook_deliveries
      DROP CONSTRAINT webhook_deliveries_state_check,
      DROP COLUMN workspace_id, DROP COLUMN automation, DROP COLUMN input, DROP COLUMN workflow_type,
      DROP COLUMN args, DROP COLUMN brand_id, DROP COLUMN task_queue, DROP COLUMN started_by, DROP COLUMN state,
      DROP COLUMN attempts, DROP COLUMN last_error, DROP COLUMN next_attempt_at, DROP COLUMN dispatched_at,
      DROP COLUMN updated_at`);
}
