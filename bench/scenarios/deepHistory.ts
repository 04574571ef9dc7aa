// deep-history: one wallet with a very long history (1,000,000 entries by default), paged at its
// newest end (first: 20) and at its oldest end (after a cursor just past the oldest 20 entries).
// History is keyset-paged on the wallet's entry sequence, so both should cost the same; this
// checks that they do. The history is real: P2P payments in and out with 50 counterparties,
// posted through wallet_post_transfers like any other transfer.
import { encodeSequenceCursor } from '../../src/services/pagination.js';
import { expectPage, globalId, TRANSACTIONS_PAGE } from '../graphql.js';
import { measureHttpWorkloads } from '../httpPhases.js';
import { issueTokens, p2pRequest, postTransfers, walletSequences } from '../seed.js';
import type { BenchUser } from '../seed.js';
import type { HttpScenario, PrepareContext } from './types.js';

export interface PageParams {
  token: string;
  walletId: string;
  after: string | null;
}

const COUNTERPARTIES = 50;
const AMOUNT = 100; // 1.00: in and out alternate, so every balance stays where it started

/**
 * The wallet with the long history (made once per bench database; the statement scenario reads
 * the same one), and an access token of its holder.
 */
export async function prepareDeepWallet(ctx: PrepareContext): Promise<{ owner: BenchUser; token: string }> {
  const [owner] = await ctx.seeder.group(ctx.sql, 'deep', 1, 10_000_000n);
  const counterparties = await ctx.seeder.group(ctx.sql, 'deepcp', COUNTERPARTIES, 10_000_000n);
  const have = Number((await walletSequences(ctx.sql, [owner!.walletId])).get(owner!.walletId) ?? 0n);
  const wanted = ctx.settings.historyEntries;
  if (have < wanted) {
    const started = Date.now();
    // Batches of 50: every transfer in a batch updates the owner's wallet row, and larger
    // batches cost more per transfer (measured on this machine).
    await postTransfers(
      ctx.sql,
      wanted - have,
      (k) => {
        const other = counterparties[k % COUNTERPARTIES]!;
        const key = `bench-deep-${have + k}`;
        return k % 2 === 0 ? p2pRequest(owner!, other, key, AMOUNT, 'rent share') : p2pRequest(other, owner!, key, AMOUNT, null);
      },
      { batchSize: 50, label: `building a history of ${wanted.toLocaleString('en-US')} entries`, progress: ctx.progress },
    );
    ctx.notes.push(`history of ${wanted.toLocaleString('en-US')} entries built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const [token] = await issueTokens([owner!], ctx.jwtSecret);
  return { owner: owner!, token: token! };
}

export const deepHistory: HttpScenario<PageParams> = {
  name: 'deep-history',
  summary: 'transactions pages of one wallet with a long history, at the newest and at the oldest end',
  auditLedger: true,
  needsServer: true,
  async prepare(ctx) {
    const { owner, token } = await prepareDeepWallet(ctx);
    const walletId = globalId('Wallet', owner.walletId);
    return [
      { name: 'page at newest', kind: 'read', params: { token, walletId, after: null } },
      // Entries with sequence < 21: the oldest 20 of the wallet.
      { name: 'page at oldest', kind: 'read', params: { token, walletId, after: encodeSequenceCursor(21n) } },
    ];
  },
  measure: (ctx, workloads) => measureHttpWorkloads(ctx, deepHistory, workloads),
  check({ params }, data) {
    if (params.after === null) return expectPage(data, 20, true);
    // The oldest page ends with the wallet's first entry and has nothing after it.
    const problem = expectPage(data, 20, false);
    const edges = (data.transactions as { edges: { cursor: string }[] }).edges;
    return problem ?? (edges.at(-1)?.cursor === encodeSequenceCursor(1n) ? null : 'the oldest page does not end at sequence 1');
  },
  requests({ params }) {
    const body = JSON.stringify({
      query: TRANSACTIONS_PAGE,
      operationName: 'BenchTransactions',
      variables: { walletId: params.walletId, after: params.after },
    });
    return () => ({ token: params.token, body, payloadField: null });
  },
};
