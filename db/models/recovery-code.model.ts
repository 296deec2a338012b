/** A TOTP recovery code, stored as its SHA-256 only; one use each. */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export class RecoveryCode extends Model<InferAttributes<RecoveryCode>, InferCreationAttributes<RecoveryCode>> {
  declare userId: string;
  declare codeHash: string;
  declare usedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    RecoveryCode.init(
      {
        userId: { type: DataTypes.UUID, primaryKey: true },
        codeHash: { type: DataTypes.CHAR(64), primaryKey: true },
        usedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'recovery_codes', underscored: true, updatedAt: false },
    );
  }
}
