// The AML monitor: scans recent committed activity (the ledger and funding operations) for
// money-laundering patterns and opens cases for the compliance team, with the transactions
// involved. Runs on AML_SCHEDULE; each pattern opens at most one open case per user (a later run
// adds newly involved transactions to it), so a pattern that persists is one case, not many.
//
//   STRUCTURING   several deposits just under the reporting threshold within a window
//   RAPID_IN_OUT  funds added and mostly withdrawn again within hours
//   FAN_IN        many distinct senders paying one wallet within a window
//   FAN_OUT       one wallet paying many distinct recipients within a window
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';

export interface AmlThresholds {
  /** Major units, applied in each currency's own units. */
  reportingThreshold: number;
  structuringCount: number;
  structuringWindowHours: number;
  rapidMin: number;
  rapidWindowHours: number;
  fanCount: number;
  fanWindowHours: number;
}

export type PatternKind = 'STRUCTURING' | 'RAPID_IN_OUT' | 'FAN_IN' | 'FAN_OUT';

interface Finding {
  userId: string;
  kind: PatternKind;
  /** The pattern's window: a case decided within it is not reopened for the same activity. */
  windowHours: number;
  transactionIds: string[];
  details: Record<string, unknown>;
}

export interface AmlMonitor {
  /** One scan; returns the cases it opened (a pattern already under an open case adds to it). */
  run(): Promise<{ opened: number; findings: number }>;
}

