// The posting function's outbox row and the messages subscribers get (src/services/events/ledgerEvents.ts):
// one row per call lists its transfers, and becomes a wallet message and a transactions message per
// user side, in the call's order; a row written one per transfer (before the change) still fans out.
// A payment's `merchant.paid` row becomes its request's event and its merchant's.
import { describe, expect, it } from 'vitest';
import { LEDGER_POSTED, MERCHANT_PAID, messagesOf } from '../../src/services/events/ledgerEvents.js';
import { fromPublishedPayment, toPublishedPayment, type MerchantPaymentRecord } from '../../src/services/merchants/model.js';

const side = (walletId: string, userId: string, sequence: number, postedBalance: string) => ({
  walletId,
  userId,
  sequence,
  postedBalance,
  heldAmount: '0',
});
const t1 = { transactionId: 't1', status: 'POSTED', currency: 'USD', sides: [side('wa', 'ua', 2, '70'), side('wb', 'ub', 1, '30')] };
const t2 = { transactionId: 't2', status: 'POSTED', currency: 'USD', sides: [side('wa', 'ua', 3, '50')] };

describe('ledger.posted outbox rows', () => {
  it("fan a call's row out per transfer and user side, in order", () => {
    expect(
      messagesOf(LEDGER_POSTED, { transfers: [t1, t2] }).map((m) => [m.topic, (m.payload as { sequence?: number }).sequence ?? null]),
    ).toEqual([
      ['wallet.wa', 2],
      ['user.ua.transactions', null],
      ['wallet.wb', 1],
      ['user.ub.transactions', null],
      ['wallet.wa', 3],
      ['user.ua.transactions', null],
    ]);
    expect(messagesOf(LEDGER_POSTED, { transfers: [t1, t2] })[0]!.payload).toEqual({
      walletId: 'wa',
      sequence: 2,
      transactionId: 't1',
      postedBalance: '70',
      heldAmount: '0',
      currency: 'USD',
    });
  });

  it('still read a row written one per transfer', () => {
    expect(messagesOf(LEDGER_POSTED, t2)).toEqual(messagesOf(LEDGER_POSTED, { transfers: [t2] }));
  });

  it('publish rows of other kinds as they are', () => {
    expect(messagesOf('user.ua.transactions', { status: 'IN_REVIEW' })).toEqual([
      { topic: 'user.ua.transactions', payload: { status: 'IN_REVIEW' } },
    ]);
  });
});

describe('merchant.paid outbox rows', () => {
  const payment: MerchantPaymentRecord = {
    id: 'p1',
    merchantId: 'm1',
    merchantName: 'Corner Coffee',
    requestId: 'r1',
    requestCode: 'ABC123',
    reference: null,
    payerId: 'u1',
    payerName: 'Pat Payer',
    transactionId: 't1',
    currency: 'USD',
    amount: 450n,
    fee: 43n,
    refunded: 0n,
    status: 'PAID',
    createdAt: new Date('2026-12-04T10:00:00.000Z'),
  };

  it("become the request's event and the merchant's, the payment in JSON and back", () => {
    const request = { requestId: 'r1', status: 'PAID', paidCount: 1 };
    const published = toPublishedPayment(payment);
    // The outbox holds JSON: no bigint, no Date.
    expect(JSON.parse(JSON.stringify(published))).toEqual(published);
    expect(messagesOf(MERCHANT_PAID, { request, payment: published })).toEqual([
      { topic: 'payment-request.r1', payload: request },
      { topic: 'merchant.m1.payments', payload: { payment: published } },
    ]);
    expect(fromPublishedPayment(published)).toEqual(payment);
    expect(fromPublishedPayment({ ...published, refunded: '100' }).status).toBe('PARTIALLY_REFUNDED');
  });
});
