import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const KNOWLEDGE_SOURCE_TYPES = ['text', 'markdown', 'html', 'pdf'] as const;
export type KnowledgeSourceType = (typeof KNOWLEDGE_SOURCE_TYPES)[number];

/** `pending` from upload until the first indexing finishes; re-indexing keeps the previous status until it ends. */
export const KNOWLEDGE_DOCUMENT_STATUSES = ['pending', 'indexed', 'failed'] as const;
export type KnowledgeDocumentStatus = (typeof KNOWLEDGE_DOCUMENT_STATUSES)[number];

/** One uploaded document of a brand's knowledge base; the original file lives in file storage under `fileKey`. */
export class KnowledgeDocument extends Model<
  InferAttributes<KnowledgeDocument>,
  InferCreationAttributes<KnowledgeDocument>
> {
  declare id: CreationOptional<string>;
  declare workspaceId: string;
  declare brandId: string;
  declare title: string;
  declare sourceType: KnowledgeSourceType;
  declare fileKey: string;
  declare bytes: number;
  declare sha256: string;
  declare status: CreationOptional<KnowledgeDocumentStatus>;
  declare chunkCount: CreationOptional<number>;
  /** The embedder that produced the stored vectors (`lexical:hashed-ngrams-v1:512`); null until indexed. */
  declare embeddingProvider: CreationOptional<string | null>;
  declare error: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    KnowledgeDocument.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: false },
        title: { type: DataTypes.STRING(300), allowNull: false },
        sourceType: { type: DataTypes.STRING(16), allowNull: false },
        fileKey: { type: DataTypes.STRING(512), allowNull: false },
        bytes: { type: DataTypes.INTEGER, allowNull: false },
        sha256: { type: DataTypes.STRING(64), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        chunkCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        embeddingProvider: { type: DataTypes.STRING(200), allowNull: true },
        error: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'knowledge_documents', underscored: true },
    );
  }
}

/**
 * A passage of a document with its embedding (PostgreSQL vector store). `brandId` and `workspaceId` repeat the
 * document's so a search filters without a join. `embedding_vec` (pgvector) is not mapped: raw SQL fills it.
 */
export class KnowledgeChunk extends Model<InferAttributes<KnowledgeChunk>, InferCreationAttributes<KnowledgeChunk>> {
  declare id: CreationOptional<string>;
  declare documentId: string;
  declare brandId: string;
  declare workspaceId: string;
  declare ordinal: number;
  declare heading: string | null;
  declare text: string;
  declare tokenCount: number;
  declare embedding: number[];
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    KnowledgeChunk.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        documentId: { type: DataTypes.UUID, allowNull: false },
        brandId: { type: DataTypes.UUID, allowNull: false },
        workspaceId: { type: DataTypes.UUID, allowNull: false },
        ordinal: { type: DataTypes.INTEGER, allowNull: false },
        heading: { type: DataTypes.TEXT, allowNull: true },
        text: { type: DataTypes.TEXT, allowNull: false },
        tokenCount: { type: DataTypes.INTEGER, allowNull: false },
        embedding: { type: DataTypes.ARRAY(DataTypes.REAL), allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'knowledge_chunks', underscored: true, updatedAt: false },
    );
  }
}