export function createAmlMonitor(deps: { prisma: PrismaClient; thresholds: AmlThresholds; log: Logger }): AmlMonitor {
  const { prisma, thresholds: t } = deps;

  async function findings(): Promise<Finding[]> {
    // Amounts in minor units: threshold × 10^exponent of the row's currency.
    const structuring = await prisma.$queryRaw<{ user_id: string; ids: string[]; n: number }[]>`
      SELECT f.user_id::text, array_agg(f.transaction_id::text) AS ids, count(*)::int AS n
      FROM funding_operations f JOIN currencies c ON c.code = f.currency
      WHERE f.kind = 'DEPOSIT' AND f.status IN ('SUCCEEDED', 'REVERSED')
        AND f.created_at > now() - make_interval(hours => ${t.structuringWindowHours})
        AND f.amount >= ${t.reportingThreshold} * 0.8 * 10 ^ c.exponent AND f.amount < ${t.reportingThreshold} * 10 ^ c.exponent
      GROUP BY f.user_id HAVING count(*) >= ${t.structuringCount}`;
    const rapid = await prisma.$queryRaw<{ user_id: string; ids: string[]; deposited: bigint; withdrawn: bigint; currency: string }[]>`
      SELECT f.user_id::text, array_agg(f.transaction_id::text) FILTER (WHERE f.transaction_id IS NOT NULL) AS ids, f.currency,
             sum(f.amount) FILTER (WHERE f.kind = 'DEPOSIT') AS deposited, coalesce(sum(f.amount) FILTER (WHERE f.kind = 'WITHDRAWAL'), 0) AS withdrawn
      FROM funding_operations f JOIN currencies c ON c.code = f.currency
      WHERE f.created_at > now() - make_interval(hours => ${t.rapidWindowHours}) AND f.refund_of_id IS NULL
        AND ((f.kind = 'DEPOSIT' AND f.status = 'SUCCEEDED') OR (f.kind = 'WITHDRAWAL' AND f.status <> 'FAILED'))
      GROUP BY f.user_id, f.currency, c.exponent
      HAVING sum(f.amount) FILTER (WHERE f.kind = 'DEPOSIT') >= ${t.rapidMin} * 10 ^ c.exponent
         AND coalesce(sum(f.amount) FILTER (WHERE f.kind = 'WITHDRAWAL'), 0) >= 0.8 * sum(f.amount) FILTER (WHERE f.kind = 'DEPOSIT')`;
    const fan = (direction: 'in' | 'out') => prisma.$queryRaw<{ user_id: string; ids: string[]; n: number }[]>`
      SELECT w.user_id::text, array_agg(t.id::text) AS ids,
             count(DISTINCT CASE WHEN ${direction} = 'in' THEN t.from_wallet_id ELSE t.to_wallet_id END)::int AS n
      FROM ledger_transactions t
      JOIN wallets w ON w.id = CASE WHEN ${direction} = 'in' THEN t.to_wallet_id ELSE t.from_wallet_id END AND w.kind = 'USER'
      JOIN wallets o ON o.id = CASE WHEN ${direction} = 'in' THEN t.from_wallet_id ELSE t.to_wallet_id END AND o.kind = 'USER'
      WHERE t.type IN ('P2P_TRANSFER', 'PAYMENT') AND t.status IN ('POSTED', 'REVERSED')
        AND t.created_at > now() - make_interval(hours => ${t.fanWindowHours})
      GROUP BY w.user_id
      HAVING count(DISTINCT CASE WHEN ${direction} = 'in' THEN t.from_wallet_id ELSE t.to_wallet_id END) >= ${t.fanCount}`;
    const [fanIn, fanOut] = await Promise.all([fan('in'), fan('out')]);
    return [
      ...structuring.map((r) => ({
        userId: r.user_id,
        kind: 'STRUCTURING' as const,
        windowHours: t.structuringWindowHours,
        transactionIds: r.ids.filter(Boolean),
        details: { deposits: r.n, threshold: t.reportingThreshold, windowHours: t.structuringWindowHours },
      })),
      ...rapid.map((r) => ({
        userId: r.user_id,
        kind: 'RAPID_IN_OUT' as const,
        windowHours: t.rapidWindowHours,
        transactionIds: r.ids ?? [],
        details: {
          currency: r.currency,
          deposited: r.deposited.toString(),
          withdrawn: r.withdrawn.toString(),
          windowHours: t.rapidWindowHours,
        },
      })),
      ...fanIn.map((r) => ({
        userId: r.user_id,
        kind: 'FAN_IN' as const,
        windowHours: t.fanWindowHours,
        transactionIds: r.ids,
        details: { senders: r.n, windowHours: t.fanWindowHours },
      })),
      ...fanOut.map((r) => ({
        userId: r.user_id,
        kind: 'FAN_OUT' as const,
        windowHours: t.fanWindowHours,
        transactionIds: r.ids,
        details: { recipients: r.n, windowHours: t.fanWindowHours },
      })),
    ];
  }

  return {
    async run() {
      const found = await findings();
      let opened = 0;
      for (const f of found) {
        await prisma.$transaction(async (tx) => {
          const inserted = await tx.$queryRaw<{ id: string }[]>`
            INSERT INTO aml_cases (user_id, kind, details)
            SELECT ${f.userId}::uuid, ${f.kind}::"AmlCaseKind", ${JSON.stringify(f.details)}::jsonb
            -- Already decided for this window's activity: the admin has seen it.
            WHERE NOT EXISTS (SELECT 1 FROM aml_cases WHERE user_id = ${f.userId}::uuid AND kind = ${f.kind}::"AmlCaseKind" AND status <> 'OPEN'
                              AND decided_at > now() - make_interval(hours => ${f.windowHours}))
            ON CONFLICT (user_id, kind) WHERE status = 'OPEN' DO NOTHING RETURNING id::text`;
          if (inserted.length) opened++;
          const [open] = inserted.length
            ? inserted
            : await tx.$queryRaw<
                { id: string }[]
              >`SELECT id::text FROM aml_cases WHERE user_id = ${f.userId}::uuid AND kind = ${f.kind}::"AmlCaseKind" AND status = 'OPEN'`;
          if (open && f.transactionIds.length) {
            await tx.$executeRaw`
              INSERT INTO aml_case_transactions (case_id, transaction_id)
              SELECT ${open.id}::uuid, unnest(${f.transactionIds}::uuid[]) ON CONFLICT DO NOTHING`;
          }
        });
      }
      if (opened) deps.log.warn({ opened }, 'AML monitor opened cases');
      return { opened, findings: found.length };
    },
  };
}
