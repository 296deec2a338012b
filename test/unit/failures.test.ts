/**
 * One failure vocabulary (lib/failures.ts): product code raises failures only through it, the activity presets'
 * non-retryable list and the API's and UI's wording come from it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURES, FAILURE_TYPES, failure, failureLabel, NON_RETRYABLE_TYPES } from '../../lib/failures';

const root = path.resolve(__dirname, '../..');

describe('failure vocabulary', () => {
  it('is the only place product code builds an ApplicationFailure', () => {
    const files = execFileSync('git', ['ls-files', 'activities', 'workflows', 'lib', 'api', 'db', 'workers'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && f !== 'lib/failures.ts' && fs.existsSync(path.join(root, f)));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) =>
      /ApplicationFailure\.(create|nonRetryable|retryable)\(/.test(fs.readFileSync(path.join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('raises each type retryable or not as the vocabulary says, with its details and retry delay', () => {
    for (const type of FAILURE_TYPES) {
      const f = failure(type, `a ${type}`, { details: [{ field: 'x', message: 'y' }], nextRetryDelay: 1500 });
      expect(f).toBeInstanceOf(ApplicationFailure);
      expect(f).toMatchObject({ type, message: `a ${type}`, nonRetryable: !FAILURES[type].retryable });
      expect(f.details).toEqual([{ field: 'x', message: 'y' }]);
    }
  });

  it('derives the non-retryable list the activity presets give Temporal', () => {
    expect(NON_RETRYABLE_TYPES).toEqual(FAILURE_TYPES.filter((t) => !FAILURES[t].retryable));
    expect(NON_RETRYABLE_TYPES).toEqual(
      expect.arrayContaining(['InvalidInput', 'NotFound', 'ProviderAuth', 'QuotaExhausted', 'InsufficientCredits']),
    );
    for (const transient of ['ProviderUnavailable', 'RateLimited', 'Timeout', 'RenderFailed', 'CredentialsExpired'])
      expect(NON_RETRYABLE_TYPES).not.toContain(transient);
  });

  it("gives the web fetcher's outcomes their retryability: a failing site is retried, a refusal is final", () => {
    for (const transient of ['SiteUnreachable', 'FetchTimeout']) expect(NON_RETRYABLE_TYPES).not.toContain(transient);
    expect(NON_RETRYABLE_TYPES).toEqual(
      expect.arrayContaining([
        'DomainNotFound',
        'AddressRefused',
        'BlockedByRobots',
        'RequestRefused',
        'TooManyRedirects',
        'ResponseTooLarge',
        'NotHtml',
      ]),
    );
  });

  it('labels every type for people, and leaves a type it does not know as it is', () => {
    for (const type of FAILURE_TYPES) expect(failureLabel(type)).toMatch(/^[A-Z][a-z ]+[a-z]$/);
    expect(new Set(FAILURE_TYPES.map((t) => FAILURES[t].label)).size).toBe(FAILURE_TYPES.length);
    expect(failureLabel('SomethingElse')).toBe('SomethingElse');
    expect(failureLabel(undefined)).toBeUndefined();
  });
});
