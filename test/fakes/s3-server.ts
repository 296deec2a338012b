/**
 * A local S3-compatible server for tests (DESIGN §5: third-party APIs are tested against a local server that speaks
 * their documented shapes). Path-style addressing only (`/<bucket>/<key>`; clients use `forcePathStyle`), speaking
 * the REST shapes `@aws-sdk/client-s3` sends for:
 *
 * - `PUT /<bucket>/<key>` (PutObject: body, `Content-Type`, `x-amz-meta-*`), answering an `ETag`;
 * - `GET /<bucket>/<key>` (GetObject) and `HEAD /<bucket>/<key>` (HeadObject);
 * - `DELETE /<bucket>/<key>` (DeleteObject: 204 whether or not the object existed, as S3 does);
 * - `HEAD /<bucket>` (HeadBucket).
 *
 * Errors are S3's XML bodies (`<Error><Code>NoSuchKey</Code>…`); HEAD replies carry no body, as on S3. Every request
 * needs a SigV4 `Authorization` header whose `Credential=<access key id>/…` names the expected key, otherwise 403
 * `InvalidAccessKeyId` (the signature itself is not verified). An unknown bucket answers 404 `NoSuchBucket`.
 * Bodies sent with `Content-Encoding: aws-chunked` (the SDK's default flexible checksums) are decoded, so the stored
 * bytes are the object's whatever the client's checksum settings. Every request is recorded; `failNext` scripts
 * error replies.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface FakeS3Object {
  body: Buffer;
  contentType: string;
  /** `x-amz-meta-*` headers, without the prefix. */
  metadata: Record<string, string>;
  etag: string;
  lastModified: Date;
}

export interface FakeS3Request {
  method: string;
  /** The raw (still URL-encoded) path, e.g. `/bucket/prefix/brands/b%201/x.pdf`. */
  path: string;
  bucket: string;
  /** The decoded object key, or undefined for bucket-level requests. */
  key?: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The access key id named in the SigV4 `Authorization` header. */
  accessKeyId?: string;
  status: number;
}

export interface FakeS3Server {
  /** The endpoint, e.g. http://127.0.0.1:5555. */
  url: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  requests: FakeS3Request[];
  /** Keys stored in `bucket` (or another bucket given to `startFakeS3Server`), sorted. */
  keys(bucket?: string): string[];
  object(key: string, bucket?: string): FakeS3Object | undefined;
  /** The next `count` requests answer `status` with an S3 error `code` (default 500 `InternalError`). */
  failNext(count: number, status?: number, code?: string): void;
  close(): Promise<void>;
}

export interface FakeS3ServerOptions {
  /** Buckets that exist; the first is `bucket`. Default `['studioflow-test']`. */
  buckets?: string[];
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
}

