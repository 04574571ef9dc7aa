// Proves the bank account checks (src/services/paymentMethods/bankAccounts.ts): ABA routing checksums,
// IBAN shape, per-country length and mod-97, the US (ACH) and non-US (SEPA) rules of
// validateBankAccount, and that no message ever repeats the account number or IBAN.
import { describe, expect, it } from 'vitest';
import {
  abaRoutingValid,
  ibanValid,
  maskAccountNumber,
  normaliseIban,
  validateBankAccount,
} from '../../src/services/paymentMethods/bankAccounts.js';

const DE_IBAN = 'DE89370400440532013000';
const GB_IBAN = 'GB82WEST12345698765432';
const FR_IBAN = 'FR1420041010050500013M02606';

/** Builds an IBAN with correct check digits, computed independently with BigInt. */
function makeIban(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((ch) => (/\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55))).join('');
  const check = 98n - (BigInt(numeric) % 97n);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Every message, asserted free of the secret (any 4 consecutive characters of it). */
function expectNoSecrets(messages: string[], secret: string): void {
  for (const message of messages) {
    for (let i = 0; i + 4 <= secret.length; i++) {
      expect(message.toUpperCase()).not.toContain(secret.slice(i, i + 4).toUpperCase());
    }
  }
}

describe('abaRoutingValid', () => {
  it.each(['011000015', '021000021', '011000028', '121000358'])('%s is valid', (routing) => {
    expect(abaRoutingValid(routing)).toBe(true);
  });

  it.each(['011000016', '021000022', '000000000', '01100001', '0110000150', '01100001a', '011 000 015', ''])('%j is invalid', (routing) => {
    expect(abaRoutingValid(routing)).toBe(false);
  });
});

describe('normaliseIban', () => {
  it('uppercases and removes spaces', () => {
    expect(normaliseIban('de89 3704 0044 0532 0130 00')).toBe(DE_IBAN);
    expect(normaliseIban('  GB82 WEST 1234 5698 7654 32 ')).toBe(GB_IBAN);
  });

  it.each([
    '',
    'DE',
    'DE89',
    '89DE370400440532013000',
    'D389370400440532013000',
    'DEX9370400440532013000',
    'DE89-3704-0044',
    'DE89370400440532013000!',
  ])('refuses %j', (input) => {
    expect(normaliseIban(input)).toBeNull();
  });
});

describe('ibanValid', () => {
  it.each([DE_IBAN, GB_IBAN, FR_IBAN])('%s is valid', (iban) => {
    expect(ibanValid(iban)).toBe(true);
  });

  it.each([DE_IBAN, GB_IBAN, FR_IBAN])('%s with any one character changed is invalid', (iban) => {
    for (let i = 2; i < iban.length; i++) {
      const ch = iban[i] ?? '';
      const replacement = /\d/.test(ch) ? String((Number(ch) + 1) % 10) : ch === 'Z' ? 'A' : String.fromCharCode(ch.charCodeAt(0) + 1);
      expect(ibanValid(iban.slice(0, i) + replacement + iban.slice(i + 1))).toBe(false);
    }
  });

  it('rejects two swapped adjacent digits', () => {
    expect(ibanValid('DE89370400440532013000'.replace('0532', '0523'))).toBe(false);
  });

  it('expects the normalised form', () => {
    expect(ibanValid('de89370400440532013000')).toBe(false);
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(false);
  });

  it.each([
    ['DE', 22],
    ['FR', 27],
    ['GB', 22],
    ['ES', 24],
    ['IT', 27],
    ['NL', 18],
    ['BE', 16],
    ['AT', 20],
    ['CH', 21],
    ['IE', 22],
    ['PT', 25],
    ['SE', 24],
    ['PL', 28],
    ['DK', 18],
    ['FI', 18],
    ['NO', 15],
    ['LU', 20],
  ])('%s IBANs must have %i characters', (country, length) => {
    const bban = (n: number): string => '1234567890'.repeat(4).slice(0, n);
    expect(ibanValid(makeIban(country, bban(length - 4)))).toBe(true);
    // Correct checksums at the wrong length: only the country length rule can refuse these.
    expect(ibanValid(makeIban(country, bban(length - 5)))).toBe(false);
    expect(ibanValid(makeIban(country, bban(length - 3)))).toBe(false);
  });

  it('holds countries without a known length to 15..34 characters', () => {
    const bban = (n: number): string => 'A1B2C3D4E5'.repeat(4).slice(0, n);
    expect(ibanValid(makeIban('XK', bban(16)))).toBe(true);
    expect(ibanValid(makeIban('XK', bban(11)))).toBe(true);
    expect(ibanValid(makeIban('XK', bban(30)))).toBe(true);
    expect(ibanValid(makeIban('XK', bban(10)))).toBe(false);
    expect(ibanValid(makeIban('XK', bban(31)))).toBe(false);
  });

  it('agrees with a BigInt mod-97 on letters-heavy IBANs', () => {
    const iban = makeIban('GB', 'ZZZZ12345698765432');
    expect(ibanValid(iban)).toBe(true);
  });
});

