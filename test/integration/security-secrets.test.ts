/**
 * Issue 8, secrets: webhook secrets are sealed at rest (and a sealed value does not open in another row), the
 * logger never writes a secret shape, bind values or `err: {}`, a database dump holds no secret in clear, a
 * malformed webhook-id is a 400 that starts nothing, and migration 0006 and `secrets:rotate` work on real rows.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Writable } from 'node:stream';
import { QueryTypes, Sequelize } from 'sequelize';
import { Webhook } from 'standardwebhooks';
import winston from 'winston';
import { migrate, migrator } from '../../db';
import { createPublicationRepository } from '../../db/repositories/publication.repository';
import { createWebhookRepository } from '../../db/repositories/webhook.repository';
import { rotateSecrets } from '../../db/sealed-columns';
import { configureLogger, logger } from '../../lib/logger';
import {
  createSecretBox,
  generateKeyEntry,
  parseSecretKeys,
  secretBoxFromConfig,
  SecretBoxError,
} from '../../lib/secrets';
import { startTestStack, type TestStack } from '../support/harness';

const execFileAsync = promisify(execFile);
const SECRET_SHAPES = /whsec_[A-Za-z0-9+/]{8,}|sf_[A-Za-z0-9]{12}_|Bearer [A-Za-z0-9]/;

let stack: TestStack;
let brand: { id: string };
const logLines: string[] = [];
const secrets: string[] = [];

const sign = (secret: string, id: string, body: string) => ({
  'content-type': 'application/json',
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
  'webhook-signature': new Webhook(secret).sign(id, new Date(), body),
});

async function createEndpoint(name: string) {
  const res = await stack.request('POST', '/api/v1/webhook-endpoints', {
    name,
    automation: 'social-post',
    inputMapping: {
      brandId: { from: '/brandId', default: brand.id },
      platform: 'linkedin',
      postType: 'tips',
      topic: { from: '/t' },
    },
  });
  expect(res.status).toBe(201);
  secrets.push(res.body.secret);
  return res.body as { id: string; secret: string };
}

const deliver = (endpointId: string, headers: Record<string, string>, body: string) =>
  stack.request('POST', `/api/v1/hooks/${endpointId}`, undefined, { key: null, raw: body, headers });

const storedSecret = async (id: string) =>
  (
    await stack.db.sequelize.query<{ secret: string }>('SELECT secret FROM webhook_endpoints WHERE id = :id', {
      replacements: { id },
      type: QueryTypes.SELECT,
    })
  )[0].secret;

const deliveryRows = (endpointId: string) =>
  stack.db.sequelize.query<{ delivery_id: string; workflow_id: string }>(
    'SELECT delivery_id, workflow_id FROM webhook_deliveries WHERE endpoint_id = :endpointId',
    { replacements: { endpointId }, type: QueryTypes.SELECT },
  );

/** Sequelize reads `options.logging` at each query: turning it on here logs the stack's own statements. */
const sqlOptions = () => (stack.db.sequelize as unknown as { options: { logging: unknown } }).options;

beforeAll(async () => {
  stack = await startTestStack('security-secrets', { workers: [] });
  // From here on every line the product logs, SQL included (debug), is kept for the assertions below.
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  configureLogger('debug', false, [new winston.transports.Stream({ stream })]);
  sqlOptions().logging = (sql: string) => logger('sql').debug(sql);
  brand = await stack.brand({ name: 'Secret Roasters' });
  secrets.push(...Object.values(stack.keys), stack.admin.password);
});
afterAll(async () => {
  sqlOptions().logging = false;
  configureLogger('error');
  await stack?.stop();
});

