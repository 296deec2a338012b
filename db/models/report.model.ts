import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type ReportStatus = 'generating' | 'ready' | 'sent' | 'rejected' | 'failed';

export class BrandReport extends Model<InferAttributes<BrandReport>, InferCreationAttributes<BrandReport>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string;
  declare diagnosisId: string;
  declare workflowId: string;
  declare status: CreationOptional<ReportStatus>;
  declare title: string;
  declare language: CreationOptional<string>;
  declare overall: CreationOptional<number | null>;
  declare pdfKey: CreationOptional<string | null>;
  declare htmlKey: CreationOptional<string | null>;
  declare pdfSha256: CreationOptional<string | null>;
  declare pages: CreationOptional<number | null>;
  declare bytes: CreationOptional<number | null>;
  declare recipients: CreationOptional<string[]>;
  declare emailedAt: CreationOptional<Date | null>;
  declare messageId: CreationOptional<string | null>;
  declare providers: CreationOptional<unknown[]>;
  declare scores: CreationOptional<object | null>;
  declare analysis: CreationOptional<object | null>;
  declare error: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    BrandReport.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: false },
        diagnosisId: { type: DataTypes.UUID, allowNull: false },
        workflowId: { type: DataTypes.STRING(300), allowNull: false, unique: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'generating' },
        title: { type: DataTypes.STRING(300), allowNull: false },
        language: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'en' },
        overall: { type: DataTypes.DOUBLE, allowNull: true },
        pdfKey: { type: DataTypes.STRING(512), allowNull: true },
        htmlKey: { type: DataTypes.STRING(512), allowNull: true },
        pdfSha256: { type: DataTypes.STRING(64), allowNull: true },
        pages: { type: DataTypes.INTEGER, allowNull: true },
        bytes: { type: DataTypes.INTEGER, allowNull: true },
        recipients: { type: DataTypes.ARRAY(DataTypes.STRING(254)), allowNull: false, defaultValue: [] },
        emailedAt: { type: DataTypes.DATE, allowNull: true },
        messageId: { type: DataTypes.STRING(300), allowNull: true },
        providers: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        scores: { type: DataTypes.JSONB, allowNull: true },
        analysis: { type: DataTypes.JSONB, allowNull: true },
        error: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'brand_reports', underscored: true },
    );
  }
}
