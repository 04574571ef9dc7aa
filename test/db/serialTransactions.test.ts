// Statements of one interactive transaction run one at a time (src/db/serialTransactions.ts).
// Prisma's query interpreter issues the independent parts of one operation concurrently; inside a
// transaction they reach the adapter's one pg connection together, which pg 8.19+ deprecates (an
// error in pg 9). Here three statements are started at once on an adapter transaction, as the
// interpreter does: each gets its own rows, in order, and pg never sees a second query while one runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { withSerialTransactions } from '../../src/db/serialTransactions.js';

let pool: pg.Pool;
let close: () => Promise<void>;
beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    close = () => pool.end();
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'serial-tx-'));
    const embedded = await startEmbeddedPostgres(dir, 2);
    pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
    close = async () => {
      await pool.end();
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
});
afterAll(async () => {
  await close?.();
});

const query = (sql: string) => ({ sql, args: [], argTypes: [] });

/** What pg's client was asked while another query of it was still running, over one transaction. */
async function overlapping(factory: PrismaPg) {
  const adapter = await factory.connect();
  const tx = await adapter.startTransaction();
  const client = (tx as unknown as { client: pg.PoolClient }).client;
  // pg's own condition for the deprecation: a query arriving while others wait their turn.
  const waiting = () => (client as unknown as { _queryQueue: unknown[] })._queryQueue.length;
  const query0 = client.query.bind(client) as (...args: unknown[]) => unknown;
  let overlaps = 0;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    if (waiting() > 0) overlaps++;
    return query0(...args);
  };
  // Three at once, as an `include` of three relations is loaded.
  const results = await Promise.all([
    tx.queryRaw(query('SELECT pg_sleep(0.05)::text AS slept, 1 AS n')),
    tx.queryRaw(query('SELECT 2 AS n')),
    tx.queryRaw(query('SELECT 3 AS n')),
  ]);
  await tx.executeRaw(query('ROLLBACK'));
  await tx.rollback();
  return { overlaps, answers: results.map((r) => r.rows[0]!.at(-1)) };
}

describe('interactive transactions', () => {
  it('run statements started together one after the other, each with its own rows', async () => {
    const { overlaps, answers } = await overlapping(withSerialTransactions(new PrismaPg(pool)));
    expect(answers).toEqual([1, 2, 3]);
    expect(overlaps).toBe(0);
  });

  it('(without it, pg is handed statements while others wait: what it deprecates)', async () => {
    // Not printed: this case exists to show that the one above would fail without the fix.
    process.noDeprecation = true;
    try {
      const { overlaps } = await overlapping(new PrismaPg(pool));
      expect(overlaps).toBeGreaterThan(0);
    } finally {
      process.noDeprecation = false;
    }
  });
});
