import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A side effect already performed, keyed by `${workflowId}/${step}`, with what it returned. */
export class IdempotencyRecord extends Model<
  InferAttributes<IdempotencyRecord>,
  InferCreationAttributes<IdempotencyRecord>
> {
  declare key: string;
  declare scope: string;
  declare result: unknown;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    IdempotencyRecord.init(
      {
        key: { type: DataTypes.STRING(400), primaryKey: true },
        scope: { type: DataTypes.STRING(60), allowNull: false },
        result: { type: DataTypes.JSONB, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'idempotency_records', underscored: true, updatedAt: false },
    );
  }
}
