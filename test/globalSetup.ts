// Once per test run: a migrated template database, so that each test server starts from a copy
// instead of applying every migration again (on PGlite that is seconds of CPU per server). On
// PostgreSQL a template database (CREATE DATABASE … TEMPLATE), on the embedded default a
// migrated PGlite data folder that createTestDatabase copies. Tests that need an empty database
// (the migration runner, the production start) ask createTestDatabase for one without it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { withClient } from './helpers/scratchDatabase.js';

export default async function setup(): Promise<() => Promise<void>> {
  const log = createLogger({ level: 'silent' });
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'wallet-test-template-'));
    const db = await openDatabase({ role: 'owner', dataDir: dir, poolSize: 1, migrateOnStart: true, log });
    await db.close();
    process.env.WALLET_TEST_TEMPLATE_PGDATA = path.join(dir, 'pgdata');
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const name = `wallet_test_template_${randomBytes(4).toString('hex')}`;
  const admin = (sql: string) => withClient(adminUrl, (c) => c.query(sql));
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString(), { log });
  process.env.WALLET_TEST_TEMPLATE_DB = name;
  return async () => {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
}
