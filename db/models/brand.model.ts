import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { BrandColors } from '../../lib/social';

export type { BrandColors };

export class Brand extends Model<InferAttributes<Brand>, InferCreationAttributes<Brand>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare name: string;
  declare slug: string;
  declare slogan: string | null;
  declare mission: string | null;
  declare vision: string | null;
  declare category: string | null;
  declare voice: string | null;
  declare website: string | null;
  declare keywords: string[];
  declare contentPillars: CreationOptional<string[]>;
  declare colors: BrandColors;
  declare fontFamily: string | null;
  declare logoKey: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Brand.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        name: { type: DataTypes.STRING(120), allowNull: false },
        slug: { type: DataTypes.STRING(80), allowNull: false, unique: true },
        slogan: { type: DataTypes.STRING(200), allowNull: true },
        mission: { type: DataTypes.TEXT, allowNull: true },
        vision: { type: DataTypes.TEXT, allowNull: true },
        category: { type: DataTypes.STRING(80), allowNull: true },
        voice: { type: DataTypes.STRING(200), allowNull: true },
        website: { type: DataTypes.STRING(300), allowNull: true },
        keywords: { type: DataTypes.ARRAY(DataTypes.STRING(60)), allowNull: false, defaultValue: [] },
        contentPillars: { type: DataTypes.ARRAY(DataTypes.STRING(80)), allowNull: false, defaultValue: [] },
        colors: { type: DataTypes.JSONB, allowNull: false },
        fontFamily: { type: DataTypes.STRING(80), allowNull: true },
        logoKey: { type: DataTypes.STRING(300), allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'brands', underscored: true },
    );
  }
}
