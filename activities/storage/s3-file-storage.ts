/**
 * S3-compatible object storage as the file store, through `@aws-sdk/client-s3` (imported on first use, so processes
 * on the local provider never load it). Works with AWS S3, MinIO, Cloudflare R2 and other services that speak the
 * S3 REST API.
 *
 * - Objects live at `<keyPrefix><key>` in one bucket; the prefix is a folder (a missing trailing `/` is added).
 * - `put` stores the hex SHA-256 as user metadata (`x-amz-meta-sha256`), computed here: every S3-compatible service
 *   keeps user metadata, not all of them accept `x-amz-checksum-*` headers.
 * - Browsers never talk to the bucket: `publicUrl` is the API's `/files/<key>` URL, the same as the local provider's,
 *   and the API proxies the bytes. The bucket can (and should) stay private.
 * - Temporal owns retries: the SDK makes at most `maxAttempts` (default 2) attempts, each bounded by `timeoutMs`, and
 *   failures leave as typed `ApplicationFailure`s. Called inside an activity, a call stops when the activity is
 *   cancelled.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type * as S3SdkModule from '@aws-sdk/client-s3';
import { assertValidStorageKey, storageKeyProblem, type FileStorage, type StoredFile } from './file-storage.port';
import { filesPublicUrl } from './local-file-storage';
import { type FailureType, failure } from '../../lib/failures';

type S3Sdk = typeof S3SdkModule;
type S3Client = S3SdkModule.S3Client;

export interface S3FileStorageOptions {
  bucket: string;
  /** Region of the bucket (R2: `auto`). */
  region: string;
  /** Endpoint of an S3-compatible service (MinIO, R2); unset, AWS S3 for `region`. */
  endpoint?: string;
  /** Static credentials; both or neither. Without them the SDK's default chain (environment, profile, IAM role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style addressing (`<endpoint>/<bucket>/<key>`), which MinIO and most self-hosted services need. */
  forcePathStyle?: boolean;
  /** Folder inside the bucket for every key, e.g. `studioflow/`; default none. */
  keyPrefix?: string;
  /** Public origin of the API, e.g. `http://localhost:3000`; files are linked as `<publicBaseUrl>/files/<key>`. */
  publicBaseUrl: string;
  /** Per HTTP attempt (connection, request and response body); default 30 s. */
  timeoutMs?: number;
  /** SDK attempts per call, the first included; default 2. Temporal retries the activity beyond that. */
  maxAttempts?: number;
}

/** The SDK error fields the mapping reads; S3 puts the XML error `<Code>` in `name`. */
interface S3ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Credentials that are wrong or not allowed: another attempt with the same ones cannot succeed. */
const AUTH_CODES = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'AccountProblem',
  'CredentialsProviderError',
  'InvalidAccessKeyId',
  'InvalidSecurity',
  'InvalidToken',
  'NotSignedUp',
  'SignatureDoesNotMatch',
]);
/** Credentials that may work on the next attempt (temporary credentials refresh, the SDK corrects clock skew). */
const TRANSIENT_AUTH_CODES = new Set(['ExpiredToken', 'TokenRefreshRequired', 'RequestTimeTooSkewed']);
/** The bucket is elsewhere or addressed the wrong way: region, endpoint or path style. */
const MISCONFIGURED_CODES = new Set([
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
  'InvalidBucketName',
  'MethodNotAllowed',
  'NotImplemented',
  'PermanentRedirect',
]);
const RATE_LIMIT_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests']);
/** 4xx answers S3 documents as worth retrying: the request or its bytes were damaged or interrupted on the way. */
const RETRYABLE_CLIENT_CODES = new Set([
  'BadDigest',
  'IncompleteBody',
  'OperationAborted',
  'XAmzContentSHA256Mismatch',
]);

export interface S3FailureContext {
  operation: string;
  bucket: string;
  /** The full object key (prefix included), when the call was about one object. */
  objectKey?: string;
  endpoint?: string;
}

