/**
 * Issue 8: channel page views count unique visitors per post and day, so reloads and bots do not inflate the KPIs that
 * reports are built from. A visitor is an HMAC of their address and user agent under a salt of the day; salts of past
 * days are deleted, after which no stored hash can be linked to anyone.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('visitor_salts', {
    day: { type: DataTypes.DATEONLY, primaryKey: true },
    salt: { type: DataTypes.CHAR(64), allowNull: false },
  });
  await q.createTable('post_visits', {
    post_id: {
      type: DataTypes.UUID,
      allowNull: false,
      primaryKey: true,
      references: { model: 'posts', key: 'id' },
      onDelete: 'CASCADE',
    },
    day: { type: DataTypes.DATEONLY, allowNull: false, primaryKey: true },
    visitor_hash: { type: DataTypes.CHAR(64), allowNull: false, primaryKey: true },
  });
  await q.addIndex('post_visits', ['day']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('post_visits');
  await q.dropTable('visitor_salts');
}
