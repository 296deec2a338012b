import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const CREDIT_ENTRY_KINDS = ['grant', 'reserve', 'capture', 'release', 'adjust'] as const;
export type CreditEntryKind = (typeof CREDIT_ENTRY_KINDS)[number];

/**
 * One row of a workspace's append-only credit ledger (migration 0004, docs/credits.md). Rows are only ever
 * created: the database refuses UPDATE and DELETE. The id is a BIGINT sequence and arrives from pg as a string.
 */
export class CreditEntry extends Model<InferAttributes<CreditEntry>, InferCreationAttributes<CreditEntry>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare kind: CreditEntryKind;
  declare amount: number;
  declare reservationId: string | null;
  declare idempotencyKey: string | null;
  declare reference: string | null;
  declare description: CreationOptional<string>;
  declare createdBy: string | null;
  declare metadata: CreationOptional<Record<string, unknown>>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    CreditEntry.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        amount: { type: DataTypes.INTEGER, allowNull: false },
        reservationId: { type: DataTypes.STRING(300), allowNull: true },
        idempotencyKey: { type: DataTypes.STRING(400), allowNull: true, unique: true },
        reference: { type: DataTypes.STRING(400), allowNull: true },
        description: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        createdBy: { type: DataTypes.UUID, allowNull: true },
        metadata: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'credit_entries', underscored: true, updatedAt: false },
    );
  }
}
