import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** One period's KPIs of a brand. BIGINT columns arrive as strings from pg; the repository converts them. */
export class BrandKpi extends Model<InferAttributes<BrandKpi>, InferCreationAttributes<BrandKpi>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string;
  declare period: string;
  declare followers: number | string | null;
  declare engagementRate: number | null;
  declare views: number | string | null;
  declare posts: number | null;
  declare source: 'manual' | 'csv' | 'local-channel';
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    BrandKpi.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: false },
        period: { type: DataTypes.DATEONLY, allowNull: false },
        followers: { type: DataTypes.BIGINT, allowNull: true },
        engagementRate: { type: DataTypes.DOUBLE, allowNull: true },
        views: { type: DataTypes.BIGINT, allowNull: true },
        posts: { type: DataTypes.INTEGER, allowNull: true },
        source: { type: DataTypes.STRING(16), allowNull: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'brand_kpis', underscored: true },
    );
  }
}
