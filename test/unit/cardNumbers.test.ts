// Proves the card checks (src/services/paymentMethods/cardNumbers.ts): the processors' standard test
// numbers pass with the right brand, typos, wrong lengths, unknown brands, bad expiry dates and
// CVCs are each reported on the right field, and no message ever repeats the number or CVC.
import { describe, expect, it } from 'vitest';
import {
  type CardBrand,
  detectBrand,
  luhnValid,
  maskCardNumber,
  normaliseCardNumber,
  validateCard,
} from '../../src/services/paymentMethods/cardNumbers.js';

// Mid-month, so "this month" and "last month" are unambiguous.
const NOW = new Date(Date.UTC(2026, 5, 15, 12, 0, 0)); // 15 June 2026
const GOOD = { expMonth: 12, expYear: 2030, cvc: '987' };

/** Appends the Luhn check digit, so wrong-length cases fail only on length. */
function withCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) {
    if (luhnValid(partial + d)) return partial + d;
  }
  throw new Error('unreachable');
}

/** Every message, asserted free of the number (any 4 consecutive digits of it) and the CVC. */
function expectNoSecrets(messages: string[], digits: string, cvc: string): void {
  for (const message of messages) {
    for (let i = 0; i + 4 <= digits.length; i++) {
      expect(message).not.toContain(digits.slice(i, i + 4));
    }
    expect(message).not.toContain(cvc);
  }
}

describe('standard test numbers', () => {
  it.each<[string, CardBrand, string]>([
    ['4242424242424242', 'VISA', '987'],
    ['4000000000000002', 'VISA', '987'],
    ['4000000000009995', 'VISA', '987'],
    ['4000000000000259', 'VISA', '987'],
    ['5555555555554444', 'MASTERCARD', '987'],
    ['2223003122003222', 'MASTERCARD', '987'],
    ['378282246310005', 'AMEX', '9876'],
    ['6011111111111117', 'DISCOVER', '987'],
  ])('%s is a valid %s', (number, brand, cvc) => {
    expect(luhnValid(number)).toBe(true);
    expect(detectBrand(number)).toBe(brand);
    expect(validateCard({ ...GOOD, number, cvc }, NOW)).toEqual({
      ok: true,
      digits: number,
      brand,
      last4: number.slice(-4),
    });
  });
});

describe('normaliseCardNumber', () => {
  it('removes spaces and dashes', () => {
    expect(normaliseCardNumber('4242 4242 4242 4242')).toBe('4242424242424242');
    expect(normaliseCardNumber('4242-4242-4242-4242')).toBe('4242424242424242');
    expect(normaliseCardNumber(' 3782-822463-10005 ')).toBe('378282246310005');
  });

  it.each(['4242 4242 4242 424a', '4242.4242.4242.4242', '４２４２４２４２４２４２４２４２', '', ' - ', '4242\t4242'])(
    'refuses %j',
    (input) => {
      expect(normaliseCardNumber(input)).toBeNull();
    },
  );

  it('refuses input longer than 40 characters, even if it would normalise to digits', () => {
    const padded = '4242 4242 4242 4242'.padEnd(41, ' ');
    expect(padded).toHaveLength(41);
    expect(normaliseCardNumber(padded)).toBeNull();
    expect(normaliseCardNumber('4242 4242 4242 4242'.padEnd(40, ' '))).toBe('4242424242424242');
  });
});

describe('luhnValid', () => {
  it('fails when any single digit changes', () => {
    const number = '4242424242424242';
    for (let i = 0; i < number.length; i++) {
      const d = Number(number[i]);
      const changed = number.slice(0, i) + ((d + 1) % 10) + number.slice(i + 1);
      expect(luhnValid(changed)).toBe(false);
    }
  });

  it('refuses non-digits and the empty string', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4242 4242 4242 4242')).toBe(false);
  });
});

