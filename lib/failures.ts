/**
 * The failures activities and workflows raise: one vocabulary. Each type says whether retrying can help (the
 * activity presets' non-retryable list is derived from it), which HTTP status the API answers with when a request
 * meets it, and the label the UI shows. Raise them with `failure(type, message)`, never with a free string.
 *
 * Imported by workflows (through workflows/activity-options.ts): pure, no I/O.
 */
import { ApplicationFailure } from '@temporalio/common';

interface FailureKind {
  /** Whether Temporal retries the activity (with its preset's backoff). */
  retryable: boolean;
  /** The API's answer when a request meets this failure directly (an update, a start). */
  status?: 400 | 402 | 404 | 409 | 502 | 503;
  /** What the UI shows next to the failure's message. */
  label: string;
}

export const FAILURES = {
  // The input or the edit is wrong: the caller fixes it, retrying cannot.
  InvalidInput: { retryable: false, status: 400, label: 'Invalid input' },
  InvalidEdit: { retryable: false, status: 400, label: 'Edit refused' },
  NotFound: { retryable: false, status: 404, label: 'Not found' },
  NoPendingApproval: { retryable: false, status: 409, label: 'Nothing to approve' },
  // A calendar entry's change that a newer one has overtaken (docs/calendar.md).
  StaleEntry: { retryable: false, status: 409, label: 'Entry changed meanwhile' },
  InsufficientCredits: { retryable: false, status: 402, label: 'Not enough credits' },
  // A provider refuses for good: its settings or the content must change.
  ProviderAuth: { retryable: false, label: 'Provider refused the credentials' },
  ProviderMisconfigured: { retryable: false, label: 'Provider not configured' },
  ContentRejected: { retryable: false, label: 'Content refused by the provider' },
  QuotaExhausted: { retryable: false, label: 'Provider quota exhausted' },
  PublishFailed: { retryable: false, label: 'Publishing failed' },
  // The model's reply stayed unusable after the writer's own second try: the chain falls back instead.
  ProviderOutputInvalid: { retryable: false, status: 502, label: 'Provider answered nonsense' },
  // Transient: the preset's retries run, then the workflow decides.
  ProviderUnavailable: { retryable: true, status: 503, label: 'Provider unavailable' },
  RateLimited: { retryable: true, status: 503, label: 'Provider rate limit' },
  CredentialsExpired: { retryable: true, label: 'Provider credentials are being refreshed' },
  RenderFailed: { retryable: true, label: 'Render failed' },
  ToolFailed: { retryable: true, label: 'A media tool failed' },
  ExtractionFailed: { retryable: true, label: 'Text extraction failed' },
  Timeout: { retryable: true, label: 'Timed out' },
  SendInProgress: { retryable: true, label: 'Another attempt is sending' },
  // A site the web fetcher (activities/web) cannot or may not fetch: each shows on the lead it was fetched for.
  SiteUnreachable: { retryable: true, label: 'Site unreachable' },
  FetchTimeout: { retryable: true, label: 'Site too slow' },
  DomainNotFound: { retryable: false, label: 'Domain not found' },
  AddressRefused: { retryable: false, label: 'Address refused' },
  BlockedByRobots: { retryable: false, label: 'Blocked by robots rules' },
  RequestRefused: { retryable: false, label: 'Site refused the request' },
  TooManyRedirects: { retryable: false, label: 'Too many redirects' },
  ResponseTooLarge: { retryable: false, label: 'Response too large' },
  NotHtml: { retryable: false, label: 'Not a web page' },
  // Raised by workflows to end a run.
  ApprovalTimeout: { retryable: false, label: 'No decision in time' },
  IndexingFailed: { retryable: false, label: 'Indexing failed' },
} as const satisfies Record<string, FailureKind>;

export type FailureType = keyof typeof FAILURES;

export const FAILURE_TYPES = Object.keys(FAILURES) as FailureType[];

/** The types Temporal must not retry: the activity presets' `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_TYPES: FailureType[] = FAILURE_TYPES.filter((t) => !FAILURES[t].retryable);

export const isFailureType = (type: unknown): type is FailureType =>
  typeof type === 'string' && Object.hasOwn(FAILURES, type);

export interface FailureOptions {
  /** Structured details, e.g. `{ field, message }` per field at fault (the API turns them into problem+json). */
  details?: unknown[];
  cause?: Error;
  /** For a retryable failure: when to try again (a provider's Retry-After). */
  nextRetryDelay?: number;
}

/** An `ApplicationFailure` of `type`, retryable as the vocabulary says. */
export function failure(type: FailureType, message: string, options: FailureOptions = {}): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: !FAILURES[type].retryable,
    details: options.details,
    cause: options.cause,
    nextRetryDelay: options.nextRetryDelay,
  });
}

/** The UI's label of a failure type; unknown types (a provider's own) show as they are. */
export function failureLabel(type: string | undefined): string | undefined {
  return isFailureType(type) ? FAILURES[type].label : type;
}
