import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string;
  declare channelId: string;
  declare platform: string;
  declare postType: string;
  declare caption: string;
  declare hashtags: string[];
  declare callToAction: string;
  declare altText: string;
  declare imageKey: string | null;
  /** A carousel's images in order (the first is `imageKey`); null for one image or a video. */
  declare slideKeys: CreationOptional<string[] | null>;
  /** `video` posts play `videoKey` with `subtitlesKey` (WebVTT) and show `thumbnailKey` as the poster. */
  declare mediaKind: CreationOptional<'image' | 'video'>;
  declare title: CreationOptional<string | null>;
  declare videoKey: CreationOptional<string | null>;
  declare videoBytes: CreationOptional<number | null>;
  declare subtitlesKey: CreationOptional<string | null>;
  /** BCP 47 language of the subtitles track. */
  declare subtitlesLanguage: CreationOptional<string | null>;
  declare thumbnailKey: CreationOptional<string | null>;
  declare durationSeconds: CreationOptional<number | null>;
  declare status: 'published' | 'draft';
  declare workflowId: string | null;
  declare idempotencyKey: string | null;
  declare publishedAt: Date | null;
  /** Page views on the local channel, counted by the channel routes. */
  declare views: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Post.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: false },
        channelId: { type: DataTypes.UUID, allowNull: false },
        platform: { type: DataTypes.STRING(24), allowNull: false },
        postType: { type: DataTypes.STRING(24), allowNull: false },
        caption: { type: DataTypes.TEXT, allowNull: false },
        hashtags: { type: DataTypes.ARRAY(DataTypes.STRING(100)), allowNull: false, defaultValue: [] },
        callToAction: { type: DataTypes.TEXT, allowNull: false },
        altText: { type: DataTypes.TEXT, allowNull: false },
        imageKey: { type: DataTypes.STRING(300), allowNull: true },
        slideKeys: { type: DataTypes.ARRAY(DataTypes.STRING(300)), allowNull: true },
        mediaKind: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'image' },
        title: { type: DataTypes.STRING(300), allowNull: true },
        videoKey: { type: DataTypes.STRING(512), allowNull: true },
        // BIGINT arrives as a string from pg; sizes stay far below 2^53.
        videoBytes: {
          type: DataTypes.BIGINT,
          allowNull: true,
          get(this: Post) {
            const raw = this.getDataValue('videoBytes') as number | string | null;
            return raw === null ? null : Number(raw);
          },
        },
        subtitlesKey: { type: DataTypes.STRING(512), allowNull: true },
        subtitlesLanguage: { type: DataTypes.STRING(16), allowNull: true },
        thumbnailKey: { type: DataTypes.STRING(512), allowNull: true },
        durationSeconds: { type: DataTypes.DOUBLE, allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false },
        workflowId: { type: DataTypes.STRING(300), allowNull: true },
        idempotencyKey: { type: DataTypes.STRING(400), allowNull: true, unique: true },
        publishedAt: { type: DataTypes.DATE, allowNull: true },
        views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'posts', underscored: true },
    );
  }
}
