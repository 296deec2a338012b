/** A logged-in browser: the cookie's token is stored as its SHA-256 only. */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

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