describe('validateBankAccount: US (ACH)', () => {
  const US = { country: 'US', routingNumber: '021000021', accountNumber: '123456789', holderName: 'Ada Lovelace' };

  it('accepts a routing and account number', () => {
    expect(validateBankAccount(US)).toEqual({
      ok: true,
      country: 'US',
      scheme: 'ACH',
      routingNumber: '021000021',
      accountNumber: '123456789',
      last4: '6789',
    });
  });

  it('uppercases the country and strips spaces and dashes from the account number', () => {
    const result = validateBankAccount({ ...US, country: ' us ', accountNumber: '1234-5678 9', iban: '' });
    expect(result).toMatchObject({ ok: true, country: 'US', accountNumber: '123456789', last4: '6789' });
  });

  it('requires the routing number and account number', () => {
    const result = validateBankAccount({ country: 'US', holderName: 'Ada Lovelace' });
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: 'routingNumber', message: expect.stringMatching(/routing number/) },
        { field: 'accountNumber', message: expect.stringMatching(/account number/) },
      ],
    });
  });

  it('rejects a routing number with a bad checksum', () => {
    const result = validateBankAccount({ ...US, routingNumber: '011000016' });
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'routingNumber', message: expect.stringMatching(/not valid/) }],
    });
  });

  it.each(['123', '123456789012345678', '12345678A', '1234.5678'])('rejects account number %j', (accountNumber) => {
    const result = validateBankAccount({ ...US, accountNumber });
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'accountNumber', message: expect.stringMatching(/4 to 17 digits/) }],
    });
  });

  it('accepts 4 and 17 digit account numbers', () => {
    expect(validateBankAccount({ ...US, accountNumber: '1234' }).ok).toBe(true);
    expect(validateBankAccount({ ...US, accountNumber: '12345678901234567' }).ok).toBe(true);
  });

  it('rejects an IBAN on a US account', () => {
    const result = validateBankAccount({ ...US, iban: DE_IBAN });
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'iban', message: expect.stringMatching(/do not use an IBAN/) }],
    });
  });
});

