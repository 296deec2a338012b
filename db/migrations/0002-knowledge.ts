/**
 * The per-brand knowledge base: uploaded documents and their embedded chunks.
 *
 * Embeddings are stored as `REAL[]`, which every PostgreSQL has. When the `vector` extension (pgvector) is available
 * the migration also creates it and adds `embedding_vec vector(512)` with an HNSW index (IVFFlat on pgvector < 0.5);
 * 512 is the dimension of the embedded lexical embedder, so only vectors of that size are copied into the column
 * (the store reads the column's dimension at runtime). Without pgvector all of that is skipped, quietly.
 */
import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

const PGVECTOR_DIMENSIONS = 512;

const id = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
};
const ref = (table: string, onDelete = 'CASCADE') => ({
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: table, key: 'id' },
  onDelete,
});

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('knowledge_documents', {
    id,
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    title: { type: DataTypes.STRING(300), allowNull: false },
    source_type: { type: DataTypes.STRING(16), allowNull: false },
    file_key: { type: DataTypes.STRING(512), allowNull: false },
    bytes: { type: DataTypes.INTEGER, allowNull: false },
    sha256: { type: DataTypes.STRING(64), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
    chunk_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    embedding_provider: { type: DataTypes.STRING(200), allowNull: true },
    error: { type: DataTypes.TEXT, allowNull: true },
    ...timestamps,
  });
  await q.sequelize.query(`
    ALTER TABLE knowledge_documents
      ADD CONSTRAINT knowledge_documents_source_type_check CHECK (source_type IN ('text', 'markdown', 'html', 'pdf')),
      ADD CONSTRAINT knowledge_documents_status_check CHECK (status IN ('pending', 'indexed', 'failed'))`);
  await q.addIndex('knowledge_documents', ['brand_id', 'created_at']);
  await q.addIndex('knowledge_documents', ['workspace_id', 'created_at']);

  await q.createTable('knowledge_chunks', {
    id,
    document_id: ref('knowledge_documents'),
    // Denormalised from the document so a search filters chunks without a join.
    brand_id: { type: DataTypes.UUID, allowNull: false },
    workspace_id: { type: DataTypes.UUID, allowNull: false },
    ordinal: { type: DataTypes.INTEGER, allowNull: false },
    heading: { type: DataTypes.TEXT, allowNull: true },
    text: { type: DataTypes.TEXT, allowNull: false },
    token_count: { type: DataTypes.INTEGER, allowNull: false },
    embedding: { type: DataTypes.ARRAY(DataTypes.REAL), allowNull: false },
    created_at: timestamps.created_at,
  });
  await q.addIndex('knowledge_chunks', ['brand_id']);
  await q.addIndex('knowledge_chunks', ['document_id', 'ordinal'], { unique: true });

  await addPgvectorIfAvailable(q);
}

async function addPgvectorIfAvailable(q: QueryInterface): Promise<void> {
  const available = await q.sequelize.query<{ version: string }>(
    `SELECT COALESCE(installed_version, default_version) AS version FROM pg_available_extensions WHERE name = 'vector'`,
    { type: QueryTypes.SELECT },
  );
  if (available.length === 0) return;
  try {
    await q.sequelize.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch {
    // Available but not creatable by this role (pgvector is not a trusted extension everywhere): stay on REAL[].
    return;
  }
  const [{ version }] = await q.sequelize.query<{ version: string }>(
    `SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'`,
    { type: QueryTypes.SELECT },
  );
  await q.sequelize.query(`ALTER TABLE knowledge_chunks ADD COLUMN embedding_vec vector(${PGVECTOR_DIMENSIONS})`);
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const method = major > 0 || minor >= 5 ? 'hnsw' : 'ivfflat';
  await q.sequelize.query(
    `CREATE INDEX knowledge_chunks_embedding_vec_idx ON knowledge_chunks USING ${method} (embedding_vec vector_cosine_ops)`,
  );
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  // The extension stays: other database objects may use it, and dropping it needs more privileges than creating.
  await q.dropTable('knowledge_chunks');
  await q.dropTable('knowledge_documents');
}
