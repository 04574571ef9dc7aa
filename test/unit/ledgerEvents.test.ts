// The posting function's outbox row and the messages subscribers get (src/services/events/ledgerEvents.ts):
// one row per call lists its transfers, and becomes a wallet message and a transactions message per
// user side, in the call's order; a row written one per transfer (before the change) still fans out.
import { describe, expect, it } from 'vitest';
import { LEDGER_POSTED, messagesOf } from '../../src/services/events/ledgerEvents.js';

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
