import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { FieldSources, LeadSourceKind, LeadStatus } from '../../lib/leads/lead-fields';
import type { ScoreReason } from '../../lib/leads/score';

export type { ScoreReason };

export class Lead extends Model<InferAttributes<Lead>, InferCreationAttributes<Lead>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string | null;
  declare companyName: string | null;
  declare website: string | null;
  declare domain: string | null;
  declare emails: string[];
  declare phones: string[];
  declare socials: Record<string, string>;
  declare address: string | null;
  declare city: string | null;
  declare country: string | null;
  declare category: string | null;
  declare description: string | null;
  declare language: string | null;
  declare technologies: string[];
  declare score: number | null;
  declare scoreReasons: ScoreReason[];
  declare status: CreationOptional<LeadStatus>;
  declare failureReason: string | null;
  declare fieldSources: FieldSources;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
    const list = (length: number) => ({
      type: DataTypes.ARRAY(DataTypes.STRING(length)),
      allowNull: false,
      defaultValue: [],
    });
    Lead.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: true },
        companyName: text(300),
        website: text(2048),
        domain: text(253),
        emails: list(320),
        phones: list(40),
        socials: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        address: text(500),
        city: text(120),
        country: text(80),
        category: text(120),
        description: { type: DataTypes.TEXT, allowNull: true },
        language: text(16),
        technologies: list(80),
        score: { type: DataTypes.SMALLINT, allowNull: true },
        scoreReasons: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'new' },
        failureReason: { type: DataTypes.TEXT, allowNull: true },
        fieldSources: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'leads', underscored: true },
    );
  }
}

/** One arrival of a lead: an import row, an API call, a webhook delivery, a Places result. */
export class LeadSource extends Model<InferAttributes<LeadSource>, InferCreationAttributes<LeadSource>> {
  declare id: CreationOptional<string>;
  declare leadId: string;
  declare workspaceId: string;
  declare kind: LeadSourceKind;
  declare reference: string | null;
  declare row: number | null;
  declare outcome: 'created' | 'merged';
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    LeadSource.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        leadId: { type: DataTypes.UUID, allowNull: false },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        reference: { type: DataTypes.STRING(300), allowNull: true },
        row: { type: DataTypes.INTEGER, allowNull: true },
        outcome: { type: DataTypes.STRING(16), allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'lead_sources', underscored: true, updatedAt: false },
    );
  }
}
