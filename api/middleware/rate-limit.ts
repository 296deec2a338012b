/**
 * Rate limits (rate-limiter-flexible).
 *
 * - Log-in and the other unauthenticated auth routes count in PostgreSQL (`rate_limits`, migration 0010): a
 *   password-guessing limit must hold across API replicas and restarts, or an attacker just waits for a deploy or
 *   spreads attempts over replicas. When PostgreSQL cannot answer, an in-memory insurance limiter with the same
 *   limits takes over, per process, so the door never opens wide.
 * - The API per key and webhook intake per endpoint count in memory, per process: they protect this process from
 *   floods; one write to PostgreSQL per request would cost more than the requests they limit.
 *
 * Keys are SHA-256 of the email or address, so the table holds no personal data in clear.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Sequelize } from 'sequelize';
import type { Config } from '../../lib/config';
import { TooManyRequestsError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import type { Principal } from '../services/account.service';

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 40);

/** Sets `Retry-After` and throws the 429 problem document (Express's response or Node's, for the start lane). */
function refuse(res: Pick<ServerResponse, 'setHeader'>, msBeforeNext: number, detail: string): never {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  res.setHeader('Retry-After', String(seconds));
  throw new TooManyRequestsError(`${detail}; try again in ${seconds} s`, { extra: { retryAfterSeconds: seconds } });
}

type Limiter = RateLimiterMemory | RateLimiterPostgres;

/** Consumes one point; a rejection is a RateLimiterRes (limit reached) or an Error (store down, no insurance). */
async function consume(limiter: Limiter, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}

export function createRateLimits(options: { config: Config; sequelize: Sequelize }) {
  const { limits } = options.config;
  const log = logger('rate-limit');

  /** PostgreSQL-backed limiter with an in-memory insurance limiter of the same shape. */
  const durable = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPostgres({
      storeClient: options.sequelize,
      storeType: 'sequelize',
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
    });

  const loginAccount = durable('login-account', limits.loginFailuresPerAccount, limits.loginWindowSeconds);
  const loginAddress = durable('login-address', limits.loginFailuresPerAddress, limits.loginWindowSeconds);
  const authAddress = durable('auth-address', limits.authRequestsPerAddressPerMinute, 60);
  const apiKey = new RateLimiterMemory({
    keyPrefix: 'api-key',
    points: limits.apiRequestsPerKeyPerMinute,
    duration: 60,
  });
  const webhook = new RateLimiterMemory({
    keyPrefix: 'webhook',
    points: limits.webhookRequestsPerEndpointPerMinute,
    duration: 60,
  });

  const address = (req: Request) => hash(req.ip ?? req.socket.remoteAddress ?? 'unknown');
  const account = (email: string) => hash(email.trim().toLowerCase());

  /** Remaining time of a lock, or 0 when the key may try again. */
  const lockedFor = async (limiter: Limiter, key: string, max: number) => {
    const state = await limiter.get(key).catch((err: unknown) => {
      log.warn('Rate limit store unavailable; the in-memory limiter applies', { err });
      return null;
    });
    return state && state.consumedPoints >= max ? state.msBeforeNext : 0;
  };

  /** Counts a request of an API key and throws the 429 when it is over its limit; a session is not counted. */
  const countApiRequest = async (res: Pick<ServerResponse, 'setHeader'>, principal: Principal | undefined) => {
    if (principal?.kind !== 'apiKey') return;
    const refused = await consume(apiKey, principal.id);
    if (refused) refuse(res, refused.msBeforeNext, 'Too many requests with this API key');
  };

  return {
    /**
     * Per-address limit for any unauthenticated auth route (log-in, sign-up, password reset, invitations):
     * `router.post('/auth/reset', limits.publicAuth('password-reset'), handler)`.
     */
    publicAuth(route: string): RequestHandler {
      return async (req, res, next) => {
        const refused = await consume(authAddress, `${route}:${address(req)}`);
        if (refused) refuse(res, refused.msBeforeNext, 'Too many requests from this address');
        next();
      };
    },

    /**
     * Log-in: refuses while the account or the address has too many recent failures — even the right password, or a
     * guesser would learn it the moment the lock lifts — and counts each failure on both.
     */
    async login<T>(req: Request, res: Response, email: string, attempt: () => Promise<T>): Promise<T> {
      const lockedAccount = await lockedFor(loginAccount, account(email), limits.loginFailuresPerAccount);
      if (lockedAccount) refuse(res, lockedAccount, 'Too many failed log-ins for this account');
      const lockedAddress = await lockedFor(loginAddress, address(req), limits.loginFailuresPerAddress);
      if (lockedAddress) refuse(res, lockedAddress, 'Too many failed log-ins from this address');
      try {
        const result = await attempt();
        // A success forgives the account's earlier typos (the address keeps its count: it may be guessing others).
        await loginAccount.delete(account(email)).catch(() => undefined);
        return result;
      } catch (err) {
        if ((err as { status?: number }).status === 401) {
          await Promise.all([consume(loginAccount, account(email)), consume(loginAddress, address(req))]);
        }
        throw err;
      }
    },

    /** Per API key (sessions are limited by the log-in limits; a browser is not a batch client). */
    api(): RequestHandler {
      return async (_req, res, next) => {
        await countApiRequest(res, res.locals.principal as Principal | undefined);
        next();
      };
    },

    countApiRequest,

    /** Per inbound webhook endpoint, before the body is read. */
    webhook(): RequestHandler {
      return async (req, res, next) => {
        const endpoint = String(req.params.endpoint ?? '').slice(0, 100);
        const refused = await consume(webhook, hash(endpoint));
        if (refused) refuse(res, refused.msBeforeNext, 'Too many deliveries to this endpoint');
        next();
      };
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
