import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { Role } from '../../lib/roles';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare email: string;
  declare name: string;
  declare passwordHash: string;
  declare role: Role;
  /** A disabled user cannot log in; their sessions and keys were ended when it was set. */
  declare disabledAt: CreationOptional<Date | null>;
  /** Operates the instance (the bootstrap admin): may grant credits beyond CREDIT_SELF_GRANT_CAP. */
  declare instanceAdmin: CreationOptional<boolean>;
  /** The TOTP secret, sealed with lib/secrets (context `users.totp_secret:<id>`); set at enrolment. */
  declare totpSecret: CreationOptional<string | null>;
  /** Two-factor is on once the first code was confirmed. */
  declare totpEnabledAt: CreationOptional<Date | null>;
  /** The last TOTP time step accepted; an older or equal one is a replay. */
  declare totpLastStep: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    User.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(120), allowNull: false },
        passwordHash: { type: DataTypes.STRING(100), allowNull: false },
        role: { type: DataTypes.STRING(16), allowNull: false },
        disabledAt: { type: DataTypes.DATE, allowNull: true },
        instanceAdmin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        totpSecret: { type: DataTypes.TEXT, allowNull: true },
        totpEnabledAt: { type: DataTypes.DATE, allowNull: true },
        totpLastStep: { type: DataTypes.BIGINT, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'users', underscored: true },
    );
  }
}
