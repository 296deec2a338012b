import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** The ideal customer profile of a workspace (brandId null) or of one brand; `profile` is lib/leads/profile.ts. */
export class LeadProfileRow extends Model<InferAttributes<LeadProfileRow>, InferCreationAttributes<LeadProfileRow>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string | null;
  declare profile: unknown;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    LeadProfileRow.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: true },
        profile: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'lead_profiles', underscored: true },
    );
  }
}
