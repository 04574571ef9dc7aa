// Card number checks done before anything is sent to a processor: they catch typos early and
// decide which brand rules apply. Pure functions, no I/O. Problem messages never echo the card
// number or CVC (not even a fragment), so they are safe to log and to return to clients.

export type CardBrand = 'VISA' | 'MASTERCARD' | 'AMEX' | 'DISCOVER';

export type CardField = 'number' | 'expMonth' | 'expYear' | 'cvc';

export interface CardProblem {
  field: CardField;
  message: string;
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export type CardValidation = { ok: true; digits: string; brand: CardBrand; last4: string } | { ok: false; problems: CardProblem[] };

/** Longer input is refused before any work: no card number is anywhere near this long. */
const MAX_INPUT_LENGTH = 40;

/** How far ahead an expiry year may be; issuers use far less, so more is a typo. */
const MAX_YEARS_AHEAD = 20;

const BRAND_LENGTHS: Readonly<Record<CardBrand, readonly number[]>> = {
  VISA: [13, 16, 19],
  MASTERCARD: [16],
  AMEX: [15],
  DISCOVER: [16, 17, 18, 19],
};

/** Strips the spaces and dashes people type or paste; null unless only digits are left. */
export function normaliseCardNumber(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const digits = input.replace(/[ -]/g, '');
  return /^\d+$/.test(digits) ? digits : null;
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  // Every second digit from the right (the check digit being the first) is doubled.
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The brand from the number's prefix (IIN range) alone; lengths are checked by validateCard. */
export function detectBrand(digits: string): CardBrand | null {
  if (!/^\d+$/.test(digits)) return null;
  const prefix = (n: number): number => (digits.length >= n ? Number(digits.slice(0, n)) : -1);
  if (digits.startsWith('4')) return 'VISA';
  const p2 = prefix(2);
  const p3 = prefix(3);
  const p4 = prefix(4);
  const p6 = prefix(6);
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return 'MASTERCARD';
  if (p2 === 34 || p2 === 37) return 'AMEX';
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) {
    return 'DISCOVER';
  }
  return null;
}

export function validateCard(input: CardInput, now: Date): CardValidation {
  const problems: CardProblem[] = [];
  const add = (field: CardField, message: string): void => {
    problems.push({ field, message });
  };

  const digits = normaliseCardNumber(input.number);
  let brand: CardBrand | null = null;
  if (digits === null) {
    add('number', 'Enter the card number using digits only (spaces and dashes are fine).');
  } else {
    brand = detectBrand(digits);
    if (brand === null) {
      add('number', 'This card type is not supported. Use a Visa, Mastercard, American Express or Discover card.');
    } else if (!BRAND_LENGTHS[brand].includes(digits.length)) {
      add('number', 'The card number has the wrong number of digits. Check it against your card and enter it again.');
    }
    if (!luhnValid(digits)) {
      add('number', 'The card number is not valid. Check for a mistyped digit and enter it again.');
    }
  }

  const monthOk = Number.isInteger(input.expMonth) && input.expMonth >= 1 && input.expMonth <= 12;
  if (!monthOk) add('expMonth', 'Enter the expiry month as a number from 1 to 12.');

  const thisYear = now.getUTCFullYear();
  let yearOk = false;
  if (!Number.isInteger(input.expYear) || input.expYear < 1000 || input.expYear > 9999) {
    add('expYear', 'Enter the expiry year with 4 digits, as printed on the card (for example 2030).');
  } else if (input.expYear > thisYear + MAX_YEARS_AHEAD) {
    add('expYear', 'The expiry year is too far in the future. Check the year printed on the card.');
  } else {
    yearOk = true;
  }

  // Valid through the last day of its month (UTC): expired from the first instant of the next.
  if (monthOk && yearOk && now.getTime() >= Date.UTC(input.expYear, input.expMonth, 1)) {
    add(input.expYear < thisYear ? 'expYear' : 'expMonth', 'This card has expired. Check the expiry date or use a different card.');
  }

  // Without a known brand the CVC length is unknown; the brand problem is already reported.
  const cvcPattern = brand === 'AMEX' ? /^\d{4}$/ : brand === null ? /^\d{3,4}$/ : /^\d{3}$/;
  if (typeof input.cvc !== 'string' || !cvcPattern.test(input.cvc)) {
    add(
      'cvc',
      brand === 'AMEX'
        ? 'Enter the 4-digit security code printed on the front of the card.'
        : 'Enter the 3-digit security code printed on the back of the card.',
    );
  }

  if (problems.length > 0 || digits === null || brand === null) return { ok: false, problems };
  return { ok: true, digits, brand, last4: digits.slice(-4) };
}

/** For display only; slices again so a full number passed by mistake is still masked. */
export function maskCardNumber(last4: string): string {
  return `•••• ${last4.slice(-4)}`;
}
