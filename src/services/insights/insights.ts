// Spending insights: where a wallet's money came from and went in a month of the holder's time
// zone, by category (categories.ts), by counterparty, its largest transactions, and how the month
// compares with the one before and with the average of the three before.
//
// Computed from the ledger (read only), never on the transfer path: a month's figures are one
// aggregate query over the wallet's entries of that month, found through the (wallet_id,
// created_at) index, so a query costs in proportion to the month's entries and not to the wallet's
// history. A month that has ended (and STATEMENT_DELAY_MINUTES more, so nothing still in flight can
// land in it) cannot change: its figures are computed once and kept in wallet_month_insights
// (append-only), so a request reads the three months it compares with instead of computing them,
// and only the month in progress is computed each time.
import type { Sql } from '../../db/sql.js';
import { big } from '../../db/sql.js';
import type { Outcome } from '../errors.js';
import { counterpartyName } from '../history/history.js';
import { compareMonths, formatMonth, monthBounds, monthOf, parseMonth, previousMonth, type LocalMonth } from '../time/timeZones.js';
import { SPENDING_CATEGORIES, type SpendingCategory } from './categories.js';

export interface CategoryFigures {
  category: SpendingCategory;
  in: bigint;
  out: bigint;
  transactions: number;
}

export interface CounterpartyFigures {
  kind: 'USER' | 'SYSTEM' | 'MERCHANT';
  displayName: string;
  category: SpendingCategory;
  in: bigint;
  out: bigint;
  transactions: number;
}

export interface LargeTransaction {
  transactionId: string;
  /** Signed: negative left the wallet. */
  amount: bigint;
  createdAt: Date;
}

export interface MonthFigures {
  month: string;
  totalIn: bigint;
  totalOut: bigint;
  /** Every category with money in the month, largest outflow first. */
  categories: CategoryFigures[];
  /** The five counterparties with the most money both ways. */
  counterparties: CounterpartyFigures[];
  /** The five largest transactions by amount, either way. */
  largest: LargeTransaction[];
}

/** A category this month, with what it was the month before and on average over the three before. */
export interface CategoryInsight extends CategoryFigures {
  previousIn: bigint;
  previousOut: bigint;
  averageIn: bigint;
  averageOut: bigint;
}

export interface Insights {
  walletId: string;
  currency: string;
  timeZone: string;
  month: string;
  startsAt: Date;
  endsAt: Date;
  /** The month has ended: its figures are final. */
  complete: boolean;
  totalIn: bigint;
  totalOut: bigint;
  previous: { month: string; totalIn: bigint; totalOut: bigint };
  /** Average of the three months before this one. */
  average: { totalIn: bigint; totalOut: bigint };
  /** Every category with money in this month or the three before, largest outflow this month first. */
  categories: CategoryInsight[];
  counterparties: CounterpartyFigures[];
  largest: LargeTransaction[];
}

/** This month's categories beside the month before and the average of the three before. */
export function compareCategories(current: MonthFigures, before: MonthFigures[]): CategoryInsight[] {
  const seen = new Set<SpendingCategory>([...current.categories, ...before.flatMap((m) => m.categories)].map((c) => c.category));
  const of = (m: MonthFigures, category: SpendingCategory) => m.categories.find((c) => c.category === category);
  return [...seen]
    .map((category) => {
      const now = of(current, category);
      const previous = before[0] ? of(before[0], category) : undefined;
      return {
        category,
        in: now?.in ?? 0n,
        out: now?.out ?? 0n,
        transactions: now?.transactions ?? 0,
        previousIn: previous?.in ?? 0n,
        previousOut: previous?.out ?? 0n,
        averageIn: averageAmount(before.map((m) => of(m, category)?.in ?? 0n)),
        averageOut: averageAmount(before.map((m) => of(m, category)?.out ?? 0n)),
      };
    })
    .sort((a, b) =>
      b.out > a.out ? 1 : b.out < a.out ? -1 : SPENDING_CATEGORIES.indexOf(a.category) - SPENDING_CATEGORIES.indexOf(b.category),
    );
}

export interface InsightsService {
  /** The insights of `month` ("2026-11") for a wallet the caller has checked the viewer may see. */
  forMonth(
    wallet: { id: string; userId: string | null; currency: string; createdAt: Date },
    month: string,
    now?: Date,
  ): Promise<Outcome<Insights>>;
}

/** Average of amounts in minor units, rounded half away from zero (as fees are rounded). */
export function averageAmount(amounts: bigint[]): bigint {
  if (amounts.length === 0) return 0n;
  const n = BigInt(amounts.length);
  const sum = amounts.reduce((a, b) => a + b, 0n);
  const sign = sum < 0n ? -1n : 1n;
  const abs = sum * sign;
  return sign * ((abs * 2n + n) / (2n * n));
}

