/**
 * When PostgreSQL cannot answer, log-in limits still hold: rate-limiter-flexible's insurance limiter (in memory, same
 * limits) takes over. The database here is a closed port, so every store call fails.
 */
import type { Request, Response } from 'express';
import { Sequelize } from 'sequelize';
import { createRateLimits } from '../../api/middleware/rate-limit';
import { loadConfig } from '../../lib/config';
import { TooManyRequestsError, UnauthorizedError } from '../../lib/errors';
import { configureLogger } from '../../lib/logger';

describe('log-in limits without PostgreSQL', () => {
  const sequelize = new Sequelize('postgres://nobody:none@127.0.0.1:1/none', { logging: false });
  afterAll(() => sequelize.close());

  it('falls back to the in-memory insurance limiter with the same limits', async () => {
    configureLogger('error', true);
    const limits = createRateLimits({ config: loadConfig({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' }), sequelize });
    const req = { ip: '192.0.2.7', socket: {} } as unknown as Request;
    const headers: Record<string, string> = {};
    const res = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
    const wrong = () => Promise.reject(new UnauthorizedError('Email or password is incorrect'));
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++)
      outcomes.push(
        await limits.login(req, res, 'Someone@example.test', wrong).catch((err: Error) => err.constructor.name),
      );
    expect(outcomes).toEqual([
      'UnauthorizedError',
      'UnauthorizedError',
      'UnauthorizedError',
      TooManyRequestsError.name,
      TooManyRequestsError.name,
    ]);
    expect(Number(headers['Retry-After'])).toBeGreaterThan(0);
    // The right password is refused as well while the lock lasts (the email's case does not matter).
    await expect(limits.login(req, res, 'someone@example.test', async () => 'session')).rejects.toBeInstanceOf(
      TooManyRequestsError,
    );
  });
});
