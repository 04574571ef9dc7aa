// Which errors mean "the database could not be reached or was lost" (SERVICE_UNAVAILABLE, retry)
// rather than a bug (INTERNAL). The shapes are those seen from pg and Prisma's adapter while a
// PostgreSQL 15 server was stopped, restarted (fast and immediate) and refused connections.
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/sqlErrors.js';

const prismaError = (code: string, kind?: string) =>
  Object.assign(new Error(`Invalid invocation: ${code}`), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: kind ? { driverAdapterError: { name: 'DriverAdapterError', cause: { kind, host: '127.0.0.1', port: 5432 } } } : {},
  });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['Prisma: cannot reach the server (raw query)', prismaError('P2010', 'DatabaseNotReachable')],
    ['Prisma: cannot reach the server (model query)', prismaError('P1001', 'DatabaseNotReachable')],
    ['Prisma: no connection from the pool in time', prismaError('P2024')],
    ['Prisma: transaction could not start or was closed by its timeout', prismaError('P2028')],
    ['Prisma adapter: connection closed', prismaError('P2010', 'ConnectionClosed')],
    ['pg: connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['pg: connection reset', pgError('ECONNRESET', 'read ECONNRESET')],
    ['pg: admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['pg: starting up', pgError('57P03', 'the database system is starting up')],
    ['pg: too many connections', pgError('53300', 'sorry, too many clients already')],
    ['pg: connection failure class', pgError('08006', 'connection failure')],
    ['pg: a dead pooled client', new Error('Connection terminated unexpectedly')],
    ['pg: a client lost mid-transaction', new Error('Client has encountered a connection error and is not queryable')],
    ['pg: pool wait timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped as a cause', Object.assign(new Error('outer'), { cause: pgError('ECONNREFUSED', 'connect ECONNREFUSED') })],
  ])('%s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', prismaError('P2002')],
    ['a check violation', pgError('23514', 'new row violates check constraint')],
    ['a serialization failure (retried inside, not a client retry)', pgError('40001', 'could not serialize access')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('not %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('stops on a cycle of causes', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b: Error & { cause?: unknown } = new Error('b');
    a.cause = b;
    b.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
