// The one fee rule (deposits and merchant payments): basis points of the amount rounded half up
// to the minor unit, plus the fixed part.
import { describe, expect, it } from 'vitest';
import { feeFor } from '../../src/services/money/fees.js';

describe('feeFor', () => {
  const merchant = { bps: 290, fixed: 30n };

  it('2.90 % + 0.30 of ordinary amounts', () => {
    expect(feeFor(100_00n, merchant)).toBe(320n);
    expect(feeFor(50_00n, merchant)).toBe(175n);
    expect(feeFor(1n, merchant)).toBe(30n);
  });

  it('rounds half a minor unit up, and less than half down', () => {
    // 2.90 % of 0.50 = 1.45 cents → 1; of 0.70 = 2.03 → 2; 1 % of 0.50 = 0.5 → 1; of 0.49 = 0.49 → 0.
    expect(feeFor(50n, { bps: 290, fixed: 0n })).toBe(1n);
    expect(feeFor(70n, { bps: 290, fixed: 0n })).toBe(2n);
    expect(feeFor(50n, { bps: 100, fixed: 0n })).toBe(1n);
    expect(feeFor(49n, { bps: 100, fixed: 0n })).toBe(0n);
    expect(feeFor(150n, { bps: 100, fixed: 0n })).toBe(2n);
    expect(feeFor(250n, { bps: 100, fixed: 0n })).toBe(3n);
  });

  it('is exact for amounts far beyond 2^53 minor units', () => {
    expect(feeFor(10n ** 18n, { bps: 1, fixed: 0n })).toBe(10n ** 14n);
  });

  it('nothing when there is no fee', () => {
    expect(feeFor(123_45n, { bps: 0, fixed: 0n })).toBe(0n);
  });
});
