// Where the benchmark runs: a new PostgreSQL database (wallet_bench_<time>) plus Redis under a
// key prefix of its own, or a new embedded data folder. It is created empty and migrated at the
// start, and removed at the end, so each run starts from the same state and leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { auditLedger, type AuditReport } from '../src/services/ledger/audit.js';
import type { BenchSettings } from './options.js';

export interface BenchTarget {
  kind: 'postgres' | 'embedded';
  /** One line for the progress output. */
  description: string;
  /** Settings that point a server at this target (DATABASE_URL/REDIS_URL or DATA_DIR). */
  serverEnv: Record<string, string>;
  /** Redis of this run (PostgreSQL mode only). */
  redis?: { url: string; prefix: string };
  /**
   * Runs fn with a SQL connection to the bench database. Only while no server is running: on
   * the embedded database one process owns the data folder, so the benchmark opens it itself.
   */
  withSql<T>(fn: (sql: pg.Client) => Promise<T>): Promise<T>;
  /** The ledger audit of src/services/ledger/audit.ts on this database (server stopped). */
  audit(): Promise<AuditReport>;
  /** Drops the database (or removes the folder) and the Redis keys of this run. */
  cleanup(): Promise<void>;
}

/** A URL with its password (if any) hidden, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

export class TargetUnavailable extends Error {
  override name = 'TargetUnavailable';
}

/** Checks that PostgreSQL answers at the admin URL; throws TargetUnavailable saying what to do. */
export async function checkPostgres(adminUrl: string, hint = 'start it or use --embedded'): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new TargetUnavailable(`PostgreSQL not reachable at ${safeUrl(adminUrl)} (${(err as Error).message}): ${hint}.`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {}); // reported below
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new TargetUnavailable(`Redis not reachable at ${safeUrl(url)} (${(err as Error).message}): start it or use --embedded.`);
  } finally {
    redis.disconnect();
  }
}

async function withClient<T>(url: string, fn: (sql: pg.Client) => Promise<T>): Promise<T> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

const quiet = () => createLogger({ level: 'warn' });

export async function openTarget(settings: BenchSettings): Promise<BenchTarget> {
  return settings.embedded ? openEmbedded() : openPostgres(settings);
}

async function openPostgres(settings: BenchSettings): Promise<BenchTarget> {
  await checkPostgres(settings.postgresUrl);
  await checkRedis(settings.redisUrl);
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const name = `wallet_bench_${stamp}_${randomBytes(2).toString('hex')}`;
  await withClient(settings.postgresUrl, (sql) => sql.query(`CREATE DATABASE ${name}`));
  const url = new URL(settings.postgresUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const prefix = `bench${randomBytes(3).toString('hex')}:`;
  try {
    await migrate(databaseUrl, { log: quiet() });
  } catch (err) {
    await dropDatabase(settings.postgresUrl, name);
    throw err;
  }
  return {
    kind: 'postgres',
    description: `PostgreSQL database ${name} at ${url.host} + Redis at ${new URL(settings.redisUrl).host} (prefix ${prefix})`,
    serverEnv: { DATABASE_URL: databaseUrl, REDIS_URL: settings.redisUrl, REDIS_PREFIX: prefix },
    redis: { url: settings.redisUrl, prefix },
    withSql: (fn) => withClient(databaseUrl, fn),
    async audit() {
      const db = await openDatabase({ role: 'owner', databaseUrl, dataDir: tmpdir(), poolSize: 2, migrateOnStart: false, log: quiet() });
      try {
        return await auditLedger(db.prisma);
      } finally {
        await db.close();
      }
    },
    async cleanup() {
      await dropDatabase(settings.postgresUrl, name);
      await deleteRedisKeys(settings.redisUrl, prefix);
    },
  };
}

async function dropDatabase(adminUrl: string, name: string) {
  await withClient(adminUrl, (sql) => sql.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function deleteRedisKeys(url: string, prefix: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function openEmbedded(): Promise<BenchTarget> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wallet-bench-'));
  const withSql = async <T>(fn: (sql: pg.Client) => Promise<T>): Promise<T> => {
    const embedded = await startEmbeddedPostgres(dataDir, 4);
    try {
      return await withClient(embedded.url, fn);
    } finally {
      await embedded.close();
    }
  };
  try {
    const embedded = await startEmbeddedPostgres(dataDir, 4);
    try {
      await migrate(embedded.url, { log: quiet() });
    } finally {
      await embedded.close();
    }
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    kind: 'embedded',
    description: `embedded PGlite in ${dataDir}, in-memory pub/sub`,
    serverEnv: { DATA_DIR: dataDir },
    withSql,
    async audit() {
      const db = await openDatabase({ role: 'owner', dataDir, poolSize: 1, migrateOnStart: false, log: quiet() });
      try {
        return await auditLedger(db.prisma);
      } finally {
        await db.close();
      }
    },
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
