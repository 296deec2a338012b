/**
 * The S3 file storage through the real `@aws-sdk/client-s3`, pointed at a local server that speaks S3's REST shapes
 * (test/fakes/s3-server.ts), path-style.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createFileStorageFromConfig,
  createLocalFileStorage,
  createS3FileStorage,
  normalizeKeyPrefix,
  toS3Failure,
  type FileStorage,
  type FileStorageConfig,
  type S3FileStorageOptions,
} from '../../activities/storage';
import { recordingLogger } from '../support/recording-logger';
import { startFakeS3Server, type FakeS3Server } from '../fakes/s3-server';

const PUBLIC_URL = 'http://localhost:3000/';

let fake: FakeS3Server;
beforeAll(async () => {
  fake = await startFakeS3Server({ buckets: ['studioflow-test', 'other-bucket'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.failNext(0);
});

const storage = (overrides: Partial<S3FileStorageOptions> = {}): FileStorage =>
  createS3FileStorage({
    bucket: fake.bucket,
    region: fake.region,
    endpoint: fake.url,
    accessKeyId: fake.accessKeyId,
    secretAccessKey: fake.secretAccessKey,
    forcePathStyle: true,
    keyPrefix: 'studioflow/',
    publicBaseUrl: PUBLIC_URL,
    timeoutMs: 5_000,
    ...overrides,
  });

/** The failure a promise rejects with (the test fails if it resolves). */
async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const outcome = await promise.then(
    () => new Error('expected the call to fail'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof ApplicationFailure)) throw outcome;
  return outcome;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('S3 file storage', () => {
  it('stores, reads, finds and deletes binary files under the key prefix', async () => {
    const s3 = storage();
    const data = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a]), randomBytes(64 * 1024)]);
    const key = 'brands/b1/reports/r1/report.pdf';

    const stored = await s3.put(key, data, 'application/pdf');
    expect(stored).toEqual({
      key,
      url: 'http://localhost:3000/files/brands/b1/reports/r1/report.pdf',
      bytes: data.byteLength,
      contentType: 'application/pdf',
      sha256: sha256(data),
    });
    expect(fake.keys()).toEqual([`studioflow/${key}`]);
    const object = fake.object(`studioflow/${key}`)!;
    expect(object.body.equals(data)).toBe(true);
    expect(object.contentType).toBe('application/pdf');
    expect(object.metadata).toEqual({ sha256: sha256(data) });

    const read = await s3.get(key);
    expect(Buffer.isBuffer(read)).toBe(true);
    expect(read!.equals(data)).toBe(true);
    expect(sha256(read!)).toBe(stored.sha256);
    expect(await s3.exists(key)).toBe(true);

    await s3.delete(key);
    expect(await s3.exists(key)).toBe(false);
    expect(await s3.get(key)).toBeNull();
    expect(fake.keys()).toEqual([]);

    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([
      ['PUT', `/studioflow-test/studioflow/${key}`],
      ['GET', `/studioflow-test/studioflow/${key}`],
      ['HEAD', `/studioflow-test/studioflow/${key}`],
      ['DELETE', `/studioflow-test/studioflow/${key}`],
      ['HEAD', `/studioflow-test/studioflow/${key}`],
      ['GET', `/studioflow-test/studioflow/${key}`],
    ]);
    expect(fake.requests.every((r) => r.accessKeyId === fake.accessKeyId)).toBe(true);
  });

  it('overwrites a file in place and handles empty files', async () => {
    const s3 = storage();
    await s3.put('a/file.txt', Buffer.from('first'), 'text/plain');
    await s3.put('a/file.txt', Buffer.alloc(0), 'text/plain');
    expect((await s3.get('a/file.txt'))!.length).toBe(0);
    await s3.delete('a/file.txt');
  });

  it('sends plain bodies without SDK checksum headers or aws-chunked encoding (MinIO/R2 compatibility)', async () => {
    await storage().put('plain.bin', Buffer.from('bytes'), 'application/octet-stream');
    const headers = fake.requests[0].headers;
    expect(headers['content-encoding']).toBeUndefined();
    expect(headers['content-length']).toBe('5');
    expect(Object.keys(headers).filter((h) => h.startsWith('x-amz-checksum') || h === 'x-amz-trailer')).toEqual([]);
    expect(headers['x-amz-meta-sha256']).toBe(sha256(Buffer.from('bytes')));
    // The signed payload hash, which S3 and MinIO verify against the bytes they receive.
    expect(headers['x-amz-content-sha256']).toBe(sha256(Buffer.from('bytes')));
    await storage().delete('plain.bin');
  });

  it('encodes keys with spaces and Unicode, and links them exactly as the local storage does', async () => {
    const s3 = storage();
    const local = createLocalFileStorage({ rootDir: '/unused', publicBaseUrl: PUBLIC_URL });
    const key = 'brands/café 1/posts/p#1/image?.png';
    const stored = await s3.put(key, Buffer.from('png'), 'image/png');
    expect(stored.url).toBe(local.publicUrl(key));
    expect(s3.publicUrl(key)).toBe('http://localhost:3000/files/brands/caf%C3%A9%201/posts/p%231/image%3F.png');
    expect(fake.requests[0].key).toBe(`studioflow/${key}`);
    expect(fake.keys()).toEqual([`studioflow/${key}`]);
    expect((await s3.get(key))!.toString()).toBe('png');
    await s3.delete(key);
  });

  it('answers null and false for a missing key, and deletes idempotently', async () => {
    const s3 = storage();
    expect(await s3.get('nothing/here.pdf')).toBeNull();
    expect(await s3.exists('nothing/here.pdf')).toBe(false);
    await expect(s3.delete('nothing/here.pdf')).resolves.toBeUndefined();
    await expect(s3.delete('nothing/here.pdf')).resolves.toBeUndefined();
  });

  it('normalizes the key prefix into a folder and works without one', async () => {
    expect(normalizeKeyPrefix(undefined)).toBe('');
    expect(normalizeKeyPrefix('')).toBe('');
    expect(normalizeKeyPrefix('/tenant-a/files')).toBe('tenant-a/files/');
    expect(normalizeKeyPrefix('studioflow/')).toBe('studioflow/');
    expect(() => normalizeKeyPrefix('../escape')).toThrow(/must not contain "\.\." segments/);

    const bare = storage({ keyPrefix: '' });
    await bare.put('k.txt', Buffer.from('x'), 'text/plain');
    expect(fake.keys()).toEqual(['k.txt']);
    await bare.delete('k.txt');
    const nested = storage({ keyPrefix: 'env/prod' });
    await nested.put('k.txt', Buffer.from('x'), 'text/plain');
    expect(fake.keys()).toEqual(['env/prod/k.txt']);
    await nested.delete('k.txt');
  });

  it('rejects invalid keys before any request, as non-retryable InvalidInput', async () => {
    const s3 = storage();
    for (const op of [
      () => s3.put('../etc/passwd', Buffer.from('x'), 'text/plain'),
      () => s3.get('/absolute'),
      () => s3.exists('a//b'),
      () => s3.delete('a/./b'),
    ]) {
      const failure = await failureOf(op());
      expect(failure.type).toBe('InvalidInput');
      expect(failure.nonRetryable).toBe(true);
    }
    expect(() => s3.publicUrl('a\\b')).toThrow(ApplicationFailure);
    expect(fake.requests).toEqual([]);
  });

  it('maps wrong credentials to a non-retryable ProviderAuth failure, for GET and for body-less HEAD answers', async () => {
    const s3 = storage({ accessKeyId: 'AKIAWRONG', secretAccessKey: 'nope' });
    for (const op of [
      () => s3.put('x.txt', Buffer.from('x'), 'text/plain'),
      () => s3.get('x.txt'),
      () => s3.exists('x.txt'),
      () => s3.delete('x.txt'),
      () => s3.check(),
    ]) {
      const failure = await failureOf(op());
      expect(failure.type).toBe('ProviderAuth');
      expect(failure.nonRetryable).toBe(true);
    }
    expect(fake.requests.map((r) => r.accessKeyId)).toEqual(Array(5).fill('AKIAWRONG'));
    expect(fake.keys()).toEqual([]);
  });

  it('maps AccessDenied (a key without permission) to ProviderAuth', async () => {
    fake.failNext(1, 403, 'AccessDenied');
    const failure = await failureOf(storage().put('x.txt', Buffer.from('x'), 'text/plain'));
    expect(failure.type).toBe('ProviderAuth');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('AccessDenied');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an unknown bucket clearly, as non-retryable InvalidInput', async () => {
    const s3 = storage({ bucket: 'no-such-bucket' });
    for (const op of [() => s3.put('x.txt', Buffer.from('x'), 'text/plain'), () => s3.get('x.txt'), () => s3.check()]) {
      const failure = await failureOf(op());
      expect(failure.type).toBe('InvalidInput');
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toContain(`S3 bucket "no-such-bucket" does not exist at ${fake.url}`);
    }
  });

  it('check() writes and removes a probe object under the prefix', async () => {
    await expect(storage().check()).resolves.toBeUndefined();
    expect(fake.requests.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
    expect(fake.requests[0].key).toMatch(/^studioflow\/\.check-[0-9a-f-]{36}$/);
    expect(fake.requests[1].key).toBe(fake.requests[0].key);
    expect(fake.keys()).toEqual([]);
  });

  it('uses one other bucket when configured', async () => {
    const s3 = storage({ bucket: 'other-bucket' });
    await s3.put('x.txt', Buffer.from('x'), 'text/plain');
    expect(fake.keys('other-bucket')).toEqual(['studioflow/x.txt']);
    expect(fake.keys()).toEqual([]);
    await s3.delete('x.txt');
  });

  it('retries a 500 once inside the SDK, then leaves the rest to Temporal as a retryable failure', async () => {
    const s3 = storage();
    fake.failNext(1);
    await s3.put('retry.txt', Buffer.from('x'), 'text/plain');
    expect(fake.requests.map((r) => [r.method, r.status, r.headers['amz-sdk-request']])).toEqual([
      ['PUT', 500, 'attempt=1; max=2'],
      ['PUT', 200, 'attempt=2; max=2'],
    ]);

    fake.requests.length = 0;
    fake.failNext(2);
    const failure = await failureOf(s3.get('retry.txt'));
    expect(failure.type).toBe('ProviderUnavailable');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('InternalError');
    expect(fake.requests).toHaveLength(2);

    fake.failNext(1, 503, 'SlowDown');
    const slow = await failureOf(storage({ maxAttempts: 1 }).get('retry.txt'));
    expect(slow.type).toBe('RateLimited');
    expect(slow.nonRetryable).toBe(false);
    await s3.delete('retry.txt');
  });

  it('keeps network errors retryable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const failure = await failureOf(storage({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 }).get('x.txt'));
    expect(failure.type).toBe('ProviderUnavailable');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('ECONNREFUSED');
  });

  describe('against a server that never answers', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let endpoint = '';
    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.resume();
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('times out with a retryable Timeout failure', async () => {
      const started = Date.now();
      const failure = await failureOf(storage({ endpoint, timeoutMs: 300, maxAttempts: 1 }).get('x.txt'));
      expect(failure.type).toBe('Timeout');
      expect(failure.nonRetryable).toBe(false);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('stops when the calling activity is cancelled', async () => {
      const env = new MockActivityEnvironment(undefined, { logger: recordingLogger() });
      const s3 = storage({ endpoint, timeoutMs: 30_000, maxAttempts: 1 });
      const pending = env.run(() => s3.get('x.txt'));
      setTimeout(() => env.cancel(), 100);
      const outcome = await pending.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(outcome).toBeInstanceOf(CancelledFailure);
    });
  });

  it('rejects incomplete configuration at construction', () => {
    expect(() => storage({ bucket: '' })).toThrow(/needs a bucket/);
    expect(() => storage({ secretAccessKey: undefined })).toThrow(/both an access key id and a secret access key/);
    expect(() => storage({ keyPrefix: 'a/../b' })).toThrow(/key prefix/);
  });
});

