// Plain SQL on the same pool Prisma uses, for the few queries on every request's path (who is
// calling, their wallets, history pages). Measured here, a Prisma findMany costs ~350 µs of CPU
// and $queryRaw ~180 µs against ~50 µs for a prepared statement through `pg` (docs/performance.md);
// everything else stays on Prisma. Statements are named, so PostgreSQL plans each once per connection.
import type pg from 'pg';

export interface Sql {
  /** Runs a statement; `name` makes it a prepared statement (use one name per fixed text). */
  query<T>(text: string, values: unknown[], name?: string): Promise<T[]>;
}

/**
 * `named: false` for the embedded database: all pglite-socket connections share one session, so a
 * statement name prepared by one (possibly since replaced) connection collides with the next.
 */
export function createSql(pool: pg.Pool, options: { named: boolean }): Sql {
  return {
    async query<T>(text: string, values: unknown[], name?: string) {
      const result = await pool.query(name && options.named ? { name, text, values } : { text, values });
      return result.rows as T[];
    },
  };
}

/** int8 columns arrive as strings from `pg`; money and sequences must stay exact. */
export const big = (value: string | number | bigint | null): bigint => BigInt(value ?? 0);
