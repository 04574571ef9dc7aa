// Opens the database the config asks for: PostgreSQL at DATABASE_URL, or the embedded PGlite.
// Everything above this module sees the same thing: a Prisma client over a `pg` pool.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrate } from './migrate.js';
import { withSerialTransactions } from './serialTransactions.js';
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
  /** The connection pool now (for metrics): connections open, idle, queries waiting for one, the most it opens. */
  poolStats(): { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

/**
 * The role the server acts as (created by the migrations; decision 42): it may not write the
 * ledger's rows except through the posting function, nor delete what the ledger points at.
 */
export const APPLICATION_ROLE = 'wallet_app';

export interface DatabaseOptions {
  databaseUrl?: string;
  /**
   * 'application': every connection acts as APPLICATION_ROLE (the server and the scripts);
   * 'owner': as the login user, for the migrator's work and tests that tamper on purpose.
   */
  role: 'application' | 'owner';
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
    // On the embedded database the server stays the login user: pglite-socket serves every
    // connection from one session, so a role set for the server would be everyone's, the
    // migrator's and an operator's too. The migrations still create the role and its grants there.
    const asApplication = options.role === 'application' && !embedded;
    const pool = new pg.Pool({
      connectionString: url,
      max: embedded ? 1 : options.poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      // A startup parameter: no round trip, and RESET ALL returns to it rather than to the login user.
      ...(asApplication ? { options: `-c role=${APPLICATION_ROLE}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', (err) => options.log.warn({ err: err.message }, 'idle database connection lost'));
    if (asApplication) await checkRole(pool, options.log);
    const prisma = new PrismaClient({ adapter: withSerialTransactions(new PrismaPg(pool)) });
    return {
      kind: embedded ? 'embedded' : 'postgres',
      url,
      prisma,
      sql: createSql(pool, { named: !embedded }),
      async ping(timeoutMs = 2000) {
        await withTimeout(pool.query('SELECT 1'), timeoutMs, 'database ping');
      },
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }),
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

/**
 * Fails at start, saying what to do, when PostgreSQL refuses the role. A server that ignores
 * startup parameters (PGlite behind DATABASE_URL) leaves the login user: served, with a warning.
 */
async function checkRole(pool: pg.Pool, log: Logger): Promise<void> {
  const acting = await pool.query<{ role: string }>('SELECT current_user AS role').then(
    (r) => r.rows[0]!.role,
    (err: Error) => {
      throw new Error(
        `cannot act as the database role ${APPLICATION_ROLE}: ${err.message}. The migrations create it and grant it to the user ` +
          `that runs them; a server that logs in as another user needs GRANT ${APPLICATION_ROLE} TO <that user> (README, Running in production).`,
      );
    },
  );
  if (acting !== APPLICATION_ROLE)
    log.warn(
      { acting, role: APPLICATION_ROLE },
      'the database ignored the role parameter (PGlite?): the ledger is guarded by its functions, not privileges',
    );
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
