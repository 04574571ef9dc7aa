// Money in the app: amounts stay the decimal strings the API speaks ("12.50"), never floats.
// A currency's exponent (how many decimals it allows) is read from the API when a wallet is known
// (every Money amount the server sends has exactly its currency's decimals), with the server's
// table of supported currencies (prisma/migrations/…_ledger: USD 2, JPY 0, KWD 3 …) as the fallback.

/** The server's currencies and their minor-unit exponents (the `currencies` table). */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  AUD: 2,
  CAD: 2,
  CHF: 2,
  EUR: 2,
  GBP: 2,
  INR: 2,
  JPY: 0,
  KWD: 3,
  SGD: 2,
  USD: 2,
};

export interface MoneyValue {
  amount: string;
  currency: string;
}

/** The exponent of `currency`, from an amount the server sent in it when there is one. */
export function exponentOf(currency: string, sample?: string): number {
  if (sample !== undefined && /^-?\d+(\.\d+)?$/.test(sample)) return sample.split('.')[1]?.length ?? 0;
  return CURRENCY_EXPONENTS[currency] ?? 2;
}

export type AmountCheck = { ok: true; amount: string } | { ok: false; message: string };

/**
 * Checks what a person typed as an amount in `currency`: digits with at most `exponent` decimals,
 * more than zero. Answers the amount as the API wants it (spaces and a leading "+" dropped,
 * "5." read as "5").
 */
export function checkAmount(input: string, currency: string, exponent = exponentOf(currency)): AmountCheck {
  const text = input.trim().replace(/^\+/, '').replace(/\.$/, '');
  if (text === '') return { ok: false, message: 'Enter an amount.' };
  if (text.includes(',')) return { ok: false, message: 'Use a dot for decimals and no thousands separators, e.g. 1250.50.' };
  if (!/^\d*(\.\d*)?$/.test(text) || text === '.') return { ok: false, message: 'Enter the amount in digits, e.g. 12.50.' };
  const [whole = '', fraction = ''] = text.split('.');
  if (fraction.length > exponent) {
    return {
      ok: false,
      message:
        exponent === 0
          ? `${currency} has no decimals: enter a whole amount.`
          : `${currency} allows at most ${exponent} decimal${exponent === 1 ? '' : 's'}.`,
    };
  }
  if (!/[1-9]/.test(whole + fraction)) return { ok: false, message: 'Enter an amount above zero.' };
  const normalised = `${whole.replace(/^0+(?=\d)/, '') || '0'}${fraction ? `.${fraction}` : ''}`;
  return { ok: true, amount: normalised };
}

const formats = new Map<string, Intl.NumberFormat>();

/** "$12.50", "¥1,200", "KWD 1.250": the exact decimal string, formatted for the reader's locale. */
export function formatMoney(money: MoneyValue): string {
  const exponent = exponentOf(money.currency, money.amount);
  const key = `${money.currency}:${exponent}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: money.currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formats.set(key, format);
  }
  // A numeric string is formatted exactly (Intl.NumberFormat v3), with no float in between.
  return format.format(money.amount as `${number}`);
}

/** "4.50 USD": the amount as the API sends it with its currency code, as receipts and the pay page show it. */
export const moneyWithCode = (money: MoneyValue): string => `${money.amount} ${money.currency}`;

/** An amount as checkAmount answers it ("25", "2.5") with all its currency's decimals ("25.00"), for showing. */
export function withDecimals(money: MoneyValue, exponent = exponentOf(money.currency)): MoneyValue {
  const [whole = '0', fraction = ''] = money.amount.split('.');
  return { amount: exponent ? `${whole}.${fraction.padEnd(exponent, '0')}` : whole, currency: money.currency };
}
