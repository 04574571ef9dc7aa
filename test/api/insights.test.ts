// Spending insights over the API: a month's money in and out by category (merchants by their ISO
// 18245 code, P2P, top-ups, fees), top counterparties and the largest transactions; the month
// against the one before and the average of the three before; a closed month computed once and
// kept (append-only). Merchants carry their category code through registerMerchant and
// setMerchantCategoryCode. Bad or future months are userErrors naming the field; other users'
// wallets are NOT_FOUND.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferRequest } from '../../src/services/ledger/ledger.js';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { signUpUser, type TestUser } from '../helpers/people.js';
import { asOwner, startTestServer, type TestServer } from '../helpers/testServer.js';

const InRegister = graphql(`
  mutation InRegister($input: RegisterMerchantInput!) {
    registerMerchant(input: $input) { merchant { id categoryCode spendingCategory } userErrors { field code message } }
  }
`);
const InSetCode = graphql(`
  mutation InSetCode($merchantId: ID!, $categoryCode: String!) {
    setMerchantCategoryCode(merchantId: $merchantId, categoryCode: $categoryCode) {
      merchant { id categoryCode spendingCategory } userErrors { field code message }
    }
  }
`);
const InInsights = graphql(`
  query InInsights($walletId: ID!, $month: String!) {
    insights(walletId: $walletId, month: $month) {
      insights {
        month timeZone complete wallet { id }
        moneyIn { amount currency } moneyOut { amount } net { amount }
        previousMonth { month moneyIn { amount } moneyOut { amount } }
        threeMonthAverage { month moneyIn { amount } moneyOut { amount } }
        categories { category moneyIn { amount } moneyOut { amount } transactions previousMonthOut { amount } threeMonthAverageOut { amount } }
        topCounterparties { displayName isUser isMerchant category moneyIn { amount } moneyOut { amount } transactions }
        largestTransactions { id type amount { amount } direction }
      }
      userErrors { field code message }
    }
  }
`);

let t: TestServer;
let holder: TestUser;
let friend: TestUser;
let owner: TestUser;
const month = new Date().toISOString().slice(0, 7);
const merchants: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer();
  holder = await signUpUser(t, { label: 'in-holder', displayName: 'Holder Insights' });
  friend = await signUpUser(t, { label: 'in-friend', displayName: 'Friend Insights' });
  owner = await signUpUser(t, { label: 'in-owner', displayName: 'Shop Owner' });
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

describe("merchants' category codes", () => {
  it('registerMerchant takes an ISO 18245 code and files the merchant in its spending category', async () => {
    for (const [name, code, category] of [
      ['Corner Grocer', '5411', 'GROCERIES'],
      ['Trattoria', '5812', 'DINING'],
    ] as const) {
      const made = await t.query(
        InRegister,
        { input: { name, category: 'shop', categoryCode: code, settlementCurrency: 'USD' } },
        { token: owner.token },
      );
      expect(made.registerMerchant.merchant).toMatchObject({ categoryCode: code, spendingCategory: category });
      merchants[category] = made.registerMerchant.merchant!.id;
    }
    const bad = await t.query(
      InRegister,
      { input: { name: 'Bad Code', category: 'shop', categoryCode: '58A2', settlementCurrency: 'USD' } },
      { token: owner.token },
    );
    expect(bad.registerMerchant.userErrors).toEqual([expect.objectContaining({ field: ['input', 'categoryCode'], code: 'INVALID_INPUT' })]);
  });

  it('setMerchantCategoryCode: the OWNER sets it; a bad code or another user is refused naming the argument', async () => {
    const made = await t.query(
      InRegister,
      { input: { name: 'City Buses', category: 'transport', settlementCurrency: 'USD' } },
      { token: owner.token },
    );
    const merchantId = made.registerMerchant.merchant!.id;
    expect(made.registerMerchant.merchant).toMatchObject({ categoryCode: null, spendingCategory: 'OTHER' });
    const set = await t.query(InSetCode, { merchantId, categoryCode: '4111' }, { token: owner.token });
    expect(set.setMerchantCategoryCode).toEqual({
      merchant: { id: merchantId, categoryCode: '4111', spendingCategory: 'TRANSPORT' },
      userErrors: [],
    });
    merchants.TRANSPORT = merchantId;
    const bad = await t.query(InSetCode, { merchantId, categoryCode: '12345' }, { token: owner.token });
    expect(bad.setMerchantCategoryCode.userErrors).toEqual([expect.objectContaining({ field: ['categoryCode'], code: 'INVALID_INPUT' })]);
    const other = await t.query(InSetCode, { merchantId, categoryCode: '5411' }, { token: holder.token });
    expect(other.setMerchantCategoryCode.userErrors).toEqual([expect.objectContaining({ field: ['merchantId'], code: 'NOT_FOUND' })]);
  });
});

