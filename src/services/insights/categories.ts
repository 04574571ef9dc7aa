// Spending categories: a fixed list a wallet's money is sorted into for insights. A merchant's
// comes from its ISO 18245 merchant category code (MCC), by the ranges and codes below, which
// follow the card schemes' published MCC groups (airlines, car rental and lodging are travel,
// 4800–4999 utilities, …) with the codes people think of as their own category (groceries,
// restaurants, fuel, pharmacies) picked out. Money that is not a merchant's has a category of its
// own: P2P (other users), CARDS_AND_BANKS (top-ups, withdrawals and their refunds or reversals),
// FEES, and ADJUSTMENTS (the platform's corrections, promotions, advances and repayments).

export const MERCHANT_CATEGORIES = [
  'GROCERIES',
  'DINING',
  'TRAVEL',
  'TRANSPORT',
  'SHOPPING',
  'ENTERTAINMENT',
  'UTILITIES',
  'HEALTH',
  'EDUCATION',
  'FINANCIAL',
  'SERVICES',
  'GOVERNMENT',
  'OTHER',
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

export const SPENDING_CATEGORIES = [...MERCHANT_CATEGORIES, 'P2P', 'CARDS_AND_BANKS', 'FEES', 'ADJUSTMENTS'] as const;
export type SpendingCategory = (typeof SPENDING_CATEGORIES)[number];

/** Single codes that leave their range's group. */
const CODES: Readonly<Record<number, MerchantCategory>> = {
  // Food stores: groceries and supermarkets, freezer and meat, candy, dairy, bakeries, misc. food.
  5411: 'GROCERIES',
  5422: 'GROCERIES',
  5441: 'GROCERIES',
  5451: 'GROCERIES',
  5462: 'GROCERIES',
  5499: 'GROCERIES',
  // Eating places, bars, fast food, caterers.
  5811: 'DINING',
  5812: 'DINING',
  5813: 'DINING',
  5814: 'DINING',
  // Fuel, parking, tolls, car washes: getting about.
  5541: 'TRANSPORT',
  5542: 'TRANSPORT',
  5983: 'TRANSPORT',
  7523: 'TRANSPORT',
  7542: 'TRANSPORT',
  // Airlines, airports and travel agencies within the transport range; timeshares and campgrounds.
  4511: 'TRAVEL',
  4582: 'TRAVEL',
  4722: 'TRAVEL',
  4723: 'TRAVEL',
  7011: 'TRAVEL',
  7012: 'TRAVEL',
  7033: 'TRAVEL',
  // Drug stores and pharmacies; medical supplies; opticians.
  5122: 'HEALTH',
  5912: 'HEALTH',
  5975: 'HEALTH',
  5976: 'HEALTH',
  8043: 'HEALTH',
  // Book and record stores, digital goods (games, media), sports and recreation.
  5815: 'ENTERTAINMENT',
  5816: 'ENTERTAINMENT',
  5817: 'ENTERTAINMENT',
  5818: 'ENTERTAINMENT',
  // Cable, satellite and telecom services.
  4899: 'UTILITIES',
};

/** [first, last, category] in code order; the first range containing the code wins. */
const RANGES: readonly (readonly [number, number, MerchantCategory])[] = [
  [1, 1499, 'SERVICES'], // agricultural services
  [1500, 2999, 'SERVICES'], // contracted services
  [3000, 3999, 'TRAVEL'], // airlines, car rental, lodging
  [4000, 4799, 'TRANSPORT'], // transportation
  [4800, 4999, 'UTILITIES'], // utilities, telecommunications
  [5000, 5599, 'SHOPPING'], // retail outlets
  [5600, 5699, 'SHOPPING'], // clothing stores
  [5700, 5999, 'SHOPPING'], // miscellaneous stores
  [6000, 6999, 'FINANCIAL'], // financial institutions, insurance
  [7000, 7299, 'SERVICES'], // lodging and personal services
  [7300, 7799, 'SERVICES'], // business services, repairs
  [7800, 7999, 'ENTERTAINMENT'], // amusement and entertainment
  [8000, 8099, 'HEALTH'], // medical services
  [8200, 8299, 'EDUCATION'], // schools
  [8100, 8999, 'SERVICES'], // professional services, membership organisations
  [9000, 9999, 'GOVERNMENT'], // government services
];

/** True for a four-digit code ("5812"). Whether a scheme assigned it is not checked. */
export const isMcc = (text: string): boolean => /^[0-9]{4}$/.test(text);

/** The spending category of a merchant with this MCC; OTHER for 0000 and codes outside every range. */
export function categoryOfMcc(mcc: string): MerchantCategory {
  const code = Number(mcc);
  return CODES[code] ?? RANGES.find(([first, last]) => code >= first && code <= last)?.[2] ?? 'OTHER';
}