const ERROR_MESSAGES: Record<string, string> = {
  NoSuchKey: 'The specified key does not exist.',
  NoSuchBucket: 'The specified bucket does not exist',
  InvalidAccessKeyId: 'The AWS Access Key Id you provided does not exist in our records.',
  AccessDenied: 'Access Denied',
  InternalError: 'We encountered an internal error. Please try again.',
  SlowDown: 'Please reduce your request rate.',
  MethodNotAllowed: 'The specified method is not allowed against this resource.',
  NotImplemented: 'A header or query you provided implies functionality that is not implemented.',
  MissingSecurityHeader: 'Your request is missing a required header.',
  IncompleteBody: 'You did not provide the number of bytes specified by the Content-Length HTTP header.',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, SignedHeaders=…, Signature=…` */
export function accessKeyIdFromAuthorization(header: string | undefined): string | undefined {
  const match = /^AWS4-HMAC-SHA256\s+.*?Credential=([^/,\s]+)\//.exec(header ?? '');
  return match?.[1];
}

/**
 * Decodes an `aws-chunked` body: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` repeated, a zero-size chunk, then
 * optional trailing headers (`x-amz-checksum-crc32:…`) and a blank line.
 */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('aws-chunked body: missing chunk header');
    const size = parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw new Error('aws-chunked body: bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (start + size > raw.length) throw new Error('aws-chunked body: truncated chunk');
    parts.push(raw.subarray(start, start + size));
    offset = start + size + 2;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeS3Server(options: FakeS3ServerOptions = {}): Promise<FakeS3Server> {
  const bucketNames = options.buckets ?? ['studioflow-test'];
  const accessKeyId = options.accessKeyId ?? 'AKIAFAKES3TEST';
  const secretAccessKey = options.secretAccessKey ?? 'fake-s3-secret-key';
  const region = options.region ?? 'us-east-1';
  const buckets = new Map(bucketNames.map((name) => [name, new Map<string, FakeS3Object>()]));
  const requests: FakeS3Request[] = [];
  let failures: { remaining: number; status: number; code: string } | undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const [rawBucket = '', ...rawKey] = parsed.pathname.replace(/^\//, '').split('/');
    const bucket = decodeURIComponent(rawBucket);
    const key = rawKey.length > 0 && rawKey.join('/') !== '' ? decodeURIComponent(rawKey.join('/')) : undefined;
    const record: FakeS3Request = {
      method,
      path: parsed.pathname,
      bucket,
      key,
      query: Object.fromEntries(parsed.searchParams),
      headers: req.headers,
      accessKeyId: accessKeyIdFromAuthorization(req.headers.authorization),
      status: 0,
    };
    requests.push(record);
    // The body is read whatever the outcome, so the client never sees a reset connection.
    const raw = await readBody(req);

    const reply = (status: number, headers: Record<string, string | number> = {}, body?: Buffer | string) => {
      record.status = status;
      res.writeHead(status, { 'x-amz-request-id': randomUUID(), ...headers });
      res.end(method === 'HEAD' ? undefined : body);
    };
    const error = (status: number, code: string, extra: Record<string, string> = {}) => {
      const fields = { Code: code, Message: ERROR_MESSAGES[code] ?? code, ...extra, Resource: parsed.pathname };
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
        Object.entries(fields)
          .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
          .join('') +
        `<RequestId>${randomUUID()}</RequestId></Error>`;
      reply(status, { 'content-type': 'application/xml' }, xml);
    };

    if (!req.headers.authorization) return error(403, 'AccessDenied');
    if (record.accessKeyId !== accessKeyId)
      return error(403, 'InvalidAccessKeyId', { AWSAccessKeyId: String(record.accessKeyId) });
    if (failures) {
      const { status, code } = failures;
      if (--failures.remaining <= 0) failures = undefined;
      return error(status, code);
    }
    const objects = buckets.get(bucket);
    if (!objects) return error(404, 'NoSuchBucket', { BucketName: bucket });

    if (key === undefined) {
      if (method === 'HEAD') return reply(200, { 'x-amz-bucket-region': region });
      return error(405, 'MethodNotAllowed');
    }
    // Sub-resources (?acl, ?tagging, ?uploads…) are not spoken here; `x-id` is the SDK's operation hint.
    const subresources = [...parsed.searchParams.keys()].filter((name) => name !== 'x-id');
    if (subresources.length > 0) return error(501, 'NotImplemented');

    switch (method) {
      case 'PUT': {
        const chunked = (req.headers['content-encoding'] ?? '').split(',').some((e) => e.trim() === 'aws-chunked');
        const body = chunked ? decodeAwsChunked(raw) : raw;
        const declared = req.headers['x-amz-decoded-content-length'];
        if (chunked && declared !== undefined && Number(declared) !== body.length) return error(400, 'IncompleteBody');
        const metadata: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice(11)] = value;
        }
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        objects.set(key, {
          body,
          contentType: req.headers['content-type'] ?? 'binary/octet-stream',
          metadata,
          etag,
          lastModified: new Date(),
        });
        return reply(200, { etag });
      }
      case 'GET':
      case 'HEAD': {
        const object = objects.get(key);
        if (!object) return error(404, 'NoSuchKey', { Key: key });
        const headers: Record<string, string | number> = {
          'content-type': object.contentType,
          'content-length': object.body.length,
          etag: object.etag,
          'last-modified': object.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
        };
        for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
        return reply(200, headers, object.body);
      }
      case 'DELETE':
        objects.delete(key);
        return reply(204);
      default:
        return error(405, 'MethodNotAllowed');
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const defaultBucket = bucketNames[0];

  return {
    url: `http://127.0.0.1:${port}`,
    region,
    bucket: defaultBucket,
    accessKeyId,
    secretAccessKey,
    requests,
    keys: (bucket = defaultBucket) => [...(buckets.get(bucket)?.keys() ?? [])].sort(),
    object: (key, bucket = defaultBucket) => buckets.get(bucket)?.get(key),
    failNext(count, status = 500, code = 'InternalError') {
      failures = count > 0 ? { remaining: count, status, code } : undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
