/**
 * Issue 8: counters of the rate limits that must hold across API replicas and restarts (log-in failures per account
 * and per address, unauthenticated auth routes per address). The shape is rate-limiter-flexible's
 * RateLimiterPostgres table: keys are prefixed hashes, `expire` is epoch milliseconds.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('rate_limits', {
    key: { type: DataTypes.STRING(255), primaryKey: true },
    points: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    expire: { type: DataTypes.BIGINT, allowNull: true },
  });
  await q.addIndex('rate_limits', ['expire']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('rate_limits');
}
