// reads: what an app does on every screen: the signed-in user's wallets with balances, and the
// first page (20) of a wallet's history. Readers get at least 21 ledger entries first, so each
// history page is full and has a next page, as a real user's would.
import type pg from 'pg';
import { expectPage, globalId, ME_WALLETS, TRANSACTIONS_PAGE } from '../graphql.js';
import { measureHttpWorkloads } from '../httpPhases.js';
import type { Progress } from '../progress.js';
import { issueTokens, p2pRequest, postTransfers, walletSequences, type BenchUser } from '../seed.js';
import type { HttpScenario } from './types.js';

export interface ReadsParams {
  tokens: string[];
  /** Global IDs of the readers' wallets (history workload only), same order as tokens. */
  wallets?: string[];
}

const HISTORY_READERS = 1000;
const PAGE_ENTRIES = 21;

const ME_BODY = JSON.stringify({ query: ME_WALLETS, operationName: 'BenchMeWallets' });

/** Gives every reader at least PAGE_ENTRIES entries with rounds of payments around a ring. */
async function ensureHistory(sql: pg.Client, readers: BenchUser[], progress: Progress) {
  const sequences = await walletSequences(
    sql,
    readers.map((r) => r.walletId),
  );
  const fewest = Math.min(...[...sequences.values()].map(Number));
  if (fewest >= PAGE_ENTRIES || readers.length < 2) return;
  // Each round every reader pays the one r places along, gaining one entry out and one in.
  const rounds = Math.ceil((PAGE_ENTRIES - fewest) / 2);
  const m = readers.length;
  const total = rounds * m;
  const stamp = Date.now().toString(36);
  await postTransfers(
    sql,
    total,
    (k) => {
      const round = 1 + Math.floor(k / m);
      const i = k % m;
      const to = (i + 1 + ((round - 1) % (m - 1))) % m;
      return p2pRequest(readers[i]!, readers[to]!, `bench-history-${stamp}-${k}`, 1 + (k % 300), k % 3 === 0 ? 'coffee' : null);
    },
    { batchSize: 100, label: `history for ${m.toLocaleString('en-US')} readers`, progress },
  );
}

export const reads: HttpScenario<ReadsParams> = {
  name: 'reads',
  summary: 'me { wallets { balance } } and the first page of transactions(walletId, first: 20)',
  auditLedger: true,
  needsServer: true,
  async prepare(ctx) {
    const users = await ctx.seeder.population(ctx.sql);
    const readers = users.slice(0, Math.min(HISTORY_READERS, users.length));
    await ensureHistory(ctx.sql, readers, ctx.progress);
    const tokens = await issueTokens(users, ctx.jwtSecret);
    return [
      { name: 'me.wallets', kind: 'read', params: { tokens } },
      {
        name: 'transactions(first:20)',
        kind: 'read',
        params: { tokens: tokens.slice(0, readers.length), wallets: readers.map((r) => globalId('Wallet', r.walletId)) },
      },
    ];
  },
  measure: (ctx, workloads) => measureHttpWorkloads(ctx, reads, workloads),
  check(workload, data) {
    if (workload.name !== 'me.wallets') return expectPage(data, 20, true);
    const wallets = (data.me as { wallets?: { balance?: { posted?: { amount?: string } } }[] } | undefined)?.wallets;
    return wallets?.length && typeof wallets[0]!.balance?.posted?.amount === 'string'
      ? null
      : `expected wallets with balances, got ${JSON.stringify(data).slice(0, 200)}`;
  },
  requests({ name, params }) {
    const n = params.tokens.length;
    if (name === 'me.wallets') {
      return () => ({ token: params.tokens[Math.floor(Math.random() * n)]!, body: ME_BODY, payloadField: null });
    }
    const bodies = params.wallets!.map((walletId) =>
      JSON.stringify({ query: TRANSACTIONS_PAGE, operationName: 'BenchTransactions', variables: { walletId } }),
    );
    return () => {
      const i = Math.floor(Math.random() * n);
      return { token: params.tokens[i]!, body: bodies[i]!, payloadField: null };
    };
  },
};
