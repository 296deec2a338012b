/**
 * A database that is away (refused connections, PostgreSQL shutting down) is a passing state: the API answers 503 with
 * Retry-After, so senders retry, not 500 as for a bug. Other database errors stay 500.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { ConnectionRefusedError, DatabaseError } from 'sequelize';
import { errorHandler, isDatabaseUnavailable, toProblem } from '../../api/middleware/errors';

const pgError = (code: string) =>
  Object.assign(new Error('terminating connection due to administrator command'), { code });

it('tells a database that is away from other database errors', () => {
  expect(isDatabaseUnavailable(new ConnectionRefusedError(new Error('connect ECONNREFUSED 127.0.0.1:5432')))).toBe(
    true,
  );
  expect(isDatabaseUnavailable(new DatabaseError(pgError('57P01') as never))).toBe(true);
  expect(isDatabaseUnavailable(new DatabaseError(pgError('57P03') as never))).toBe(true);
  // A unique violation, a syntax error: ours to fix, not to retry.
  expect(isDatabaseUnavailable(new DatabaseError(pgError('23505') as never))).toBe(false);
  expect(isDatabaseUnavailable(new DatabaseError(pgError('42601') as never))).toBe(false);
  expect(isDatabaseUnavailable(new Error('connect ECONNREFUSED'))).toBe(false);
  expect(toProblem(new DatabaseError(pgError('42601') as never)).status).toBe(500);
});

it('answers 503 with Retry-After and a problem document while the database is away', async () => {
  const app = express();
  app.get('/x', () => {
    throw new ConnectionRefusedError(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
  });
  app.use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = await res.json();
    expect(body).toMatchObject({ status: 503, title: 'Service unavailable' });
    // Nothing of the driver's message reaches the client.
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|5432/);
  } finally {
    server.close();
  }
});
