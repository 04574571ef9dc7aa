// The one money module: amounts are bigint minor units; decimal strings exist only at the edges.
// The currency codes are those Node's ICU data knows; a currency's exponent (USD 2, JPY 0, KWD 3)
// is its ISO 4217 minor unit, from the table below.

export interface Money {
  amount: bigint;
  currency: string;
}

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

/**
 * ISO 4217 minor units that are not 2. Not taken from Intl: ICU reports CLDR's display digits,
 * which differ from ISO 4217 for 17 currencies (HUF, IDR, COP, PKR, IQD …: 0 instead of 2 or 3)
 * and may change with a Node upgrade, while stored minor units must never change meaning.
 */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN.has(code);
}

/** Minor-unit exponent of an ISO 4217 currency. Throws for an unknown code (a programming error). */
export function currencyExponent(currency: string): number {
  if (!isCurrencyCode(currency)) throw new RangeError(`Unknown currency ${currency}`);
  return MINOR_UNITS[currency] ?? 2;
}

/** Matches a plain decimal: optional minus, digits, optional fraction. No exponents, no spaces. */
const DECIMAL = /^(-)?(\d{1,30})(?:\.(\d{1,30}))?$/;

export type AmountProblem = 'FORMAT' | 'PRECISION' | 'UNKNOWN_CURRENCY';

/** Parses a decimal string ("12.50") into minor units for the currency. */
export function parseAmount(
  text: string,
  currency: string,
): { ok: true; amount: bigint } | { ok: false; problem: AmountProblem; message: string } {
  if (!isCurrencyCode(currency)) {
    return { ok: false, problem: 'UNKNOWN_CURRENCY', message: 'not an ISO 4217 currency code we support' };
  }
  const m = DECIMAL.exec(text);
  if (!m) return { ok: false, problem: 'FORMAT', message: 'not a decimal amount like "12.50"' };
  const [, minus, whole, fraction = ''] = m;
  const exp = currencyExponent(currency);
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exp) {
    return {
      ok: false,
      problem: 'PRECISION',
      message: `${currency} allows ${exp} decimal place${exp === 1 ? '' : 's'}`,
    };
  }
  const minor = BigInt(whole! + significant.padEnd(exp, '0'));
  return { ok: true, amount: minus ? -minor : minor };
}

/** Formats minor units as a decimal string with exactly the currency's decimals ("12.50"). */
export function formatAmount(amount: bigint, currency: string): string {
  const exp = currencyExponent(currency);
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp);
  const fraction = exp ? `.${digits.slice(digits.length - exp)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