/** S3 SDK errors to the house taxonomy (non-retryable where another attempt cannot help). */
export function toS3Failure(err: unknown, context: S3FailureContext): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const e = (err ?? {}) as S3ErrorLike;
  const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
  const status = e.$metadata?.httpStatusCode;
  const target = `s3://${context.bucket}${context.objectKey === undefined ? '' : `/${context.objectKey}`}`;
  const detail = `${code}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(err)}`;
  const cause = err instanceof Error ? err : undefined;
  const fail = (type: FailureType, message = `S3 ${context.operation} ${target}: ${detail}`) =>
    failure(type, message, { cause });

  if (code === 'NoSuchBucket') {
    const where = context.endpoint ? `at ${context.endpoint}` : 'in this AWS account and region';
    return fail(
      'InvalidInput',
      `S3 bucket "${context.bucket}" does not exist ${where} (${context.operation}); create it or correct S3_BUCKET/S3_ENDPOINT`,
    );
  }
  // Expired or skewed credentials renew themselves: worth another attempt.
  if (TRANSIENT_AUTH_CODES.has(code)) return fail('CredentialsExpired');
  if (AUTH_CODES.has(code) || status === 401 || status === 403) return fail('ProviderAuth');
  if (MISCONFIGURED_CODES.has(code) || status === 301) return fail('ProviderMisconfigured');
  if (RATE_LIMIT_CODES.has(code) || status === 429) return fail('RateLimited');
  if (code === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'RequestTimeout') return fail('Timeout');
  if (RETRYABLE_CLIENT_CODES.has(code)) return fail('ProviderUnavailable');
  if (code === 'EntityTooLarge' || (status !== undefined && status >= 400 && status < 500)) return fail('InvalidInput');
  // 5xx, connection refused or reset, DNS: worth another attempt.
  return fail('ProviderUnavailable');
}

/** The prefix as a folder (`a/b/`), or `` for none. */
export function normalizeKeyPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  const problem = storageKeyProblem(trimmed);
  if (problem !== null) throw new Error(`S3 key prefix ${JSON.stringify(prefix)} ${problem}`);
  return `${trimmed}/`;
}

function isMissingObject(err: unknown): boolean {
  const e = (err ?? {}) as S3ErrorLike;
  return e.name === 'NoSuchKey' || (e.name === 'NotFound' && e.$metadata?.httpStatusCode === 404);
}

