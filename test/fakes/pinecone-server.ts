/**
 * A local Pinecone for tests (DESIGN §5: third-party APIs are tested against a local server that speaks their
 * documented shapes). One serverless index, `cosine` metric, speaking the REST shapes `@pinecone-database/pinecone`
 * calls:
 *
 * - control plane: `GET /indexes/{name}` (describe, which the SDK uses to resolve the data-plane host);
 * - data plane: `POST /vectors/upsert`, `POST /query`, `POST /vectors/delete`, `GET /vectors/list`,
 *   `POST /describe_index_stats`.
 *
 * Requests need the `Api-Key` header. Metadata filters support `$eq`, `$ne`, `$in`, `$nin`, `$and`, `$or` and bare
 * values. Every request is recorded; `failNext` scripts an error reply.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { cosineSimilarity } from '../../activities/knowledge/embeddings.port';

type Metadata = Record<string, string | number | boolean | string[]>;

export interface FakePineconeRecord {
  id: string;
  values: number[];
  metadata?: Metadata;
}

export interface FakePineconeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakePineconeServer {
  /** Data-plane and control-plane root, e.g. http://127.0.0.1:5555. */
  url: string;
  indexName: string;
  apiKey: string;
  dimension: number;
  requests: FakePineconeRequest[];
  /** The records of a namespace, sorted by id. */
  records(namespace: string): FakePineconeRecord[];
  namespaces(): string[];
  /** The next request answers this status and Pinecone-style error body instead. */
  failNext(status: number, message?: string): void;
  close(): Promise<void>;
}