describe('the fake S3 server', () => {
  it("decodes the SDK's default aws-chunked uploads with checksum trailers", async () => {
    const client = new S3Client({
      region: fake.region,
      endpoint: fake.url,
      forcePathStyle: true,
      credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey },
      maxAttempts: 1,
    });
    const data = randomBytes(100_000);
    await client.send(
      new PutObjectCommand({
        Bucket: fake.bucket,
        Key: 'chunked.bin',
        Body: Readable.from([data.subarray(0, 40_000), data.subarray(40_000)]),
        ContentLength: data.length,
      }),
    );
    client.destroy();
    expect(fake.requests[0].headers['content-encoding']).toBe('aws-chunked');
    expect(fake.requests[0].headers['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    expect(fake.object('chunked.bin')!.body.equals(data)).toBe(true);
    await storage({ keyPrefix: '' }).delete('chunked.bin');
  });
});

describe('toS3Failure', () => {
  const context = { operation: 'GetObject', bucket: 'b', objectKey: 'k' };
  const sdkError = (name: string, status?: number) =>
    Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

  it.each([
    ['InvalidAccessKeyId', 403, 'ProviderAuth', true],
    ['SignatureDoesNotMatch', 403, 'ProviderAuth', true],
    ['Unknown', 403, 'ProviderAuth', true],
    ['CredentialsProviderError', undefined, 'ProviderAuth', true],
    ['ExpiredToken', 400, 'CredentialsExpired', false],
    ['NoSuchBucket', 404, 'InvalidInput', true],
    ['PermanentRedirect', 301, 'ProviderMisconfigured', true],
    ['AuthorizationHeaderMalformed', 400, 'ProviderMisconfigured', true],
    ['SlowDown', 503, 'RateLimited', false],
    ['InternalError', 500, 'ProviderUnavailable', false],
    ['ServiceUnavailable', 503, 'ProviderUnavailable', false],
    ['RequestTimeout', 400, 'Timeout', false],
    ['TimeoutError', undefined, 'Timeout', false],
    ['BadDigest', 400, 'ProviderUnavailable', false],
    ['EntityTooLarge', 400, 'InvalidInput', true],
    ['InvalidArgument', 400, 'InvalidInput', true],
  ])('%s (HTTP %s) -> %s, non-retryable: %s', (name, status, type, nonRetryable) => {
    const failure = toS3Failure(sdkError(name, status), context);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(failure.message).toContain(name === 'NoSuchBucket' ? 'S3 bucket "b" does not exist' : 's3://b/k');
    expect(failure.message).toContain('GetObject');
  });

  it('keeps a network error code and an existing ApplicationFailure', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(toS3Failure(refused, context).type).toBe('ProviderUnavailable');
    const already = ApplicationFailure.nonRetryable('bad key', 'InvalidInput');
    expect(toS3Failure(already, context)).toBe(already);
  });

  it('names the AWS region when the bucket is missing without a custom endpoint', () => {
    expect(toS3Failure(sdkError('NoSuchBucket', 404), context).message).toContain(
      'does not exist in this AWS account and region',
    );
  });
});

