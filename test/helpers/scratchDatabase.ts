// A raw, empty database URL for tests that talk SQL directly (migrations, schema agreement):
// a new database on the PostgreSQL at DATABASE_URL, or an embedded PGlite in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { createTestDatabase, usingPostgres } from './testDatabase.js';

export interface ScratchDatabase {
  kind: 'postgres' | 'embedded';
  url: string;
  /** Drops everything the migrations create (public, vault and sandbox schemas), leaving an empty database. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openScratchDatabase(): Promise<ScratchDatabase> {
  let url: string;
  let close: () => Promise<void>;
  if (usingPostgres) {
    const db = await createTestDatabase();
    url = db.url!;
    close = () => db.drop();
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'wallet-scratch-'));
    const embedded = await startEmbeddedPostgres(dir, 20);
    url = embedded.url;
    close = async () => {
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  return {
    kind: usingPostgres ? 'postgres' : 'embedded',
    url,
    reset: () =>
      withClient(url, (c) =>
        c.query(
          'DROP SCHEMA IF EXISTS vault CASCADE; DROP SCHEMA IF EXISTS sandbox CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
        ),
      ).then(() => {}),
    close,
  };
}

/** Runs fn with a connected pg client and always closes it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
