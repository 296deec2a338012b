/**
 * HTTP-facing error classes. One class per status; the API's error middleware turns each into
 * `application/problem+json` (RFC 9457). Field errors name the JSON path at fault.
 */

export interface FieldError {
  /** JSON path of the offending field, dotted (`input.platform`, `approval.timeoutSeconds`). */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number = 500;
  readonly type: string = 'about:blank';
  readonly title: string = 'Internal Server Error';
  readonly errors?: FieldError[];
  /** Extra members added to the problem document. */
  readonly extra?: Record<string, unknown>;

  constructor(detail: string, options?: { errors?: FieldError[]; extra?: Record<string, unknown>; cause?: unknown }) {
    super(detail, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.errors = options?.errors;
    this.extra = options?.extra;
  }
}

const problemType = (slug: string) => `https://studioflow.dev/problems/${slug}`;

export class ValidationError extends AppError {
  override readonly status = 400;
  override readonly type = problemType('validation');
  override readonly title = 'Invalid request';
}

export class UnauthorizedError extends AppError {
  override readonly status = 401;
  override readonly type = problemType('unauthorized');
  override readonly title = 'Unauthorized';
}

export class ForbiddenError extends AppError {
  override readonly status = 403;
  override readonly type = problemType('forbidden');
  override readonly title = 'Forbidden';
}

export class NotFoundError extends AppError {
  override readonly status = 404;
  override readonly type = problemType('not-found');
  override readonly title = 'Not found';
}

export class ConflictError extends AppError {
  override readonly status = 409;
  override readonly type = problemType('conflict');
  override readonly title = 'Conflict';
}

export class PayloadTooLargeError extends AppError {
  override readonly status = 413;
  override readonly type = problemType('payload-too-large');
  override readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends AppError {
  override readonly status = 415;
  override readonly type = problemType('unsupported-media-type');
  override readonly title = 'Unsupported media type';
}

export class UnprocessableError extends AppError {
  override readonly status = 422;
  override readonly type = problemType('unprocessable');
  override readonly title = 'Request could not be applied';
}

export class TooManyRequestsError extends AppError {
  override readonly status = 429;
  override readonly type = problemType('rate-limited');
  override readonly title = 'Too many requests';
}

export class ServiceUnavailableError extends AppError {
  override readonly status = 503;
  override readonly type = problemType('unavailable');
  override readonly title = 'Service unavailable';
}
