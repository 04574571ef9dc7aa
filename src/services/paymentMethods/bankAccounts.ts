// Bank account checks done before an account is stored or a payout is attempted: US accounts go
// over ACH (routing + account number), everything else over SEPA (IBAN). Pure functions, no I/O.
// Problem messages never echo the account number or IBAN, so they are safe to log and return.

export type BankScheme = 'ACH' | 'SEPA';

export type BankAccountField = 'country' | 'routingNumber' | 'iban' | 'accountNumber' | 'holderName';

export interface BankAccountProblem {
  field: BankAccountField;
  message: string;
}

export interface BankAccountInput {
  country: string;
  routingNumber?: string | null;
  iban?: string | null;
  accountNumber?: string | null;
  holderName: string;
}

export type BankAccountValidation =
  | {
      ok: true;
      country: string;
      scheme: BankScheme;
      routingNumber: string | null;
      accountNumber: string;
      last4: string;
    }
  | { ok: false; problems: BankAccountProblem[] };

/**
 * IBAN lengths from the SWIFT IBAN registry for the SEPA countries. Countries not listed are
 * held to the registry's overall 15..34 bounds rather than refused, so a new IBAN country works.
 */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};
const IBAN_MIN_LENGTH = 15;
const IBAN_MAX_LENGTH = 34;

/** Caps work on hostile input before any regex or loop runs. */
const MAX_INPUT_LENGTH = 64;

const HOLDER_NAME_MIN = 2;
const HOLDER_NAME_MAX = 140;

export function abaRoutingValid(routing: string): boolean {
  if (typeof routing !== 'string' || !/^\d{9}$/.test(routing) || routing === '000000000') return false;
  const d = Array.from(routing, Number) as [number, number, number, number, number, number, number, number, number];
  const sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
  return sum % 10 === 0;
}

/** Uppercases and drops the spaces IBANs are printed with; null unless it has an IBAN's shape. */
export function normaliseIban(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const iban = input.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban) ? iban : null;
}

type IbanDefect = 'format' | 'length' | 'checksum';

function ibanDefect(iban: string): IbanDefect | null {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban)) return 'format';
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  const lengthOk = expected === undefined ? iban.length >= IBAN_MIN_LENGTH && iban.length <= IBAN_MAX_LENGTH : iban.length === expected;
  if (!lengthOk) return 'length';
  // ISO 13616: move the first four characters to the end, letters become 10..35, and the number
  // must be 1 mod 97. Reduced one character at a time so plain numbers never lose precision.
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    remainder = code <= 57 ? (remainder * 10 + (code - 48)) % 97 : (remainder * 100 + (code - 55)) % 97;
  }
  return remainder === 1 ? null : 'checksum';
}

/** Expects the normalised form (see normaliseIban): uppercase, no spaces. */
export function ibanValid(iban: string): boolean {
  return typeof iban === 'string' && ibanDefect(iban) === null;
}

/** Treats null, undefined and blank alike: forms send '' for an untouched field. */
function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

export function validateBankAccount(input: BankAccountInput): BankAccountValidation {
  const problems: BankAccountProblem[] = [];
  const add = (field: BankAccountField, message: string): void => {
    problems.push({ field, message });
  };

  const country = typeof input.country === 'string' ? input.country.trim().toUpperCase() : '';
  const countryOk = /^[A-Z]{2}$/.test(country);
  if (!countryOk) add('country', 'Choose the country where the bank account is held (a 2-letter code such as US or DE).');

  let scheme: BankScheme | null = null;
  let routingNumber: string | null = null;
  let accountNumber: string | null = null;

  if (countryOk && country === 'US') {
    if (!present(input.routingNumber)) {
      add('routingNumber', 'Enter the 9-digit routing number for US bank accounts.');
    } else {
      const routing = input.routingNumber.length <= MAX_INPUT_LENGTH ? input.routingNumber.replace(/[ -]/g, '') : '';
      if (abaRoutingValid(routing)) routingNumber = routing;
      else add('routingNumber', 'The routing number is not valid. Check the 9-digit number printed on your checks or shown by your bank.');
    }

    if (!present(input.accountNumber)) {
      add('accountNumber', 'Enter the account number for US bank accounts.');
    } else {
      const digits = input.accountNumber.length <= MAX_INPUT_LENGTH ? input.accountNumber.replace(/[ -]/g, '') : '';
      if (/^\d{4,17}$/.test(digits)) accountNumber = digits;
      else add('accountNumber', 'Enter the account number using 4 to 17 digits only (spaces and dashes are fine).');
    }

    if (present(input.iban)) {
      add('iban', 'US bank accounts do not use an IBAN. Leave it empty and enter the routing and account numbers.');
    }
    scheme = 'ACH';
  } else if (countryOk) {
    let iban: string | null = null;
    if (!present(input.iban)) {
      add('iban', 'Enter the IBAN for bank accounts outside the US.');
    } else {
      const normalised = normaliseIban(input.iban);
      const defect = normalised === null ? 'format' : ibanDefect(normalised);
      if (defect === 'format') {
        add(
          'iban',
          'The IBAN is not in the right format. It starts with a 2-letter country code and 2 digits, followed by letters and digits.',
        );
      } else if (defect === 'length') {
        add('iban', 'The IBAN has the wrong number of characters for its country. Check that you copied all of it.');
      } else if (defect === 'checksum') {
        add('iban', 'The IBAN is not valid. Check for a mistyped character and enter it again.');
      } else if (normalised !== null && normalised.slice(0, 2) !== country) {
        add('iban', 'The IBAN belongs to a different country than the one chosen. Check the country or the IBAN.');
      } else {
        iban = normalised;
      }
    }

    if (present(input.routingNumber)) {
      add('routingNumber', 'Routing numbers are only used for US bank accounts. Leave it empty and enter the IBAN.');
    }

    // Only compared against a usable IBAN: a mismatch with a broken one would be noise.
    if (present(input.accountNumber) && iban !== null && normaliseIban(input.accountNumber) !== iban) {
      add('accountNumber', 'Outside the US the account number is the IBAN. Leave the account number empty or make it match the IBAN.');
    }
    accountNumber = iban;
    scheme = 'SEPA';
  }

  const holderName = typeof input.holderName === 'string' ? input.holderName.trim() : '';
  // Counted in code points so names outside the Basic Multilingual Plane are not penalised.
  const holderLength = Array.from(holderName).length;
  if (holderLength < HOLDER_NAME_MIN || holderLength > HOLDER_NAME_MAX) {
    add('holderName', `Enter the account holder's name as the bank knows it (${HOLDER_NAME_MIN} to ${HOLDER_NAME_MAX} characters).`);
  }

  if (problems.length > 0 || scheme === null || accountNumber === null) return { ok: false, problems };
  return { ok: true, country, scheme, routingNumber, accountNumber, last4: accountNumber.slice(-4) };
}

/** For display only; slices again so a full number passed by mistake is still masked. */
export function maskAccountNumber(last4: string): string {
  return `•••• ${last4.slice(-4)}`;
}