describe('validateBankAccount: outside the US (SEPA)', () => {
  const DE = { country: 'DE', iban: DE_IBAN, holderName: 'Ada Lovelace' };

  it.each([
    ['DE', DE_IBAN],
    ['GB', GB_IBAN],
    ['FR', FR_IBAN],
  ])('accepts a %s IBAN and returns it as the account number', (country, iban) => {
    expect(validateBankAccount({ country, iban, holderName: 'Ada Lovelace' })).toEqual({
      ok: true,
      country,
      scheme: 'SEPA',
      routingNumber: null,
      accountNumber: iban,
      last4: iban.slice(-4),
    });
  });

  it('normalises the IBAN and the country', () => {
    const result = validateBankAccount({ ...DE, country: 'de', iban: 'de89 3704 0044 0532 0130 00' });
    expect(result).toMatchObject({ ok: true, country: 'DE', accountNumber: DE_IBAN, last4: '3000' });
  });

  it('requires an IBAN', () => {
    for (const iban of [undefined, null, '', '   ']) {
      const result = validateBankAccount({ ...DE, iban });
      expect(result).toEqual({ ok: false, problems: [{ field: 'iban', message: expect.stringMatching(/Enter the IBAN/) }] });
    }
  });

  it.each([
    ['a bad shape', 'DE89-3704-0044-0532-0130-00', /right format/],
    ['a wrong length', makeIban('DE', '37040044053201300'), /wrong number of characters/],
    ['a bad checksum', 'DE89370400440532013001', /not valid/],
  ])('rejects an IBAN with %s', (_label, iban, message) => {
    const result = validateBankAccount({ ...DE, iban });
    expect(result).toEqual({ ok: false, problems: [{ field: 'iban', message: expect.stringMatching(message) }] });
  });

  it('rejects an IBAN from another country', () => {
    const result = validateBankAccount({ ...DE, country: 'FR' });
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'iban', message: expect.stringMatching(/different country/) }],
    });
  });

  it('rejects a routing number', () => {
    const result = validateBankAccount({ ...DE, routingNumber: '021000021' });
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'routingNumber', message: expect.stringMatching(/only used for US/) }],
    });
  });

  it('accepts an account number equal to the IBAN, in any spacing or case', () => {
    expect(validateBankAccount({ ...DE, accountNumber: 'de89 3704 0044 0532 0130 00' })).toMatchObject({
      ok: true,
      accountNumber: DE_IBAN,
    });
  });

  it('rejects an account number that differs from the IBAN', () => {
    const result = validateBankAccount({ ...DE, accountNumber: '0532013000' });
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'accountNumber', message: expect.stringMatching(/make it match the IBAN/) }],
    });
  });
});

describe('validateBankAccount: country and holder name', () => {
  it.each(['', 'D', 'DEU', 'D1', '  '])('rejects country %j', (country) => {
    const result = validateBankAccount({ country, iban: DE_IBAN, holderName: 'Ada Lovelace' });
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'country', message: expect.stringMatching(/2-letter code/) }],
    });
  });

  it.each([
    ['', false],
    [' A ', false],
    ['Al', true],
    ['  Ada Lovelace  ', true],
    ['x'.repeat(140), true],
    ['x'.repeat(141), false],
  ])('holder name %j → %s', (holderName, ok) => {
    const result = validateBankAccount({ country: 'DE', iban: DE_IBAN, holderName });
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toEqual(['holderName']);
  });

  it('reports every problem at once', () => {
    const result = validateBankAccount({
      country: 'US',
      routingNumber: '011000016',
      accountNumber: '12',
      iban: GB_IBAN,
      holderName: '',
    });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems.map((p) => p.field)).toEqual(['routingNumber', 'accountNumber', 'iban', 'holderName']);
  });
});

describe('validateBankAccount: messages', () => {
  it.each([
    ['a US account number', { country: 'US', routingNumber: '011000016', accountNumber: '98765432101234567890' }, '98765432101234567890'],
    ['a US account number with letters', { country: 'US', routingNumber: '021000021', accountNumber: '5432-10AB-7788' }, '543210AB7788'],
    ['an IBAN on a US account', { country: 'US', iban: GB_IBAN }, GB_IBAN],
    ['a bad IBAN', { country: 'DE', iban: 'DE89370400440532013001' }, 'DE89370400440532013001'],
    ['a foreign IBAN', { country: 'FR', iban: GB_IBAN }, GB_IBAN],
    ['a mismatched account number', { country: 'DE', iban: DE_IBAN, accountNumber: '5566778899' }, '5566778899'],
  ])('never contain the account number: %s', (_label, input, secret) => {
    const result = validateBankAccount({ holderName: '', ...input });
    if (result.ok) throw new Error('expected problems');
    expectNoSecrets(
      result.problems.map((p) => p.message),
      secret,
    );
  });

  it('do not depend on the account number: the same defect gives the same text', () => {
    const a = validateBankAccount({ country: 'DE', iban: 'DE89370400440532013001', holderName: 'Ada' });
    const b = validateBankAccount({ country: 'DE', iban: 'DE89370400440532013002', holderName: 'Ada' });
    if (a.ok || b.ok) throw new Error('expected problems');
    expect(a.problems).toEqual(b.problems);
  });
});

describe('maskAccountNumber', () => {
  it('shows only the last four characters', () => {
    expect(maskAccountNumber('6789')).toBe('•••• 6789');
  });

  it('still masks a full number passed by mistake', () => {
    expect(maskAccountNumber('123456789')).toBe('•••• 6789');
  });
});