interface DetailsJson {
  categories: { category: SpendingCategory; in: string; out: string; transactions: number }[];
  /** By wallet id, never by name: kept months must not hold people's names (erasure, renames). */
  counterparties: {
    kind: CounterpartyFigures['kind'];
    wallet: string;
    category: SpendingCategory;
    in: string;
    out: string;
    transactions: number;
  }[];
  largest: { transactionId: string; amount: string; createdAt: string }[];
}

// One pass over the month's entries: the wallet's side of each transaction, its counterparty's
// wallet (and user or merchant), and the category that makes. Sums are sent as text: JSON numbers
// would lose precision beyond 2^53.
const MONTH_SQL = `
  WITH lines AS (
    SELECT e.amount, e.transaction_id, e.created_at, cw.id AS cp_wallet, cw.kind::text AS cp_kind,
           CASE WHEN cw.kind = 'MERCHANT' THEN coalesce(cm.spending_category, 'OTHER')
                WHEN t.type = 'FEE' OR cw.system_code = 'FEES' THEN 'FEES'
                WHEN cw.kind = 'USER' THEN 'P2P'
                WHEN cw.system_code IN ('SETTLEMENT_CARD', 'SETTLEMENT_BANK') THEN 'CARDS_AND_BANKS'
                ELSE 'ADJUSTMENTS' END AS category
    FROM ledger_entries e
    JOIN ledger_transactions t ON t.id = e.transaction_id
    JOIN wallets cw ON cw.id = CASE WHEN e.amount < 0 THEN t.to_wallet_id ELSE t.from_wallet_id END
    LEFT JOIN merchants cm ON cm.id = cw.merchant_id
    WHERE e.wallet_id = $1::uuid AND e.created_at >= $2 AND e.created_at < $3
  )
  SELECT
    (SELECT coalesce(sum(amount) FILTER (WHERE amount > 0), 0)::text FROM lines) AS total_in,
    (SELECT coalesce(-sum(amount) FILTER (WHERE amount < 0), 0)::text FROM lines) AS total_out,
    json_build_object(
      'categories', (SELECT coalesce(json_agg(c ORDER BY c.out_sort DESC, c.category), '[]') FROM (
        SELECT category, coalesce(sum(amount) FILTER (WHERE amount > 0), 0)::text AS in,
               coalesce(-sum(amount) FILTER (WHERE amount < 0), 0)::text AS out,
               coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS out_sort, count(*)::int AS transactions
        FROM lines GROUP BY category) c),
      'counterparties', (SELECT coalesce(json_agg(p ORDER BY p.volume DESC, p.wallet), '[]') FROM (
        SELECT cp_kind AS kind, cp_wallet::text AS wallet, min(category) AS category,
               coalesce(sum(amount) FILTER (WHERE amount > 0), 0)::text AS in,
               coalesce(-sum(amount) FILTER (WHERE amount < 0), 0)::text AS out,
               sum(abs(amount)) AS volume, count(*)::int AS transactions
        FROM lines GROUP BY cp_wallet, cp_kind ORDER BY sum(abs(amount)) DESC, cp_wallet LIMIT 5) p),
      'largest', (SELECT coalesce(json_agg(l ORDER BY l.size DESC, l."createdAt" DESC), '[]') FROM (
        SELECT transaction_id::text AS "transactionId", amount::text AS amount, created_at AS "createdAt", abs(amount) AS size
        FROM lines ORDER BY abs(amount) DESC, created_at DESC LIMIT 5) l)
    ) AS details`;

/** The display names of counterparties' wallets as they are now (a user's name, a merchant's, a system wallet's purpose). */
async function namesOf(sql: Sql, walletIds: string[]): Promise<Map<string, string>> {
  if (walletIds.length === 0) return new Map();
  const rows = await sql.query<{ id: string; kind: 'USER' | 'SYSTEM' | 'MERCHANT'; system_code: string | null; name: string | null }>(
    `SELECT w.id::text, w.kind::text AS kind, w.system_code, coalesce(u.display_name, m.name) AS name
     FROM wallets w LEFT JOIN users u ON u.id = w.user_id LEFT JOIN merchants m ON m.id = w.merchant_id
     WHERE w.id = ANY($1::uuid[])`,
    [walletIds],
    'insights_counterparty_names',
  );
  return new Map(rows.map((r) => [r.id, counterpartyName(r.kind, r.kind === 'SYSTEM' ? r.system_code : r.name)]));
}

function figuresOf(month: string, totalIn: bigint, totalOut: bigint, details: DetailsJson, names: Map<string, string>): MonthFigures {
  return {
    month,
    totalIn,
    totalOut,
    categories: details.categories
      .filter((c) => (SPENDING_CATEGORIES as readonly string[]).includes(c.category))
      .map((c) => ({ category: c.category, in: big(c.in), out: big(c.out), transactions: c.transactions })),
    counterparties: details.counterparties.map((p) => ({
      kind: p.kind,
      displayName: names.get(p.wallet) ?? 'Unknown',
      category: p.category,
      in: big(p.in),
      out: big(p.out),
      transactions: p.transactions,
    })),
    largest: details.largest.map((l) => ({ transactionId: l.transactionId, amount: big(l.amount), createdAt: new Date(l.createdAt) })),
  };
}

