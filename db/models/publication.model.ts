import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type PublicationStatus = 'pending' | 'published' | 'failed';

/**
 * One video published (or being published) on one platform, keyed by `<workflowId>/publish/<platform>`. The upload
 * checkpoint (`uploadState`) is written as soon as a platform hands out a session or id, so a retried activity resumes
 * the same upload instead of sending the video twice.
 */
export class Publication extends Model<InferAttributes<Publication>, InferCreationAttributes<Publication>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string;
  declare workflowId: string;
  declare platform: string;
  declare status: CreationOptional<PublicationStatus>;
  declare externalId: CreationOptional<string | null>;
  declare url: CreationOptional<string | null>;
  declare idempotencyKey: string;
  /** JSON, sealed by lib/secrets (it holds upload sessions and pre-signed URLs); the repository seals and opens it. */
  declare uploadState: CreationOptional<string>;
  declare error: CreationOptional<string | null>;
  declare stats: CreationOptional<{ views: number; likes: number; comments: number } | null>;
  declare statsAt: CreationOptional<Date | null>;
  declare publishedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Publication.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: false },
        workflowId: { type: DataTypes.STRING(300), allowNull: false },
        platform: { type: DataTypes.STRING(16), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        externalId: { type: DataTypes.STRING(300), allowNull: true },
        url: { type: DataTypes.STRING(1000), allowNull: true },
        idempotencyKey: { type: DataTypes.STRING(400), allowNull: false, unique: true },
        uploadState: { type: DataTypes.TEXT, allowNull: false, defaultValue: '{}' },
        error: { type: DataTypes.TEXT, allowNull: true },
        stats: { type: DataTypes.JSONB, allowNull: true },
        statsAt: { type: DataTypes.DATE, allowNull: true },
        publishedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'publications', underscored: true },
    );
  }
}