describe('secrets at rest', () => {
  it('stores the secret sealed, bound to its row, and still verifies deliveries', async () => {
    const endpoint = await createEndpoint('Sealed');
    expect(endpoint.secret).toMatch(/^whsec_/);
    const stored = await storedSecret(endpoint.id);
    expect(stored).toMatch(/^enc:v1:dev:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(endpoint.secret.slice(6));
    expect((await stack.request('GET', '/api/v1/webhook-endpoints')).body.items[0]).not.toHaveProperty('secret');

    const body = JSON.stringify({ t: 'Sealed but working' });
    const res = await deliver(endpoint.id, sign(endpoint.secret, 'msg_sealed_1', body), body);
    expect(res.body).toMatchObject({ duplicate: false });
    expect(res.status).toBe(202);
    expect(await deliveryRows(endpoint.id)).toEqual([{ delivery_id: 'msg_sealed_1', workflow_id: res.body.runId }]);
    await stack.request('POST', `/api/v1/runs/${encodeURIComponent(res.body.runId)}/cancel`);
  });

  it('refuses a sealed secret copied into another row', async () => {
    const a = await createEndpoint('Row A');
    const b = await createEndpoint('Row B');
    await stack.db.sequelize.query('UPDATE webhook_endpoints SET secret = :s WHERE id = :id', {
      replacements: { s: await storedSecret(a.id), id: b.id },
    });
    const repo = createWebhookRepository(stack.db, { secrets: secretBoxFromConfig(stack.config) });
    expect((await repo.findForDelivery(a.id))?.secret).toBe(a.secret);
    await expect(repo.findForDelivery(b.id)).rejects.toThrow(SecretBoxError);
  });

  it('seals a publication upload checkpoint (upload sessions and tokens) and opens it for the upload', async () => {
    const repo = createPublicationRepository(stack.db, { secrets: secretBoxFromConfig(stack.config) });
    const { publication } = await repo.begin({
      idempotencyKey: `security-secrets/${randomUUID()}/publish/linkedin`,
      workspaceId: stack.workspaceId,
      brandId: brand.id,
      workflowId: 'security-secrets',
      platform: 'linkedin',
    });
    expect(publication.uploadState).toEqual({});
    const state = { uploadToken: `tok-${randomBytes(12).toString('hex')}`, parts: [{ etag: 'e1' }] };
    secrets.push(state.uploadToken);
    await repo.saveState(publication.id, state, 'urn:li:video:1');
    const [row] = await stack.db.sequelize.query<{ upload_state: string }>(
      'SELECT upload_state FROM publications WHERE id = :id',
      { replacements: { id: publication.id }, type: QueryTypes.SELECT },
    );
    expect(row.upload_state).toMatch(/^enc:v1:/);
    expect((await repo.get(publication.id))!.uploadState).toEqual(state);
  });

  it('a database dump holds no webhook secret, API key or password in clear', async () => {
    const tables = await stack.db.sequelize.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      { type: QueryTypes.SELECT },
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['webhook_endpoints', 'api_keys', 'users']));
    let dump = '';
    for (const t of tables) {
      const rows = await stack.db.sequelize.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${t.schema}"."${t.name}" t`,
        { type: QueryTypes.SELECT },
      );
      dump += rows.map((r) => r.row).join('\n');
    }
    expect(dump).toContain('enc:v1:');
    // The whole shared database: every file's endpoints, not just this one's.
    expect(dump).not.toMatch(/whsec_/);
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });
});

describe('webhook-id', () => {
  it('answers 400 problem+json for a 250-character or non-ASCII id, and starts and records nothing', async () => {
    const endpoint = await createEndpoint('Ids');
    const body = JSON.stringify({ t: 'Long ids' });
    for (const id of ['m'.repeat(250), 'msg with spaces', 'msg_é']) {
      const res = await deliver(endpoint.id, sign(endpoint.secret, id, body), body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors[0].field).toBe('webhook-id');
    }
    expect(await deliveryRows(endpoint.id)).toEqual([]);
    // The workflow a delivery would start is named after its id (checked with the valid one below): none exists.
    const workflowFor = (id: string) =>
      `social-post/${brand.id}/hook-${createHash('sha256').update(`${endpoint.id}/${id}`).digest('hex').slice(0, 32)}`;
    for (const id of ['m'.repeat(250), 'msg with spaces', 'msg_é'])
      await expect(stack.client.workflow.getHandle(workflowFor(id)).describe()).rejects.toThrow(WorkflowNotFoundError);

    // The longest valid id starts one run, recorded with it; its replay answers with that run.
    const longest = `msg_${'x'.repeat(196)}`;
    const first = await deliver(endpoint.id, sign(endpoint.secret, longest, body), body);
    expect(first.status).toBe(202);
    expect(first.body.runId).toBe(workflowFor(longest));
    const replay = await deliver(endpoint.id, sign(endpoint.secret, longest, body), body);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ runId: first.body.runId, duplicate: true });
    expect(await deliveryRows(endpoint.id)).toEqual([{ delivery_id: longest, workflow_id: first.body.runId }]);
    await stack.request('POST', `/api/v1/runs/${encodeURIComponent(first.body.runId)}/cancel`);
  });

  it('records no delivery when the run cannot start, so the same id can be delivered again', async () => {
    const endpoint = await createEndpoint('Start fails');
    const missing = JSON.stringify({ brandId: randomUUID(), t: 'No such brand' });
    const refused = await deliver(endpoint.id, sign(endpoint.secret, 'msg_retry', missing), missing);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(await deliveryRows(endpoint.id)).toEqual([]);
    const fixed = JSON.stringify({ t: 'Now it starts' });
    const accepted = await deliver(endpoint.id, sign(endpoint.secret, 'msg_retry', fixed), fixed);
    expect(accepted.status).toBe(202);
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
    await stack.request('POST', `/api/v1/runs/${encodeURIComponent(accepted.body.runId)}/cancel`);
  });
});