describe('detectBrand', () => {
  it.each<[string, CardBrand | null]>([
    ['4111', 'VISA'],
    ['5100', 'MASTERCARD'],
    ['5599', 'MASTERCARD'],
    ['5000', null],
    ['5600', null],
    ['2221', 'MASTERCARD'],
    ['2720', 'MASTERCARD'],
    ['2220', null],
    ['2721', null],
    ['3400', 'AMEX'],
    ['3700', 'AMEX'],
    ['3500', null],
    ['6011', 'DISCOVER'],
    ['6012', null],
    ['6440', 'DISCOVER'],
    ['6490', 'DISCOVER'],
    ['6430', null],
    ['6500', 'DISCOVER'],
    ['622126', 'DISCOVER'],
    ['622925', 'DISCOVER'],
    ['622125', null],
    ['622926', null],
    ['9999999999999995', null],
    ['', null],
  ])('%s → %s', (prefix, brand) => {
    expect(detectBrand(prefix)).toBe(brand);
  });
});

describe('validateCard: number', () => {
  it('accepts spaces and dashes and returns the bare digits', () => {
    const result = validateCard({ ...GOOD, number: '4242-4242 4242-4242' }, NOW);
    expect(result).toEqual({ ok: true, digits: '4242424242424242', brand: 'VISA', last4: '4242' });
  });

  it('reports a one-digit typo as a Luhn failure', () => {
    const result = validateCard({ ...GOOD, number: '4242424242424243' }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.field).toBe('number');
    expect(result.problems[0]?.message).toMatch(/not valid/);
  });

  it('rejects letters', () => {
    const result = validateCard({ ...GOOD, number: '4242 4242 4242 42AB' }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['number']);
    expect(result.problems[0]?.message).toMatch(/digits only/);
  });

  it.each([
    ['Visa with 15 digits', withCheckDigit('42424242424242')],
    ['Visa with 17 digits', withCheckDigit('4242424242424242')],
    ['Mastercard with 15 digits', withCheckDigit('55555555555544')],
    ['Mastercard with 19 digits', withCheckDigit('555555555555444444')],
    ['Amex with 16 digits', withCheckDigit('378282246310005')],
    ['Discover with 15 digits', withCheckDigit('60111111111111')],
    ['Discover with 20 digits', withCheckDigit('6011111111111111111')],
  ])('rejects a %s (Luhn-valid, wrong length)', (_label, number) => {
    expect(luhnValid(number)).toBe(true);
    const result = validateCard({ ...GOOD, number, cvc: number.startsWith('37') ? '9876' : '987' }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.field).toBe('number');
    expect(result.problems[0]?.message).toMatch(/wrong number of digits/);
  });

  it.each([
    ['Visa 13', withCheckDigit('422222222222'), 'VISA'],
    ['Visa 19', withCheckDigit('424242424242424242'), 'VISA'],
    ['Discover 17', withCheckDigit('6500000000000000'), 'DISCOVER'],
    ['Discover 19', withCheckDigit('622126000000000000'), 'DISCOVER'],
  ])('accepts %s', (_label, number, brand) => {
    expect(validateCard({ ...GOOD, number }, NOW)).toMatchObject({ ok: true, brand });
  });

  it('rejects an unknown brand', () => {
    const number = withCheckDigit('999999999999999');
    const result = validateCard({ ...GOOD, number }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.field).toBe('number');
    expect(result.problems[0]?.message).toMatch(/not supported/);
  });

  it('reports both a wrong length and a Luhn failure', () => {
    const valid = withCheckDigit('42424242424242');
    const number = valid.slice(0, -1) + ((Number(valid.slice(-1)) + 1) % 10);
    expect(luhnValid(number)).toBe(false);
    const result = validateCard({ ...GOOD, number }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/wrong number of digits/),
      expect.stringMatching(/not valid/),
    ]);
  });
});

