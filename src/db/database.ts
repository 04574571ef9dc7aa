// Opens the database the config asks for: PostgreSQL at DATABASE_URL, or the embedded PGlite.
// Everything above this module sees the same thing: a Prisma client over a `pg` pool.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrate } from './migrate.js';
import { createSql, type Sql } from './sql.js';

export type { PrismaClient };

export interface Database {
  kind: 'postgres' | 'embedded';
  url: string;
  prisma: PrismaClient;
  /** Prepared statements on the same pool, for the hot read paths. */
  sql: Sql;
  /** Throws if the database does not answer within the timeout. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize: number;
  migrateOnStart: boolean;
  log: Logger;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const embedded = options.databaseUrl ? undefined : await startEmbeddedPostgres(options.dataDir, options.poolSize + 10);
  const url = options.databaseUrl ?? embedded!.url;
  try {
    if (options.migrateOnStart) {
      const applied = await migrate(url, { log: options.log });
      if (applied.length) options.log.info({ applied }, 'migrations applied');
    }
    // One connection to the embedded database: PGlite runs one statement at a time anyway, and
    // pglite-socket interleaves the extended-protocol messages (Parse/Bind/Execute/Sync) of
    // concurrent connections in its one session, so one query could bind another's statement and
    // get its rows (electric-sql/pglite#1046). A single connection keeps every query whole.
    // A connection that cannot be made within 10 s is an error, not a request waiting forever.
    const pool = new pg.Pool({
      connectionString: url,
      max: embedded ? 1 : options.poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', (err) => options.log.warn({ err: err.message }, 'idle database connection lost'));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      kind: embedded ? 'embedded' : 'postgres',
      url,
      prisma,
      sql: createSql(pool, { named: !embedded }),
      async ping(timeoutMs = 2000) {
        await withTimeout(pool.query('SELECT 1'), timeoutMs, 'database ping');
      },
      async close() {
        await prisma.$disconnect();
        await pool.end();
        await embedded?.close();
      },
    };
  } catch (err) {
    await embedded?.close();
    throw err;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
