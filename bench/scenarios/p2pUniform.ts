// p2p-uniform: the everyday case. Funded users pay each other at random (distinct pairs), each
// payment a sendMoney over HTTP with the recipient's walletId and a fresh idempotency key: the
// whole product path (auth, validation, idempotency, posting function, outbox, response).
import { expectPostedTransfer, globalId, sendMoneyBody } from '../graphql.js';
import { measureHttpWorkloads } from '../httpPhases.js';
import { issueTokens } from '../seed.js';
import { randomIndexExcept, type HttpScenario } from './types.js';

export interface PairsParams {
  tokens: string[];
  /** Global IDs, same order as tokens. */
  wallets: string[];
}

export const p2pUniform: HttpScenario<PairsParams> = {
  name: 'p2p-uniform',
  summary: 'sendMoney between random distinct pairs of funded wallets',
  auditLedger: true,
  needsServer: true,
  async prepare(ctx) {
    const users = await ctx.seeder.population(ctx.sql);
    const tokens = await issueTokens(users, ctx.jwtSecret);
    return [{ name: 'sendMoney', kind: 'transfer', params: { tokens, wallets: users.map((u) => globalId('Wallet', u.walletId)) } }];
  },
  measure: (ctx, workloads) => measureHttpWorkloads(ctx, p2pUniform, workloads),
  check: (_workload, data) => expectPostedTransfer(data),
  requests({ params }) {
    const n = params.tokens.length;
    return () => {
      const from = Math.floor(Math.random() * n);
      const to = randomIndexExcept(n, from);
      return { token: params.tokens[from]!, body: sendMoneyBody(params.wallets[to]!), payloadField: 'sendMoney' };
    };
  },
};