describe('validateCard: expiry', () => {
  const number = '4242424242424242';

  it('accepts the current month', () => {
    expect(validateCard({ ...GOOD, number, expMonth: 6, expYear: 2026 }, NOW).ok).toBe(true);
  });

  it('is valid through the last millisecond of the expiry month (UTC)', () => {
    const lastMoment = new Date(Date.UTC(2026, 6, 1) - 1); // 30 June 2026 23:59:59.999Z
    expect(validateCard({ ...GOOD, number, expMonth: 6, expYear: 2026 }, lastMoment).ok).toBe(true);
    const nextMonth = new Date(Date.UTC(2026, 6, 1));
    expect(validateCard({ ...GOOD, number, expMonth: 6, expYear: 2026 }, nextMonth).ok).toBe(false);
  });

  it('handles December expiry across the year boundary', () => {
    const newYearsEve = new Date(Date.UTC(2026, 11, 31, 23, 59));
    expect(validateCard({ ...GOOD, number, expMonth: 12, expYear: 2026 }, newYearsEve).ok).toBe(true);
    const newYear = new Date(Date.UTC(2027, 0, 1));
    expect(validateCard({ ...GOOD, number, expMonth: 12, expYear: 2026 }, newYear).ok).toBe(false);
  });

  it('rejects last month as expired, on expMonth', () => {
    const result = validateCard({ ...GOOD, number, expMonth: 5, expYear: 2026 }, NOW);
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'expMonth', message: expect.stringMatching(/expired/) }],
    });
  });

  it('rejects a past year as expired, on expYear', () => {
    const result = validateCard({ ...GOOD, number, expMonth: 12, expYear: 2025 }, NOW);
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'expYear', message: expect.stringMatching(/expired/) }],
    });
  });

  it.each([0, 13, -1, 1.5, Number.NaN])('rejects month %s', (expMonth) => {
    const result = validateCard({ ...GOOD, number, expMonth }, NOW);
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'expMonth', message: expect.stringMatching(/1 to 12/) }],
    });
  });

  it.each([26, 226, 20300, 2030.5, Number.NaN])('rejects year %s as not 4 digits', (expYear) => {
    const result = validateCard({ ...GOOD, number, expYear }, NOW);
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'expYear', message: expect.stringMatching(/4 digits/) }],
    });
  });

  it('allows 20 years ahead but not 21', () => {
    expect(validateCard({ ...GOOD, number, expYear: 2046 }, NOW).ok).toBe(true);
    const result = validateCard({ ...GOOD, number, expYear: 2047 }, NOW);
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'expYear', message: expect.stringMatching(/too far in the future/) }],
    });
  });
});

describe('validateCard: CVC', () => {
  it.each([
    ['4242424242424242', '987', true],
    ['4242424242424242', '9876', false],
    ['4242424242424242', '98', false],
    ['4242424242424242', '98a', false],
    ['4242424242424242', '', false],
    ['5555555555554444', '9876', false],
    ['378282246310005', '9876', true],
    ['378282246310005', '987', false],
    ['6011111111111117', '987', true],
  ])('%s with CVC %j → %s', (number, cvc, ok) => {
    const result = validateCard({ ...GOOD, number, cvc }, NOW);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toEqual(['cvc']);
  });

  it('tells Amex holders to use the 4-digit code', () => {
    const result = validateCard({ ...GOOD, number: '378282246310005', cvc: '987' }, NOW);
    if (result.ok) throw new Error('expected a problem');
    expect(result.problems[0]?.message).toMatch(/4-digit/);
  });
});

describe('validateCard: messages', () => {
  it('reports every problem, in field order', () => {
    const result = validateCard({ number: '4242424242424241', expMonth: 13, expYear: 26, cvc: 'x' }, NOW);
    if (result.ok) throw new Error('expected problems');
    expect(result.problems.map((p) => p.field)).toEqual(['number', 'expMonth', 'expYear', 'cvc']);
  });

  it.each([
    ['4242424242424241', '9876'],
    ['4242 4242 4242 42AB', '98'],
    ['378282246310006', '987'],
    [withCheckDigit('999999999999999'), '98765'],
    [withCheckDigit('42424242424242'), '9x7'],
    ['2223003122003223', '1'],
  ])('never contain the number %s or CVC %s', (number, cvc) => {
    const result = validateCard({ number, expMonth: 1, expYear: 2020, cvc }, NOW);
    if (result.ok) throw new Error('expected problems');
    expect(result.problems.length).toBeGreaterThanOrEqual(3);
    expectNoSecrets(
      result.problems.map((p) => p.message),
      number.replace(/\D/g, ''),
      cvc,
    );
  });

  it('do not depend on the number: the same defect gives the same text', () => {
    const a = validateCard({ ...GOOD, number: '4242424242424241' }, NOW);
    const b = validateCard({ ...GOOD, number: '5555555555554445' }, NOW);
    if (a.ok || b.ok) throw new Error('expected problems');
    expect(a.problems).toEqual(b.problems);
  });
});

describe('maskCardNumber', () => {
  it('shows only the last four digits', () => {
    expect(maskCardNumber('4242')).toBe('•••• 4242');
  });

  it('still masks a full number passed by mistake', () => {
    expect(maskCardNumber('4242424242424242')).toBe('•••• 4242');
  });
});
