// `npx tsx bench/insightsCost.ts`: what a spending-insights request and a statement's figures cost
// the database, by the number of entries the wallet has this month (a micro-measure on a scratch
// PostgreSQL database, not a benchmark run; docs/performance.md quotes it). Wallets get 100, 1,000
// and 10,000 entries this month through the posting function (P2P in and out, as bench/seed.ts
// posts them); each figure is the median of 15 calls on one connection, after 3 discarded.
//
//   insights, month in progress: the aggregate query over the month's entries, plus the read of the
//     three months it is compared with (kept, or computed once and kept on the first call);
//   insights, month kept: a closed month asked again (everything read from wallet_month_insights);
//   statement figures: the opening and closing entries and the totals of the same month.
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { createInsightsService } from '../src/services/insights/insights.js';
import { createStatementLedger } from '../src/services/statements/statementLedger.js';
import { monthBounds } from '../src/services/time/timeZones.js';
import { createProgress } from './progress.js';
import { createUsers, fundWallets, p2pRequest, postTransfers } from './seed.js';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SIZES = [100, 1_000, 10_000];
const CALLS = 15;
const WARMUP = 3;

const progress = createProgress();
const name = `wallet_insights_cost_${Date.now()}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
try {
  await migrate(url);
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const users = await createUsers(sql, 'cost', SIZES.length + 1, progress);
  await fundWallets(sql, users, 10_000_000n, progress);
  const other = users.at(-1)!;
  for (const [i, size] of SIZES.entries()) {
    const owner = users[i]!;
    await postTransfers(
      sql,
      size - 1,
      (k) => (k % 2 ? p2pRequest(owner, other, `c${i}-${k}`, 100) : p2pRequest(other, owner, `c${i}-${k}`, 100)),
      {
        batchSize: 50,
        label: `${size.toLocaleString('en-US')} entries this month`,
        progress,
      },
    );
  }
  await sql.end();

  const log = createLogger({ level: 'silent' });
  const db = await openDatabase({ role: 'application', databaseUrl: url, dataDir: '.', poolSize: 1, migrateOnStart: false, log });
  const insights = createInsightsService({ sql: db.sql, delayMinutes: 60 });
  const ledger = createStatementLedger(db.sql);
  const now = new Date();
  const month = now.toISOString().slice(0, 7);
  const nextMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 12));
  const wallets = await db.prisma.wallet.findMany({ where: { id: { in: users.map((u) => u.walletId) } } });
  const median = async (work: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + CALLS; i++) {
      const started = performance.now();
      await work();
      if (i >= WARMUP) times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  };
  console.log('\nentries this month   insights (month in progress)   insights (month kept)   statement figures');
  for (const [i, size] of SIZES.entries()) {
    const w = wallets.find((x) => x.id === users[i]!.walletId)!;
    const wallet = { id: w.id, userId: w.userId, currency: w.currency, createdAt: w.createdAt };
    const live = await median(() => insights.forMonth(wallet, month, now));
    // The same month once it is over: computed and kept by the first call, read after.
    const kept = await median(() => insights.forMonth(wallet, month, nextMonthStart));
    const figures = await median(() =>
      ledger.figures(w.id, monthBounds({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 }, 'UTC')),
    );
    const ms = (n: number) => `${n.toFixed(2)} ms`.padStart(10);
    console.log(
      `${size.toLocaleString('en-US').padStart(19)}   ${ms(live).padStart(28)}   ${ms(kept).padStart(21)}   ${ms(figures).padStart(17)}`,
    );
  }
  await db.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