describe('insights', () => {
  const request = (
    type: TransferRequest['type'],
    cents: number,
    from: TransferRequest['from'],
    to: TransferRequest['to'],
  ): TransferRequest => {
    const key = randomUUID();
    return { userId: holder.userId, key, operation: 'test.insights', hash: key, type, currency: 'USD', amount: BigInt(cents), from, to };
  };

  beforeAll(async () => {
    const mine = { walletId: decodeId(holder.walletId) };
    const theirs = { walletId: decodeId(friend.walletId) };
    const shop = (category: string) => ({ merchantId: decodeId(merchants[category]!) });
    const post = async (requests: TransferRequest[]) => {
      for (const r of await t.server.services.ledger.postTransfers(requests)) if (!r.ok) throw new Error(`refused: ${r.code}`);
    };
    await post([request('ADJUSTMENT', 50_000, { system: 'PROMOTIONS' }, theirs)]);
    await post([
      request('DEPOSIT', 100_000, { system: 'SETTLEMENT_CARD' }, mine),
      request('FEE', 200, mine, { system: 'FEES' }),
      request('PAYMENT', 5_000, mine, shop('GROCERIES')),
      request('PAYMENT', 2_550, mine, shop('GROCERIES')),
      request('PAYMENT', 4_000, mine, shop('DINING')),
      request('PAYMENT', 1_000, mine, shop('TRANSPORT')),
      request('P2P_TRANSFER', 10_000, mine, theirs),
      request('P2P_TRANSFER', 3_000, theirs, mine),
      request('REFUND', 550, shop('GROCERIES'), mine),
    ]);
  });

  it('sorts the month by category and counterparty, with its largest transactions', async () => {
    const data = await t.query(InInsights, { walletId: holder.walletId, month }, { token: holder.token });
    expect(data.insights.userErrors).toEqual([]);
    const i = data.insights.insights!;
    expect(i).toMatchObject({
      month,
      timeZone: 'UTC',
      complete: false,
      wallet: { id: holder.walletId },
      moneyIn: { amount: '1035.50', currency: 'USD' },
      moneyOut: { amount: '227.50' },
      net: { amount: '808.00' },
      previousMonth: { moneyIn: { amount: '0.00' }, moneyOut: { amount: '0.00' } },
      threeMonthAverage: { month: null, moneyOut: { amount: '0.00' } },
    });
    expect(i.categories.map((c) => [c.category, c.moneyIn.amount, c.moneyOut.amount, c.transactions])).toEqual([
      ['P2P', '30.00', '100.00', 2],
      ['GROCERIES', '5.50', '75.50', 3],
      ['DINING', '0.00', '40.00', 1],
      ['TRANSPORT', '0.00', '10.00', 1],
      ['FEES', '0.00', '2.00', 1],
      ['CARDS_AND_BANKS', '1000.00', '0.00', 1],
    ]);
    expect(i.topCounterparties.map((c) => [c.displayName, c.category, c.moneyIn.amount, c.moneyOut.amount])).toEqual([
      ['Card top-up', 'CARDS_AND_BANKS', '1000.00', '0.00'],
      ['Friend Insights', 'P2P', '30.00', '100.00'],
      ['Corner Grocer', 'GROCERIES', '5.50', '75.50'],
      ['Trattoria', 'DINING', '0.00', '40.00'],
      ['City Buses', 'TRANSPORT', '0.00', '10.00'],
    ]);
    expect(i.largestTransactions.map((tx) => [tx.type, tx.direction, tx.amount.amount])).toEqual([
      ['DEPOSIT', 'IN', '1000.00'],
      ['P2P_TRANSFER', 'OUT', '100.00'],
      ['PAYMENT', 'OUT', '50.00'],
      ['PAYMENT', 'OUT', '40.00'],
      ['P2P_TRANSFER', 'IN', '30.00'],
    ]);
  });

  it('compares with the month before and the average of the three before; a closed month is computed once and kept', async () => {
    const wallet = (await t.server.services.wallets.getMany([decodeId(holder.walletId)]))[0]!;
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 12));
    const nextMonth = next.toISOString().slice(0, 7);
    const kept = () =>
      asOwner(t, `SELECT month::text, computed_at FROM wallet_month_insights WHERE wallet_id = '${wallet.id}'`) as Promise<{
        rows: unknown[];
      }>;
    expect((await kept()).rows).toHaveLength(0);

    const closed = await t.server.services.insights.forMonth(wallet, month, next);
    if (!closed.ok) throw new Error('refused');
    expect(closed.value).toMatchObject({ complete: true, totalOut: 22_750n });
    const after = await t.server.services.insights.forMonth(wallet, nextMonth, next);
    if (!after.ok) throw new Error('refused');
    expect(after.value).toMatchObject({ totalIn: 0n, totalOut: 0n, complete: false });
    expect(after.value.previous).toEqual({ month, totalIn: 103_550n, totalOut: 22_750n });
    // (0 + 0 + 227.50) / 3 = 75.8333… → 75.83; (0 + 0 + 1035.50) / 3 = 345.1666… → 345.17.
    expect(after.value.average).toEqual({ totalIn: 34_517n, totalOut: 7_583n });
    const groceries = after.value.categories.find((c) => c.category === 'GROCERIES')!;
    expect(groceries).toMatchObject({ out: 0n, previousOut: 7_550n, averageOut: 2_517n, previousIn: 550n, averageIn: 183n });

    // Kept once (months before the wallet existed are not), and read rather than computed again.
    const rows = (await kept()).rows;
    expect(rows).toHaveLength(1);
    await t.server.services.insights.forMonth(wallet, nextMonth, next);
    expect((await kept()).rows).toEqual(rows);
    // Append-only.
    await expect(asOwner(t, `UPDATE wallet_month_insights SET total_out = 0 WHERE wallet_id = '${wallet.id}'`)).rejects.toThrow(
      /append-only/,
    );
  });

  it("refuses a bad or future month naming it, and another user's wallet", async () => {
    for (const bad of ['Nov 2026', '2026-00', '2999-01']) {
      const data = await t.query(InInsights, { walletId: holder.walletId, month: bad }, { token: holder.token });
      expect(data.insights).toEqual({
        insights: null,
        userErrors: [expect.objectContaining({ field: ['month'], code: 'INVALID_PERIOD' })],
      });
    }
    const other = await t.request(InInsights, { walletId: holder.walletId, month }, { token: friend.token });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