const emptyMonth = (month: string): MonthFigures => ({ month, totalIn: 0n, totalOut: 0n, categories: [], counterparties: [], largest: [] });

export function createInsightsService(deps: {
  sql: Sql;
  /** A month is final this long after it ends (STATEMENT_DELAY_MINUTES): entries still in flight land first. */
  delayMinutes: number;
}): InsightsService {
  const { sql } = deps;

  async function compute(walletId: string, month: LocalMonth, timeZone: string) {
    const { startsAt, endsAt } = monthBounds(month, timeZone);
    const [row] = await sql.query<{ total_in: string; total_out: string; details: DetailsJson }>(
      MONTH_SQL,
      [walletId, startsAt, endsAt],
      'insights_month',
    );
    return { totalIn: big(row!.total_in), totalOut: big(row!.total_out), details: row!.details };
  }

  return {
    async forMonth(wallet, monthText, now = new Date()) {
      const [zone] = await sql.query<{ time_zone: string }>(
        'SELECT time_zone FROM users WHERE id = $1::uuid',
        [wallet.userId],
        'user_time_zone',
      );
      const timeZone = zone?.time_zone ?? 'UTC';
      const month = parseMonth(monthText);
      if (!month)
        return { ok: false, errors: [{ field: ['month'], code: 'INVALID_PERIOD', message: 'month must be "YYYY-MM", e.g. "2026-11".' }] };
      if (compareMonths(month, monthOf(now, timeZone)) > 0) {
        return { ok: false, errors: [{ field: ['month'], code: 'INVALID_PERIOD', message: 'month is in the future.' }] };
      }
      const finalBefore = new Date(now.getTime() - deps.delayMinutes * 60_000);
      const months = [month];
      for (let i = 0; i < 3; i++) months.push(previousMonth(months.at(-1)!));
      const kept = await sql.query<{ month: string; total_in: string; total_out: string; details: DetailsJson }>(
        `SELECT to_char(month, 'YYYY-MM') AS month, total_in, total_out, details FROM wallet_month_insights
         WHERE wallet_id = $1::uuid AND time_zone = $2 AND month = ANY($3::date[])`,
        [wallet.id, timeZone, months.map((m) => `${formatMonth(m)}-01`)],
        'insights_kept',
      );
      const keptByMonth = new Map(kept.map((k) => [k.month, k]));
      type Raw = { month: string; totalIn: bigint; totalOut: bigint; details: DetailsJson | null };
      const raw = await Promise.all(
        months.map(async (m): Promise<Raw> => {
          const text = formatMonth(m);
          const stored = keptByMonth.get(text);
          if (stored) return { month: text, totalIn: big(stored.total_in), totalOut: big(stored.total_out), details: stored.details };
          const { endsAt } = monthBounds(m, timeZone);
          // Before the wallet existed there is nothing to read (or keep).
          if (endsAt <= wallet.createdAt) return { month: text, totalIn: 0n, totalOut: 0n, details: null };
          const computed = await compute(wallet.id, m, timeZone);
          if (endsAt <= finalBefore) {
            await sql.query(
              `INSERT INTO wallet_month_insights (wallet_id, month, time_zone, total_in, total_out, details)
               VALUES ($1::uuid, $2::date, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING`,
              [wallet.id, `${text}-01`, timeZone, computed.totalIn, computed.totalOut, JSON.stringify(computed.details)],
              'insights_keep',
            );
          }
          return { month: text, ...computed };
        }),
      );
      // Only this month's counterparties are shown: their names are read as they are now.
      const names = await namesOf(sql, raw[0]!.details?.counterparties.map((p) => p.wallet) ?? []);
      const figures = raw.map((r, i) =>
        r.details ? figuresOf(r.month, r.totalIn, r.totalOut, r.details, i === 0 ? names : new Map()) : emptyMonth(r.month),
      );
      const [current, ...before] = figures as [MonthFigures, ...MonthFigures[]];
      const { startsAt, endsAt } = monthBounds(month, timeZone);
      return {
        ok: true,
        value: {
          walletId: wallet.id,
          currency: wallet.currency,
          timeZone,
          month: current.month,
          startsAt,
          endsAt,
          complete: endsAt <= finalBefore,
          totalIn: current.totalIn,
          totalOut: current.totalOut,
          previous: { month: before[0]!.month, totalIn: before[0]!.totalIn, totalOut: before[0]!.totalOut },
          average: { totalIn: averageAmount(before.map((m) => m.totalIn)), totalOut: averageAmount(before.map((m) => m.totalOut)) },
          categories: compareCategories(current, before),
          counterparties: current.counterparties,
          largest: current.largest,
        },
      };
    },
  };
}