describe('createFileStorageFromConfig', () => {
  let filesDir: string;
  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), 'sf-storage-'));
  });
  afterAll(() => rm(filesDir, { recursive: true, force: true }));

  const config = (
    provider: 'local' | 's3',
    s3: Partial<FileStorageConfig['storage']['s3']> = {},
  ): FileStorageConfig => ({
    filesDir,
    api: { publicUrl: 'http://localhost:3000' },
    storage: {
      provider,
      s3: {
        bucket: fake.bucket,
        region: fake.region,
        endpoint: fake.url,
        accessKeyId: fake.accessKeyId,
        secretAccessKey: fake.secretAccessKey,
        forcePathStyle: true,
        keyPrefix: 'cfg/',
        ...s3,
      },
    },
  });

  it('builds the local folder storage by default', async () => {
    const files = createFileStorageFromConfig(config('local'));
    expect(files.name).toBe('local');
    await files.put('x/y.txt', Buffer.from('local'), 'text/plain');
    expect((await files.get('x/y.txt'))!.toString()).toBe('local');
    expect(fake.requests).toEqual([]);
  });

  it('builds the S3 storage when configured, with the same public URLs', async () => {
    const files = createFileStorageFromConfig(config('s3'));
    expect(files.name).toBe('s3');
    const stored = await files.put('x/y.txt', Buffer.from('remote'), 'text/plain');
    expect(stored.url).toBe(createFileStorageFromConfig(config('local')).publicUrl('x/y.txt'));
    expect(fake.keys()).toEqual(['cfg/x/y.txt']);
    await files.check();
    await files.delete('x/y.txt');
  });

  it('fails the boot when S3 is selected without a bucket, or the provider is unknown', () => {
    expect(() => createFileStorageFromConfig(config('s3', { bucket: '' }))).toThrow(/S3_BUCKET/);
    expect(() => createFileStorageFromConfig(config('ftp' as 'local'))).toThrow(/Unknown file storage provider "ftp"/);
  });
});
