// The zero-setup database: PGlite (PostgreSQL compiled to WASM) in a local folder, served over
// a loopback socket so the app talks to it through the same `pg` driver as to real PostgreSQL.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  close(): Promise<void>;
}

/** Refuses to open a data folder another live process holds: PGlite is single-process. */
function lockDataDir(dir: string): () => void {
  const lockFile = path.join(dir, 'server.pid');
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (pid && pid !== process.pid) {
      process.kill(pid, 0); // throws if no such process
      throw new Error(`DATA_DIR ${dir} is in use by process ${pid}. Stop that server, or set DATA_DIR (or DATABASE_URL) to run another.`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  try {
    // Loaded here, not at the top: a server on PostgreSQL never pays for loading PGlite.
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
    const db = await PGlite.create({ dataDir: path.join(dir, 'pgdata') });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    return {
      url,
      async close() {
        await server.stop();
        await db.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
