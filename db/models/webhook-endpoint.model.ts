import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export class WebhookEndpoint extends Model<InferAttributes<WebhookEndpoint>, InferCreationAttributes<WebhookEndpoint>> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare name: string;
  declare automation: string;
  /** Automation input field -> JSON pointer into the delivered body, or a constant. */
  declare inputMapping: Record<string, unknown>;
  /** Standard Webhooks secret (`whsec_` + base64), sealed by lib/secrets: the repository seals and opens it. */
  declare secret: string;
  declare enabled: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    WebhookEndpoint.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        name: { type: DataTypes.STRING(120), allowNull: false },
        automation: { type: DataTypes.STRING(60), allowNull: false },
        inputMapping: { type: DataTypes.JSONB, allowNull: false },
        secret: { type: DataTypes.TEXT, allowNull: false },
        enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'webhook_endpoints', underscored: true },
    );
  }
}

/** One row per accepted delivery: a replayed `webhook-id` finds the workflow it started. */
export class WebhookDelivery extends Model<InferAttributes<WebhookDelivery>, InferCreationAttributes<WebhookDelivery>> {
  declare endpointId: string;
  declare deliveryId: string;
  declare workflowId: string;
  declare receivedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    WebhookDelivery.init(
      {
        endpointId: { type: DataTypes.UUID, primaryKey: true },
        deliveryId: { type: DataTypes.STRING(200), primaryKey: true },
        workflowId: { type: DataTypes.STRING(300), allowNull: false },
        receivedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'webhook_deliveries', underscored: true, timestamps: false },
    );
  }
}
