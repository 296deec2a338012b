/**
 * Issue 4, credits: each workspace's credit balance as an append-only ledger (`credit_entries`). Nothing is ever
 * updated or deleted; every movement is a new row. See docs/credits.md.
 *
 * Entries and their signs (amounts are whole credits):
 *
 *   kind      amount  reservation_id  meaning
 *   grant       > 0   null            credits added by an admin
 *   adjust     <> 0   null            a correction (either way)
 *   reserve    <= 0   required        a hold taken when a video starts (−estimate)
 *   release    >= 0   required        a hold given back (+hold): on failure or cancellation, and as the first half
 *                                     of a capture (a release before any reserve is a 0-credit tombstone)
 *   capture    <= 0   required        the charge on success (−actual cost)
 *
 * Arithmetic, per workspace:
 *
 *   balance   = Σ amount of grant, adjust and capture entries       credits owned
 *   reserved  = −Σ amount of reserve and release entries            open holds (a settled hold nets to 0)
 *   available = balance − reserved = Σ amount of every entry        what a new reservation may take
 *
 * A reservation is settled once: its steps carry the idempotency keys `<reservationId>/reserve`, `…/capture` and
 * `…/release` (unique, and checked against the row's kind and reservation here), so a retried or replayed step
 * finds its row instead of writing a second one. A capture writes its `release` (+hold) and its `capture` (−actual)
 * in one transaction, so a later release finds the key taken and does nothing, and a capture after a release finds
 * the reservation closed.
 *
 * Guards in the database, whatever the client:
 * - UPDATE, DELETE and TRUNCATE raise an exception (rows of a deleted workspace go with it through the cascade);
 * - a negative entry takes a per-workspace transaction advisory lock (the one the repository takes) and is refused
 *   when it would make `available` negative, so concurrent reservations cannot overdraw.
 */
import { DataTypes, Op, type QueryInterface } from 'sequelize';

/**
 * The two-key advisory lock of a workspace's credits: `pg_advisory_xact_lock(727004, hashtext(workspace_id))`. The
 * repository (db/repositories/credit.repository.ts) takes the same lock.
 */
const CREDIT_LOCK_CLASS = 727_004;

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('credit_entries', {
    // A sequence, not a UUID: the ledger's order is the order rows were written, and the ledger's cursor is this id.
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    workspace_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'workspaces', key: 'id' },
      onDelete: 'CASCADE',
    },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    amount: { type: DataTypes.INTEGER, allowNull: false },
    reservation_id: { type: DataTypes.STRING(300), allowNull: true },
    idempotency_key: { type: DataTypes.STRING(400), allowNull: true, unique: true },
    reference: { type: DataTypes.STRING(400), allowNull: true },
    description: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
    // The user who granted or adjusted; no foreign key, so the ledger keeps the id after the user is deleted.
    created_by: { type: DataTypes.UUID, allowNull: true },
    metadata: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  });
  await q.sequelize.query(`
    ALTER TABLE credit_entries
      ADD CONSTRAINT credit_entries_kind_check
        CHECK (kind IN ('grant', 'reserve', 'capture', 'release', 'adjust')),
      ADD CONSTRAINT credit_entries_amount_check CHECK (
        (kind = 'grant' AND amount > 0) OR (kind = 'adjust' AND amount <> 0)
        OR (kind IN ('reserve', 'capture') AND amount <= 0) OR (kind = 'release' AND amount >= 0)),
      ADD CONSTRAINT credit_entries_saga_check CHECK (
        CASE WHEN kind IN ('reserve', 'capture', 'release')
          THEN reservation_id IS NOT NULL AND idempotency_key = reservation_id || '/' || kind
          ELSE reservation_id IS NULL END)`);
  // The ledger's pages (newest first) and the balance sums, the latter as index-only scans.
  await q.sequelize.query(
    'CREATE INDEX credit_entries_workspace_id_id ON credit_entries (workspace_id, id) INCLUDE (kind, amount)',
  );
  await q.addIndex('credit_entries', ['workspace_id', 'reservation_id'], {
    where: { reservation_id: { [Op.ne]: null } },
  });

  await q.sequelize.query(`
    CREATE FUNCTION credit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM workspaces WHERE id = OLD.workspace_id) THEN
        RETURN OLD; -- the workspace was deleted: its ledger goes with it (ON DELETE CASCADE)
      END IF;
      RAISE EXCEPTION 'credit_entries is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation', HINT = 'Record a correction as a new entry (kind adjust or release).';
    END $$`);
  await q.sequelize.query(`
    CREATE TRIGGER credit_entries_no_update_delete BEFORE UPDATE OR DELETE ON credit_entries
      FOR EACH ROW EXECUTE FUNCTION credit_entries_append_only()`);
  await q.sequelize.query(`
    CREATE TRIGGER credit_entries_no_truncate BEFORE TRUNCATE ON credit_entries
      FOR EACH STATEMENT EXECUTE FUNCTION credit_entries_append_only()`);

  await q.sequelize.query(`
    CREATE FUNCTION credit_entries_no_overdraw() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      available bigint;
    BEGIN
      IF NEW.amount < 0 THEN
        PERFORM pg_advisory_xact_lock(${CREDIT_LOCK_CLASS}, hashtext(NEW.workspace_id::text));
        SELECT coalesce(sum(amount), 0) INTO available FROM credit_entries WHERE workspace_id = NEW.workspace_id;
        IF available + NEW.amount < 0 THEN
          RAISE EXCEPTION 'credit_entries: % of % credits would overdraw workspace % (% available)',
            NEW.kind, -NEW.amount, NEW.workspace_id, available USING ERRCODE = 'check_violation';
        END IF;
      END IF;
      RETURN NEW;
    END $$`);
  await q.sequelize.query(`
    CREATE TRIGGER credit_entries_no_overdraw BEFORE INSERT ON credit_entries
      FOR EACH ROW EXECUTE FUNCTION credit_entries_no_overdraw()`);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  // Dropping the table drops its triggers; the functions go after.
  await q.dropTable('credit_entries');
  await q.sequelize.query('DROP FUNCTION credit_entries_no_overdraw()');
  await q.sequelize.query('DROP FUNCTION credit_entries_append_only()');
}