/** The running activity's cancellation, when called from one. */
function activityCancellation(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

export function createS3FileStorage(options: S3FileStorageOptions): FileStorage {
  const { bucket, publicBaseUrl } = options;
  if (!bucket) throw new Error('S3 file storage needs a bucket');
  if (Boolean(options.accessKeyId) !== Boolean(options.secretAccessKey))
    throw new Error('S3 file storage needs both an access key id and a secret access key, or neither');
  const prefix = normalizeKeyPrefix(options.keyPrefix);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 2);
  // Every attempt, plus the SDK's short back-off between them.
  const callDeadlineMs = timeoutMs * maxAttempts + 1_000 * (maxAttempts - 1);
  let loading: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

  const load = () =>
    (loading ??= import('@aws-sdk/client-s3').then(
      (sdk) => {
        const client = new sdk.S3Client({
          region: options.region,
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          forcePathStyle: options.forcePathStyle ?? false,
          ...(options.accessKeyId && options.secretAccessKey
            ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
            : {}),
          maxAttempts,
          requestHandler: {
            connectionTimeout: Math.min(timeoutMs, 10_000),
            requestTimeout: timeoutMs,
            throwOnRequestTimeout: true,
            socketTimeout: timeoutMs,
          },
          // Checksums only where S3 requires them. The SDK's default (`WHEN_SUPPORTED`) adds CRC32 headers, or
          // aws-chunked bodies with checksum trailers for streams, that MinIO, R2 and other S3-compatible services
          // reject or handle differently. Integrity does not depend on them: SigV4 signs the SHA-256 of an in-memory
          // body (`x-amz-content-sha256`, which the server checks) and `put` keeps it as metadata for readers.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        });
        return { sdk, client };
      },
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    ));

  const objectKey = (key: string): string => {
    assertValidStorageKey(key);
    return `${prefix}${key}`;
  };

  /** Runs one SDK call under a deadline (and the activity's cancellation); errors leave mapped. */
  async function call<T>(
    operation: string,
    key: string | undefined,
    fn: (s3: { sdk: S3Sdk; client: S3Client }, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const cancellation = activityCancellation();
    if (cancellation?.aborted)
      throw cancellation.reason instanceof Error ? cancellation.reason : new Error('Cancelled');
    const deadline = AbortSignal.timeout(callDeadlineMs);
    const signal = cancellation ? AbortSignal.any([cancellation, deadline]) : deadline;
    try {
      return await fn(await load(), signal);
    } catch (err) {
      if (cancellation?.aborted) throw cancellation.reason instanceof Error ? cancellation.reason : err;
      const context = { operation, bucket, objectKey: key, endpoint: options.endpoint };
      if (deadline.aborted)
        throw failure(
          'Timeout',
          `S3 ${operation} s3://${bucket}${key === undefined ? '' : `/${key}`}: no answer within ${callDeadlineMs} ms`,
          { cause: err instanceof Error ? err : undefined },
        );
      throw toS3Failure(err, context);
    }
  }

  const publicUrl = (key: string): string => filesPublicUrl(publicBaseUrl, key);

  return {
    name: 's3',

    async put(key, data, contentType) {
      const Key = objectKey(key);
      const sha256 = createHash('sha256').update(data).digest('hex');
      await call('PutObject', Key, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.PutObjectCommand({
            Bucket: bucket,
            Key,
            Body: data,
            ContentLength: data.byteLength,
            ContentType: contentType,
            Metadata: { sha256 },
          }),
          { abortSignal },
        ),
      );
      const stored: StoredFile = { key, url: publicUrl(key), bytes: data.byteLength, contentType, sha256 };
      return stored;
    },

    async get(key) {
      const Key = objectKey(key);
      return call('GetObject', Key, async ({ sdk, client }, abortSignal) => {
        try {
          const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key }), { abortSignal });
          if (!out.Body) return Buffer.alloc(0);
          const bytes = await out.Body.transformToByteArray();
          return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        } catch (err) {
          if (isMissingObject(err)) return null;
          throw err;
        }
      });
    },

    async exists(key) {
      const Key = objectKey(key);
      return call('HeadObject', Key, async ({ sdk, client }, abortSignal) => {
        try {
          await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key }), { abortSignal });
          return true;
        } catch (err) {
          // HEAD answers carry no error body: a 404 is a missing object (or bucket, which put and check report).
          if (isMissingObject(err)) return false;
          throw err;
        }
      });
    },

    async delete(key) {
      const Key = objectKey(key);
      await call('DeleteObject', Key, async ({ sdk, client }, abortSignal) => {
        try {
          await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key }), { abortSignal });
        } catch (err) {
          // S3 answers 204 for a missing key; some compatible services answer 404.
          if (!isMissingObject(err)) throw err;
        }
      });
    },

    publicUrl,

    async check() {
      // Writing proves more than HeadBucket: the bucket exists, is reachable and these credentials may write.
      const Key = `${prefix}.check-${randomUUID()}`;
      await call('PutObject', Key, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.PutObjectCommand({ Bucket: bucket, Key, Body: Buffer.from('ok'), ContentType: 'text/plain' }),
          { abortSignal },
        ),
      );
      await call('DeleteObject', Key, ({ sdk, client }, abortSignal) =>
        client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key }), { abortSignal }),
      );
    },
  };
}