describe('the log', () => {
  it('shows a failed insert as message, stack and code, without its SQL bind values', async () => {
    const repo = createWebhookRepository(stack.db, { secrets: secretBoxFromConfig(stack.config) });
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    secrets.push(secret);
    const err = await repo
      .create({ workspaceId: randomUUID(), name: 'Orphan', automation: 'social-post', inputMapping: {}, secret })
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    logger('api').error('Request failed', { err, path: '/api/v1/webhook-endpoints' });
    const line = JSON.parse(logLines.filter((l) => l.includes('"Request failed"')).at(-1)!);
    expect(line.err.message).toMatch(/foreign key/);
    expect(line.err.code).toBe('23503');
    expect(line.err.name).toBe('SequelizeForeignKeyConstraintError');
    expect(line.err.stack).toMatch(/webhook\.repository/);
    expect(JSON.stringify(line)).not.toMatch(/enc:v1:|parameters|INSERT INTO/);
  });

  it('holds no secret shape after a login, key use and deliveries, though SQL and errors were logged', async () => {
    const wrong = await stack.request('POST', '/api/v1/auth/login', {
      email: stack.admin.email,
      password: 'wrong-password-123',
    });
    expect(wrong.status).toBe(401);
    const ok = await stack.request('POST', '/api/v1/auth/login', {
      email: stack.admin.email,
      password: stack.admin.password,
    });
    expect(ok.status).toBe(200);
    logger('api').warn('A careless caller logs a request', {
      headers: { authorization: `Bearer ${stack.keys.admin}` },
      body: { password: stack.admin.password, secret: secrets[0] },
      note: `secret ${secrets[0]} and key ${stack.keys.editor}`,
    });

    const text = logLines.join('');
    expect(text).toMatch(/"component":"sql"/);
    expect(text).toMatch(/"err":\{/);
    expect(text).not.toMatch(/"err":\{\}/);
    expect(text).not.toMatch(SECRET_SHAPES);
    for (const secret of [...secrets, 'wrong-password-123']) expect(text).not.toContain(secret);
  });
});

describe('migration 0006 and secrets:rotate on a database of their own', () => {
  const name = `secrets_${randomBytes(4).toString('hex')}`;
  let db: Sequelize;
  let dbUrl: string;
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };

  beforeAll(async () => {
    await stack.db.sequelize.query(`CREATE DATABASE ${name}`);
    const url = new URL(stack.config.database.url!);
    url.pathname = `/${name}`;
    // Not connectDatabase: that would bind the product's models to this database.
    dbUrl = url.toString();
    db = new Sequelize(dbUrl, { dialect: 'postgres', logging: false });
  });
  afterAll(async () => {
    await db?.close();
    await stack.db.sequelize.query(`DROP DATABASE IF EXISTS ${name}`);
  });

  it('seals plaintext secrets and upload checkpoints that existed before, then rotation re-seals them', async () => {
    await migrator(db).up({ to: '0005-video-posts' });
    const workspaceId = randomUUID();
    await db.query(
      `INSERT INTO workspaces (id, name, created_at, updated_at) VALUES (:workspaceId, 'W', now(), now())`,
      {
        replacements: { workspaceId },
      },
    );
    const plain = new Map<string, string>();
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      plain.set(id, secret);
      secrets.push(secret);
      await db.query(
        `INSERT INTO webhook_endpoints (id, workspace_id, name, automation, input_mapping, secret, enabled, created_at, updated_at)
         VALUES (:id, :workspaceId, 'E', 'social-post', '{}', :secret, true, now(), now())`,
        { replacements: { id, workspaceId, secret } },
      );
    }
    const brandId = randomUUID();
    await db.query(
      `INSERT INTO brands (id, workspace_id, name, slug, colors, created_at, updated_at)
       VALUES (:brandId, :workspaceId, 'B', :slug, '{}', now(), now())`,
      { replacements: { brandId, workspaceId, slug: `b-${brandId}` } },
    );
    const session = { sessionUri: `https://upload.example.test/upload?upload_id=${randomBytes(16).toString('hex')}` };
    secrets.push(session.sessionUri);
    const states = new Map<string, unknown>();
    for (const [platform, state] of [
      ['youtube', session],
      ['x', {}],
    ] as const) {
      const id = randomUUID();
      states.set(id, state);
      await db.query(
        `INSERT INTO publications (id, workspace_id, brand_id, workflow_id, platform, idempotency_key, upload_state,
                                   created_at, updated_at)
         VALUES (:id, :workspaceId, :brandId, 'wf', :platform, :key, CAST(:state AS jsonb), now(), now())`,
        {
          replacements: {
            id,
            workspaceId,
            brandId,
            platform,
            key: `wf/publish/${platform}`,
            state: JSON.stringify(state),
          },
        },
      );
    }
    const read = async () =>
      new Map(
        (
          await db.query<{ id: string; secret: string }>('SELECT id, secret FROM webhook_endpoints', {
            type: QueryTypes.SELECT,
          })
        ).map((r) => [r.id, r.secret]),
      );
    const readStates = async () =>
      new Map(
        (
          await db.query<{ id: string; state: unknown }>('SELECT id, upload_state AS state FROM publications', {
            type: QueryTypes.SELECT,
          })
        ).map((r) => [r.id, r.state]),
      );

    expect(await migrate(db, { secrets: () => createSecretBox([k1]) })).toEqual(
      expect.arrayContaining(['0006-sealed-webhook-secrets', '0009-sealed-upload-state']),
    );
    const sealed = await read();
    for (const [id, value] of sealed) {
      expect(value).toMatch(/^enc:v1:k1:/);
      expect(createSecretBox([k1]).open(value, `webhook_endpoints.secret:${id}`)).toBe(plain.get(id));
    }
    for (const [id, value] of await readStates()) {
      expect(value).toMatch(/^enc:v1:k1:/);
      expect(JSON.parse(createSecretBox([k1]).open(value as string, `publications.upload_state:${id}`))).toEqual(
        states.get(id),
      );
    }

    // A connected account's tokens and a connect in flight (migration 0016: sealed from the first write).
    const accountId = randomUUID();
    const stateId = randomUUID();
    const k1Box = createSecretBox([k1]);
    const accessToken = `at-${randomBytes(16).toString('hex')}`;
    const refreshToken = `rt-${randomBytes(16).toString('hex')}`;
    const verifier = randomBytes(32).toString('base64url');
    secrets.push(accessToken, refreshToken, verifier);
    await db.query(
      `INSERT INTO connected_accounts (id, workspace_id, brand_id, platform, external_id, access_token, refresh_token)
       VALUES (:accountId, :workspaceId, :brandId, 'x', '42', :access, :refresh)`,
      {
        replacements: {
          accountId,
          workspaceId,
          brandId,
          access: k1Box.seal(accessToken, `connected_accounts.access_token:${accountId}`),
          refresh: k1Box.seal(refreshToken, `connected_accounts.refresh_token:${accountId}`),
        },
      },
    );
    await db.query(
      `INSERT INTO oauth_states (id, state_hash, workspace_id, brand_id, platform, code_verifier, expires_at)
       VALUES (:stateId, :hash, :workspaceId, :brandId, 'x', :verifier, now() + interval '10 minutes')`,
      {
        replacements: {
          stateId,
          hash: 'a'.repeat(64),
          workspaceId,
          brandId,
          verifier: k1Box.seal(verifier, `oauth_states.code_verifier:${stateId}`),
        },
      },
    );

    // The first key seals, the old one still opens until rotation has run.
    const rotated = await rotateSecrets(db, createSecretBox([k2, k1]));
    expect(rotated).toEqual([
      { table: 'webhook_endpoints', column: 'secret', sealed: 0, resealed: 3 },
      { table: 'publications', column: 'upload_state', sealed: 0, resealed: 2 },
      { table: 'users', column: 'totp_secret', sealed: 0, resealed: 0 },
      { table: 'lead_callbacks', column: 'secret', sealed: 0, resealed: 0 },
      { table: 'connected_accounts', column: 'access_token', sealed: 0, resealed: 1 },
      { table: 'connected_accounts', column: 'refresh_token', sealed: 0, resealed: 1 },
      { table: 'oauth_states', column: 'code_verifier', sealed: 0, resealed: 1 },
    ]);
    const [account] = await db.query<{ access_token: string; refresh_token: string }>(
      'SELECT * FROM connected_accounts WHERE id = :accountId',
      { replacements: { accountId }, type: QueryTypes.SELECT },
    );
    expect(account.access_token).toMatch(/^enc:v1:k2:/);
    expect(createSecretBox([k2]).open(account.refresh_token, `connected_accounts.refresh_token:${accountId}`)).toBe(
      refreshToken,
    );
    for (const [id, value] of await read()) {
      expect(value).toMatch(/^enc:v1:k2:/);
      expect(createSecretBox([k2]).open(value, `webhook_endpoints.secret:${id}`)).toBe(plain.get(id));
    }
    expect(await rotateSecrets(db, createSecretBox([k2, k1]))).toEqual([
      { table: 'webhook_endpoints', column: 'secret', sealed: 0, resealed: 0 },
      { table: 'publications', column: 'upload_state', sealed: 0, resealed: 0 },
      { table: 'users', column: 'totp_secret', sealed: 0, resealed: 0 },
      { table: 'lead_callbacks', column: 'secret', sealed: 0, resealed: 0 },
      { table: 'connected_accounts', column: 'access_token', sealed: 0, resealed: 0 },
      { table: 'connected_accounts', column: 'refresh_token', sealed: 0, resealed: 0 },
      { table: 'oauth_states', column: 'code_verifier', sealed: 0, resealed: 0 },
    ]);
    // Without the key that sealed them, rotation fails loudly and names rows, never values.
    const lost = await rotateSecrets(db, createSecretBox([{ id: 'k3', key: randomBytes(32) }])).catch((e) => e);
    expect(lost).toBeInstanceOf(SecretBoxError);
    expect(String(lost.message)).toMatch(/3 value\(s\) in webhook_endpoints.secret do not open/);
    expect(String(lost.message)).not.toMatch(/whsec_|enc:v1/);

    // The command itself, as an operator runs it: production configuration, the new key first.
    const k4 = generateKeyEntry('k4');
    const env = { NODE_ENV: 'production', DATABASE_URL: dbUrl, DATA_DIR: stack.config.dataDir, LOG_LEVEL: 'error' };
    const rotate = (extra: Record<string, string>) =>
      execFileAsync(process.execPath, ['--import', 'tsx', 'scripts/secrets-rotate.ts'], {
        cwd: path.resolve(__dirname, '..', '..'),
        env: { PATH: process.env.PATH, ...env, ...extra },
      });
    const refused = await rotate({}).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect((refused as { stderr: string }).stderr.trim()).toBe(
      'Invalid configuration:\n  SECRETS_KEYS: is required in production: set it to keyId:base64key (a key is `openssl rand -base64 32`)',
    );
    const { stdout } = await rotate({
      SECRETS_KEYS: `${k4},k2:${k2.key.toString('base64')}`,
    });
    expect(stdout).toContain('webhook_endpoints.secret: 3 re-sealed, 0 sealed from clear (key k4)');
    expect(stdout).toContain('publications.upload_state: 2 re-sealed, 0 sealed from clear (key k4)');
    expect(stdout).toContain('connected_accounts.access_token: 1 re-sealed, 0 sealed from clear (key k4)');
    const k4Box = createSecretBox(parseSecretKeys(k4));
    for (const [id, value] of await read())
      expect(k4Box.open(value, `webhook_endpoints.secret:${id}`)).toBe(plain.get(id));

    // Down opens them back to plaintext (a rollback loses nothing).
    await migrator(db, { secrets: () => k4Box }).down({ to: '0006-sealed-webhook-secrets' });
    expect(await read()).toEqual(plain);
    expect(await readStates()).toEqual(states);
  });
});
