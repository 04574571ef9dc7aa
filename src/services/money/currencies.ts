// The currencies this deployment supports (the `currencies` table) and their transfer maximums.
// Loaded once at start: adding a currency is a migration, so a restart picks it up.
import type { PrismaClient } from '../../db/database.js';
import { parseAmount } from './money.js';

export interface CurrencyInfo {
  code: string;
  exponent: number;
  name: string;
  /** Largest single transfer, minor units. */
  maxTransfer: bigint;
}

export interface Currencies {
  get(code: string): CurrencyInfo | undefined;
  list(): CurrencyInfo[];
}

export async function loadCurrencies(prisma: PrismaClient, limits: { defaultMax: string; overrides?: string }): Promise<Currencies> {
  const rows = await prisma.currency.findMany({ orderBy: { code: 'asc' } });
  const overrides = new Map(
    (limits.overrides ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split(':') as [string, string]),
  );
  const byCode = new Map<string, CurrencyInfo>();
  for (const row of rows) {
    const max = overrides.get(row.code) ?? limits.defaultMax;
    // The table's exponent is authoritative for stored amounts; it must agree with ISO 4217.
    const parsed = parseAmount(max, row.code);
    if (!parsed.ok) throw new Error(`Maximum transfer for ${row.code} (${max}): ${parsed.message}`);
    byCode.set(row.code, { code: row.code, exponent: row.exponent, name: row.name, maxTransfer: parsed.amount });
  }
  for (const code of overrides.keys()) {
    if (!byCode.has(code)) throw new Error(`MAX_TRANSFER_AMOUNTS names ${code}, which is not a supported currency.`);
  }
  return { get: (code) => byCode.get(code), list: () => [...byCode.values()] };
}
