// hot-wallet-in and hot-wallet-out: one wallet in every transfer, as a popular merchant receiving
// from everyone (in) or a payroll/cashback account paying out to everyone (out). Every transfer
// must lock that one wallet's row, so these show what serialising on a hot row costs.
import { expectPostedTransfer, globalId, sendMoneyBody } from '../graphql.js';
import { measureHttpWorkloads } from '../httpPhases.js';
import { issueTokens } from '../seed.js';
import type { HttpScenario } from './types.js';

export interface HotInParams {
  /** Tokens of the paying population. */
  tokens: string[];
  merchantWallet: string;
}

export interface HotOutParams {
  payerToken: string;
  /** Global IDs of the recipients. */
  wallets: string[];
}

export const hotWalletIn: HttpScenario<HotInParams> = {
  name: 'hot-wallet-in',
  summary: 'sendMoney from random funded wallets, all to one merchant-like wallet',
  auditLedger: true,
  needsServer: true,
  async prepare(ctx) {
    const payers = await ctx.seeder.population(ctx.sql);
    // The merchant only receives; 1.00 of funding gives it its first entry like everyone else.
    const [merchant] = await ctx.seeder.group(ctx.sql, 'merchant', 1, 100n);
    return [
      {
        name: 'sendMoney→one',
        kind: 'transfer',
        params: { tokens: await issueTokens(payers, ctx.jwtSecret), merchantWallet: globalId('Wallet', merchant!.walletId) },
      },
    ];
  },
  measure: (ctx, workloads) => measureHttpWorkloads(ctx, hotWalletIn, workloads),
  check: (_workload, data) => expectPostedTransfer(data),
  requests({ params }) {
    return () => ({
      token: params.tokens[Math.floor(Math.random() * params.tokens.length)]!,
      body: sendMoneyBody(params.merchantWallet),
      payloadField: 'sendMoney',
    });
  },
};

export const hotWalletOut: HttpScenario<HotOutParams> = {
  name: 'hot-wallet-out',
  summary: 'sendMoney from one well-funded wallet to random wallets',
  auditLedger: true,
  needsServer: true,
  async prepare(ctx) {
    const recipients = await ctx.seeder.population(ctx.sql);
    // 100,000,000.00 USD: enough for millions of payouts of up to 5.00.
    const [payer] = await ctx.seeder.group(ctx.sql, 'payer', 1, 10_000_000_000n);
    const [payerToken] = await issueTokens([payer!], ctx.jwtSecret);
    return [
      {
        name: 'one→sendMoney',
        kind: 'transfer',
        params: { payerToken: payerToken!, wallets: recipients.map((u) => globalId('Wallet', u.walletId)) },
      },
    ];
  },
  measure: (ctx, workloads) => measureHttpWorkloads(ctx, hotWalletOut, workloads),
  check: (_workload, data) => expectPostedTransfer(data),
  requests({ params }) {
    return () => ({
      token: params.payerToken,
      body: sendMoneyBody(params.wallets[Math.floor(Math.random() * params.wallets.length)]!),
      payloadField: 'sendMoney',
    });
  },
};
