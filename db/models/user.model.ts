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

export class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
  /** sha256 of the cookie's token: a leaked table does not leak sessions. */
  declare id: string;
  /** What the owner sees and revokes by; the primary key (the hash) never leaves the server. */
  declare publicId: CreationOptional<string>;
  declare userId: string;
  declare expiresAt: Date;
  declare userAgent: CreationOptional<string | null>;
  declare ip: CreationOptional<string | null>;
  declare lastSeenAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Session.init(
      {
        id: { type: DataTypes.STRING(64), primaryKey: true },
        publicId: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4 },
        userId: { type: DataTypes.UUID, allowNull: false },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        userAgent: { type: DataTypes.STRING(300), allowNull: true },
        ip: { type: DataTypes.STRING(64), allowNull: true },
        lastSeenAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'sessions', underscored: true, updatedAt: false },
    );
  }
}

export class ApiKey extends Model<InferAttributes<ApiKey>, InferCreationAttributes<ApiKey>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare name: string;
  /** The public, recognisable part of the key (`sf_` + 12 chars); the secret part is stored hashed. */
  declare prefix: string;
  declare secretHash: string;
  declare role: Role;
  declare createdBy: string | null;
  declare lastUsedAt: CreationOptional<Date | null>;
  declare revokedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ApiKey.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        name: { type: DataTypes.STRING(120), allowNull: false },
        prefix: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        secretHash: { type: DataTypes.STRING(64), allowNull: false },
        role: { type: DataTypes.STRING(16), allowNull: false },
        createdBy: { type: DataTypes.UUID, allowNull: true },
        lastUsedAt: { type: DataTypes.DATE, allowNull: true },
        revokedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'api_keys', underscored: true },
    );
  }
}
