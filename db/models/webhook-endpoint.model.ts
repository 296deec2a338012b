import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { DeliveryState } from '../../lib/delivery-states';

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

/**
 * The delivery inbox (migration 0013): one row per accepted delivery, holding the prepared run the dispatcher
 * starts. A replayed `webhook-id` finds its row and the workflow id it has or will have.
 */
export class WebhookDelivery extends Model<InferAttributes<WebhookDelivery>, InferCreationAttributes<WebhookDelivery>> {
  /** NULL for a run request (`POST /runs` with `Prefer: respond-async`, migration 0019): its id is its requestId. */
  declare endpointId: string | null;
  declare deliveryId: string;
  declare workspaceId: string;
  declare automation: string;
  /** The mapped input as the automation's schema parsed it (the run's memo). */
  declare input: unknown;
  declare workflowType: string;
  declare workflowId: string;
  declare args: unknown[];
  declare brandId: string | null;
  declare taskQueue: string;
  declare startedBy: string;
  declare state: CreationOptional<DeliveryState>;
  declare attempts: CreationOptional<number>;
  declare lastError: CreationOptional<string | null>;
  /** When the dispatcher may claim it next (a claim pushes it out by a lease). */
  declare nextAttemptAt: CreationOptional<Date>;
  declare dispatchedAt: CreationOptional<Date | null>;
  declare receivedAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    WebhookDelivery.init(
      {
        // Unique with deliveryId (a unique index since migration 0019); the model keeps it as its key.
        endpointId: { type: DataTypes.UUID, primaryKey: true, allowNull: true },
        deliveryId: { type: DataTypes.STRING(200), primaryKey: true },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        automation: { type: DataTypes.STRING(60), allowNull: false },
        input: { type: DataTypes.JSONB, allowNull: false },
        workflowType: { type: DataTypes.STRING(120), allowNull: false },
        workflowId: { type: DataTypes.STRING(300), allowNull: false },
        args: { type: DataTypes.JSONB, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: true },
        taskQueue: { type: DataTypes.STRING(200), allowNull: false },
        startedBy: { type: DataTypes.STRING(200), allowNull: false },
        state: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        lastError: { type: DataTypes.TEXT, allowNull: true },
        nextAttemptAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        dispatchedAt: { type: DataTypes.DATE, allowNull: true },
        receivedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        updatedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'webhook_deliveries', underscored: true, timestamps: false },
    );
  }
}
