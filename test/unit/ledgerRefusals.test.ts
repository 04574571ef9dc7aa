// The ledger's refusal table (src/services/ledger/refusals.ts): every code the database can refuse
// with is worded for every caller, each part points at an input field the caller has, and limit
// facts read as the amounts a user typed.
import { describe, expect, it } from 'vitest';
import { USER_ERROR_CODES } from '../../src/services/errors.js';
import {
  majorAmount,
  refusalError,
  type LedgerCaller,
  type LedgerRefusal,
  type RefusalCode,
  type RefusalPart,
} from '../../src/services/ledger/refusals.js';

const CODES: RefusalCode[] = [
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_PROGRESS',
  'INVALID_AMOUNT',
  'INVALID_INPUT',
  'CURRENCY_MISMATCH',
  'NO_WALLET_IN_CURRENCY',
  'RECIPIENT_HAS_NO_WALLET_IN_CURRENCY',
  'RECIPIENT_NOT_FOUND',
  'SELF_TRANSFER',
  'WALLET_FROZEN',
  'INSUFFICIENT_FUNDS',
  'LIMIT_EXCEEDED',
  'TRANSFER_DECLINED',
];
const CALLERS: LedgerCaller[] = [
  'sendMoney',
  'adjustBalance',
  'payPaymentRequest',
  'refundPayment',
  'withdraw',
  'addFunds',
  'refundDeposit',
  'approveRiskReview',
];
const PARTS: RefusalPart[] = ['from', 'to', 'amount', 'currency', 'key', 'note'];

/** The input fields each caller's GraphQL input has. */
const INPUT_FIELDS: Record<LedgerCaller, string[]> = {
  sendMoney: ['recipient', 'amount', 'note', 'idempotencyKey'],
  adjustBalance: ['walletId', 'amount', 'reason', 'idempotencyKey'],
  payPaymentRequest: ['code', 'amount', 'idempotencyKey'],
  refundPayment: ['paymentId', 'amount', 'reason', 'idempotencyKey'],
  withdraw: ['bankAccountId', 'amount', 'idempotencyKey'],
  addFunds: ['paymentMethodId', 'amount', 'idempotencyKey'],
  refundDeposit: ['fundingId', 'amount', 'reason', 'idempotencyKey'],
  approveRiskReview: ['reviewId', 'decision', 'reason'],
};

const refusal = (code: RefusalCode, part: RefusalPart | null, facts: LedgerRefusal['facts'] = {}): LedgerRefusal => ({ code, part, facts });

describe('the ledger refusal table', () => {
  it('words every code for every caller with a known API code, and points only at fields the caller has', () => {
    for (const caller of CALLERS) {
      for (const code of CODES) {
        for (const part of [...PARTS, null]) {
          const error = refusalError(
            refusal(code, part, { currency: 'USD', status: 'FROZEN', limit: 'DAILY_SEND', remaining: '500', resetsOn: '2026-12-04' }),
            caller,
          );
          expect(USER_ERROR_CODES).toContain(error.code);
          expect(error.message.length).toBeGreaterThan(10);
          expect(error.message).not.toMatch(/undefined|null|NaN/);
          if (error.field) {
            expect(error.field[0]).toBe('input');
            expect(INPUT_FIELDS[caller], `${caller} ${code} ${part}`).toContain(error.field[1]);
          }
        }
      }
    }
  });

  it('says the same as before refusals became codes', () => {
    expect(refusalError(refusal('NO_WALLET_IN_CURRENCY', 'currency', { currency: 'EUR' }), 'sendMoney')).toEqual({
      code: 'NO_WALLET_IN_CURRENCY',
      field: ['input', 'amount', 'currency'],
      message: 'You have no EUR wallet. Open one first.',
    });
    expect(refusalError(refusal('WALLET_FROZEN', 'from', { currency: 'USD', status: 'CLOSED' }), 'sendMoney')).toEqual({
      code: 'WALLET_FROZEN',
      field: null,
      message: 'Your USD wallet is closed and cannot send money.',
    });
    expect(
      refusalError(
        refusal('LIMIT_EXCEEDED', 'amount', { limit: 'DAILY_SEND', remaining: '12340', exponent: 2, resetsOn: '2026-12-04' }),
        'sendMoney',
      ).message,
    ).toBe('Over your daily send limit (DAILY_SEND): you can send 123.4 more today; it resets at 2026-12-04 00:00 UTC.');
    expect(refusalError(refusal('LIMIT_EXCEEDED', 'amount', { limit: 'WITHDRAW_NOT_ALLOWED', tier: 'BASIC' }), 'withdraw').message).toBe(
      'Withdrawals need a verified identity: your level (BASIC) allows none (DAILY_WITHDRAW). Verify your identity (submitKyc) first.',
    );
  });

  it('lets a caller word a refusal its own way', () => {
    expect(refusalError(refusal('RECIPIENT_NOT_FOUND', 'to'), 'adjustBalance')).toEqual({
      code: 'NOT_FOUND',
      field: ['input', 'walletId'],
      message: 'No user wallet with that id.',
    });
    expect(refusalError(refusal('INSUFFICIENT_FUNDS', 'amount'), 'withdraw').message).toBe(
      'Not enough available money in your wallet for this withdrawal.',
    );
    expect(refusalError(refusal('INSUFFICIENT_FUNDS', 'amount'), 'approveRiskReview')).toEqual({
      code: 'INSUFFICIENT_FUNDS',
      field: ['input', 'reviewId'],
      message: 'The transfer cannot be posted now: Not enough money in your wallet for this transfer.',
    });
    expect(refusalError(refusal('RECIPIENT_NOT_FOUND', 'to'), 'refundPayment').field).toEqual(['input', 'paymentId']);
  });

  it('writes minor units as the shortest major amount', () => {
    expect(majorAmount('150000', 2)).toBe('1500');
    expect(majorAmount('12345', 2)).toBe('123.45');
    expect(majorAmount('12340', 2)).toBe('123.4');
    expect(majorAmount('5', 2)).toBe('0.05');
    expect(majorAmount('0', 2)).toBe('0');
    expect(majorAmount('5000', 0)).toBe('5000');
    expect(majorAmount('1500', 3)).toBe('1.5');
  });
});
