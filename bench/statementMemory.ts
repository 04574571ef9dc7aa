// `node --expose-gc --import tsx bench/statementMemory.ts [--lines 200000]`: a statement's memory
// in process, by what is still alive rather than what the process holds. A scratch PostgreSQL
// database gets a wallet with that many entries (through the posting function, as bench/seed.ts
// posts them); its statement is then written as CSV and as PDF by the service the download route
// uses, to a sink that takes 64 KB at a time, and every ~5 % of the output the heap is collected
// (global.gc) and its live size and the process's RSS are printed. Live memory that stays level
// while the lines go by is what "streamed" means; the `statement` bench scenario gives the
// server's RSS under its ordinary garbage collection (docs/performance.md).
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { createStatementService } from '../src/services/statements/statements.js';
import { createProgress } from './progress.js';
import { createUsers, fundWallets, p2pRequest, postTransfers } from './seed.js';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '200000' } } });
const lines = Number(values.lines);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx bench/statementMemory.ts');
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const name = `wallet_statement_memory_${Date.now()}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
const progress = createProgress();
try {
  await migrate(url);
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const [owner, other] = await createUsers(sql, 'memory', 2, progress);
  await fundWallets(sql, [owner!, other!], 10_000_000n, progress);
  await postTransfers(
    sql,
    lines - 1,
    (k) => (k % 2 ? p2pRequest(owner!, other!, `m${k}`, 100, 'rent share') : p2pRequest(other!, owner!, `m${k}`, 100)),
    {
      batchSize: 50,
      label: `a history of ${lines.toLocaleString('en-US')} entries`,
      progress,
    },
  );
  await sql.end();
  const log = createLogger({ level: 'silent' });
  const db = await openDatabase({ role: 'application', databaseUrl: url, dataDir: '.', poolSize: 2, migrateOnStart: false, log });
  const statements = createStatementService({
    prisma: db.prisma,
    sql: db.sql,
    jwtSecret: 'statement-memory-measure-secret-0123456789',
    settings: { maxDays: 366, delayMinutes: 60, catchUpMonths: 12, linkSeconds: 300, publicOrigin: 'http://localhost' },
    log,
  });
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  for (const format of ['CSV', 'PDF'] as const) {
    const expected = format === 'CSV' ? lines * 118 : lines * 40;
    let bytes = 0;
    let next = 0;
    const samples: { out: number; heap: number; rss: number }[] = [];
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes >= next) {
          next = bytes + expected / 20;
          gc();
          const m = process.memoryUsage();
          samples.push({ out: bytes, heap: m.heapUsed, rss: m.rss });
        }
        setImmediate(done);
      },
    });
    const started = performance.now();
    await statements.writeDownload(
      {
        userId: owner!.userId,
        sessionId: owner!.sessionId,
        walletId: owner!.walletId,
        format,
        statementId: null,
        openingSequence: 0n,
        closingSequence: BigInt(lines),
        period: {
          kind: 'RANGE',
          month: null,
          from: '2026-01-01',
          to: '2026-12-31',
          timeZone: 'UTC',
          startsAt: new Date(0),
          endsAt: new Date(8.64e15),
        },
      },
      sink,
    );
    const seconds = (performance.now() - started) / 1000;
    const heaps = samples.map((s) => s.heap);
    console.log(
      `\n${format}: ${lines.toLocaleString('en-US')} lines, ${mb(bytes)} in ${seconds.toFixed(1)} s; live heap after GC ${mb(Math.min(...heaps))}–${mb(Math.max(...heaps))} (first ${mb(heaps[0]!)}, last ${mb(heaps.at(-1)!)}), RSS ${mb(Math.min(...samples.map((s) => s.rss)))}–${mb(Math.max(...samples.map((s) => s.rss)))}`,
    );
    for (const s of samples)
      console.log(`  ${mb(s.out).padStart(9)} written   heap ${mb(s.heap).padStart(8)}   rss ${mb(s.rss).padStart(8)}`);
  }
  await db.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
