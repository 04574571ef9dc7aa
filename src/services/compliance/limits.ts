// KYC tier limits: read from the limits file (config/kyc-limits.json, or KYC_LIMITS_FILE),
// written to tier_limits at start so the database enforces them where money moves (the posting
// function for transfers, wallet_count_funding for top-ups and withdrawals), and reported to
// users by myLimits. The database is the one place a limit is checked, so parallel requests can
// never together pass it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import type { Currencies } from '../money/currencies.js';

export const KYC_TIERS = ['TIER_0', 'TIER_1', 'TIER_2'] as const;
export type KycTier = (typeof KYC_TIERS)[number];

export const LIMIT_KINDS = ['MAX_BALANCE', 'PER_TRANSACTION', 'DAILY_SEND', 'MONTHLY_SEND', 'DAILY_ADD_FUNDS', 'DAILY_WITHDRAW'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

const amount = z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'a decimal amount like "2500"');
const tierSchema = z.object({
  maxBalance: amount,
  perTransaction: amount,
  dailySend: amount,
  monthlySend: amount,
  dailyAddFunds: amount,
  dailyWithdraw: amount,
});
const fileSchema = z.object({
  base: z.string().regex(/^[A-Z]{3}$/),
  factors: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()),
  tiers: z.object({ TIER_0: tierSchema, TIER_1: tierSchema, TIER_2: tierSchema }),
});

export interface TierLimitRow {
  tier: KycTier;
  currency: string;
  maxBalance: bigint;
  perTransaction: bigint;
  dailySend: bigint;
  monthlySend: bigint;
  dailyAddFunds: bigint;
  dailyWithdraw: bigint;
}

/** An amount in major units of the limits file's base currency, in minor units of `currency`. */
export type BaseAmountScaler = (baseMajor: number | string, currency: string) => bigint;

/**
 * Reads and checks a limits file; the error names the file and what is wrong with it. Returns the
 * tier_limits rows and the file's conversion from the base currency (the risk rules' amounts use
 * it too, so one table says what an amount is worth in each currency).
 */
export function loadLimitsFile(path: string, currencies: Currencies): { rows: TierLimitRow[]; fromBase: BaseAmountScaler } {
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
    throw new Error(`The KYC limits file ${path} is not valid (${why}). Fix it or point KYC_LIMITS_FILE at a valid one.`);
  }
  for (const currency of Object.keys(parsed.factors)) {
    if (!currencies.get(currency)) throw new Error(`The KYC limits file ${path} names ${currency}, which is not a supported currency.`);
  }
  // base × factor in the currency's minor units, rounded down (a limit never grows by rounding;
  // the epsilon keeps 0.3 × 50 × 1000 = 14999.999… from losing a unit). Limits stay far below 2^53.
  // A currency without a factor gets 0: nothing is allowed in it.
  const fromBase: BaseAmountScaler = (major, currency) => {
    const factor = parsed.factors[currency] ?? 0;
    const exponent = currencies.get(currency)?.exponent ?? 2;
    return BigInt(Math.floor(Number(major) * factor * 10 ** exponent + 1e-6));
  };
  const rows: TierLimitRow[] = [];
  for (const currency of Object.keys(parsed.factors)) {
    for (const tier of KYC_TIERS) {
      const t = parsed.tiers[tier];
      rows.push({
        tier,
        currency,
        maxBalance: fromBase(t.maxBalance, currency),
        perTransaction: fromBase(t.perTransaction, currency),
        dailySend: fromBase(t.dailySend, currency),
        monthlySend: fromBase(t.monthlySend, currency),
        dailyAddFunds: fromBase(t.dailyAddFunds, currency),
        dailyWithdraw: fromBase(t.dailyWithdraw, currency),
      });
    }
  }
  return { rows, fromBase };
}

/** Makes tier_limits exactly `rows` (every process writes the same from the same file). */
export async function syncTierLimits(prisma: PrismaClient, rows: TierLimitRow[]): Promise<void> {
  await prisma.$transaction([prisma.tierLimit.deleteMany({}), prisma.tierLimit.createMany({ data: rows })]);
}

export interface LimitUsage {
  kind: LimitKind;
  currency: string;
  limit: bigint;
  used: bigint;
  remaining: bigint;
  /** When `used` goes back to zero; null for limits that do not reset. */
  resetsAt: Date | null;
}

export interface LimitsService {
  /** The user's tier and, for each of their wallets, every limit with what is used and left. */
  forUser(userId: string): Promise<{ tier: KycTier; limits: LimitUsage[] }>;
}

export function createLimitsService(deps: { prisma: PrismaClient }): LimitsService {
  const { prisma } = deps;
  return {
    async forUser(userId) {
      const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { kycTier: true } });
      const wallets = await prisma.wallet.findMany({ where: { userId, kind: 'USER' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      const rows = await prisma.tierLimit.findMany({ where: { tier: user.kycTier, currency: { in: wallets.map((w) => w.currency) } } });
      const now = new Date();
      const day = now.toISOString().slice(0, 10);
      const month = `${day.slice(0, 7)}-01`;
      const tomorrow = new Date(`${day}T00:00:00Z`);
      tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
      const nextMonth = new Date(`${month}T00:00:00Z`);
      nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1);
      const limits: LimitUsage[] = [];
      for (const w of wallets) {
        const row = rows.find((r) => r.currency === w.currency);
        if (!row) continue;
        // Counters from an earlier day or month count as zero (the database rolls them over on use).
        const today = w.usageDay?.toISOString().slice(0, 10) === day;
        const thisMonth = w.usageMonth?.toISOString().slice(0, 10) === month;
        const entry = (kind: LimitKind, limit: bigint, used: bigint, resetsAt: Date | null): LimitUsage => ({
          kind,
          currency: w.currency,
          limit,
          used,
          remaining: limit > used ? limit - used : 0n,
          resetsAt,
        });
        limits.push(
          entry('MAX_BALANCE', row.maxBalance, w.postedBalance, null),
          entry('PER_TRANSACTION', row.perTransaction, 0n, null),
          entry('DAILY_SEND', row.dailySend, today ? w.sentDay : 0n, tomorrow),
          entry('MONTHLY_SEND', row.monthlySend, thisMonth ? w.sentMonth : 0n, nextMonth),
          entry('DAILY_ADD_FUNDS', row.dailyAddFunds, today ? w.addedDay : 0n, tomorrow),
          entry('DAILY_WITHDRAW', row.dailyWithdraw, today ? w.withdrawnDay : 0n, tomorrow),
        );
      }
      return { tier: user.kycTier, limits };
    },
  };
}