function matches(metadata: Metadata | undefined, filter: any): boolean {
  if (!filter || typeof filter !== 'object') return true;
  return Object.entries(filter).every(([key, condition]: [string, any]) => {
    if (key === '$and') return (condition as any[]).every((f) => matches(metadata, f));
    if (key === '$or') return (condition as any[]).some((f) => matches(metadata, f));
    const value = metadata?.[key];
    if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return value === condition;
    return Object.entries(condition).every(([op, operand]: [string, any]) => {
      switch (op) {
        case '$eq':
          return value === operand;
        case '$ne':
          return value !== operand;
        case '$in':
          return (operand as unknown[]).includes(value);
        case '$nin':
          return !(operand as unknown[]).includes(value);
        default:
          throw new Error(`unsupported filter operator ${op}`);
      }
    });
  });
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startFakePineconeServer(
  options: { apiKey?: string; indexName?: string; dimension?: number } = {},
): Promise<FakePineconeServer> {
  const apiKey = options.apiKey ?? 'pc-test-key';
  const indexName = options.indexName ?? 'studioflow-test';
  const dimension = options.dimension ?? 512;
  const store = new Map<string, Map<string, FakePineconeRecord>>();
  const requests: FakePineconeRequest[] = [];
  let failure: { status: number; message: string } | undefined;
  let url = '';

  const ns = (name: string | undefined) => {
    const key = name ?? '';
    if (!store.has(key)) store.set(key, new Map());
    return store.get(key)!;
  };

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string, code = status === 400 ? 3 : status) =>
    send(res, status, { code, message, details: [] });

  const server = createServer((req, res) => {
    void (async () => {
      const parsed = new URL(req.url ?? '/', 'http://localhost');
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      requests.push({
        method: req.method ?? 'GET',
        path: parsed.pathname,
        query: Object.fromEntries(parsed.searchParams),
        headers: req.headers,
        body,
      });
      if (req.headers['api-key'] !== apiKey) {
        return send(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'Invalid API Key' }, status: 401 });
      }
      if (failure) {
        const { status, message } = failure;
        failure = undefined;
        return error(res, status, message);
      }

      if (req.method === 'GET' && parsed.pathname === `/indexes/${indexName}`) {
        return send(res, 200, {
          name: indexName,
          dimension,
          metric: 'cosine',
          host: url,
          vector_type: 'dense',
          deletion_protection: 'disabled',
          spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
          status: { ready: true, state: 'Ready' },
        });
      }
      if (req.method === 'GET' && parsed.pathname.startsWith('/indexes/')) {
        return send(res, 404, { error: { code: 'NOT_FOUND', message: 'Resource not found' }, status: 404 });
      }

      if (req.method === 'POST' && parsed.pathname === '/vectors/upsert') {
        const vectors = (body?.vectors ?? []) as FakePineconeRecord[];
        if (vectors.length > 1000) return error(res, 400, 'Too many vectors in one upsert (max 1000)');
        for (const v of vectors) {
          if (v.values.length !== dimension) {
            return error(
              res,
              400,
              `Vector dimension ${v.values.length} does not match the dimension of the index ${dimension}`,
            );
          }
        }
        const target = ns(body?.namespace);
        for (const v of vectors) target.set(v.id, { id: v.id, values: v.values, metadata: v.metadata });
        return send(res, 200, { upsertedCount: vectors.length });
      }

      if (req.method === 'POST' && parsed.pathname === '/query') {
        if (!Array.isArray(body?.vector)) return error(res, 400, 'Query by vector only in this fake');
        if (body.vector.length !== dimension) {
          return error(res, 400, `Query vector dimension ${body.vector.length} does not match the index ${dimension}`);
        }
        const hits = [...ns(body.namespace).values()]
          .filter((r) => matches(r.metadata, body.filter))
          .map((r) => ({ record: r, score: cosineSimilarity(body.vector as number[], r.values) }))
          .sort((a, b) => b.score - a.score || a.record.id.localeCompare(b.record.id))
          .slice(0, body.topK as number);
        return send(res, 200, {
          matches: hits.map(({ record, score }) => ({
            id: record.id,
            score,
            values: body.includeValues ? record.values : [],
            ...(body.includeMetadata && record.metadata ? { metadata: record.metadata } : {}),
          })),
          namespace: body.namespace ?? '',
          usage: { readUnits: 5 },
        });
      }

      if (req.method === 'POST' && parsed.pathname === '/vectors/delete') {
        const target = ns(body?.namespace);
        if (body?.deleteAll) target.clear();
        else if (Array.isArray(body?.ids)) for (const id of body.ids as string[]) target.delete(id);
        else if (body?.filter) {
          for (const [id, r] of target) if (matches(r.metadata, body.filter)) target.delete(id);
        }
        return send(res, 200, {});
      }

      if (req.method === 'GET' && parsed.pathname === '/vectors/list') {
        const prefix = parsed.searchParams.get('prefix') ?? '';
        const limit = Number(parsed.searchParams.get('limit') ?? 100);
        const start = Number(Buffer.from(parsed.searchParams.get('paginationToken') ?? '', 'base64').toString() || 0);
        const ids = [...ns(parsed.searchParams.get('namespace') ?? '').keys()]
          .filter((id) => id.startsWith(prefix))
          .sort();
        const page = ids.slice(start, start + limit);
        const next = start + limit < ids.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
        return send(res, 200, {
          vectors: page.map((id) => ({ id })),
          ...(next ? { pagination: { next } } : {}),
          namespace: parsed.searchParams.get('namespace') ?? '',
          usage: { readUnits: 1 },
        });
      }

      if (req.method === 'POST' && parsed.pathname === '/describe_index_stats') {
        const namespaces = Object.fromEntries(
          [...store].map(([name, records]) => [name, { vectorCount: records.size }]),
        );
        return send(res, 200, {
          namespaces,
          dimension,
          indexFullness: 0,
          totalVectorCount: [...store.values()].reduce((n, r) => n + r.size, 0),
          metric: 'cosine',
          vectorType: 'dense',
        });
      }

      return error(res, 404, `No route for ${req.method} ${parsed.pathname}`, 5);
    })().catch((err: unknown) => {
      if (!res.headersSent) error(res, 500, String(err));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    indexName,
    apiKey,
    dimension,
    requests,
    records: (namespace) => [...ns(namespace).values()].sort((a, b) => a.id.localeCompare(b.id)),
    namespaces: () => [...store.keys()].filter((k) => store.get(k)!.size > 0),
    failNext(status, message = `Fake failure ${status}`) {
      failure = { status, message };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
