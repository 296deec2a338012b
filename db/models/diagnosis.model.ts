import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export class Diagnosis extends Model<InferAttributes<Diagnosis>, InferCreationAttributes<Diagnosis>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string;
  declare status: CreationOptional<'draft' | 'complete'>;
  declare answers: CreationOptional<Record<string, unknown>>;
  declare completedSteps: CreationOptional<string[]>;
  declare scores: CreationOptional<object | null>;
  declare completedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Diagnosis.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'draft' },
        answers: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        completedSteps: { type: DataTypes.ARRAY(DataTypes.STRING(24)), allowNull: false, defaultValue: [] },
        scores: { type: DataTypes.JSONB, allowNull: true },
        completedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'diagnoses', underscored: true },
    );
  }
}
