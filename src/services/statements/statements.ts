// Statements: a wallet's money over a period, from the ledger (read only). A statement for any
// period is computed when asked for; monthly statements are made by a job once each month has
// ended in the holder's time zone, kept (append-only) with the ledger range they cover, and listed.
// Either is downloaded as CSV or PDF through a short-lived signed link, streamed from the ledger a
// page at a time (statementLedger.ts), so a statement of a million lines needs no more memory than
// one of ten.
//
// Monthly statements chain: each starts where the wallet's previous one ended (its closing entry
// and instant), so every entry is on exactly one monthly statement and each opening balance is the
// previous closing balance, even across a change of time zone.
import type { Writable } from 'node:stream';
import type { PrismaClient } from '../../db/database.js';
import { big, type Sql } from '../../db/sql.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { Outcome } from '../errors.js';
import { globalId } from '../ids.js';
import { toPage, type Page, type PageRequest } from '../pagination.js';
import { compareMonths, monthOf, nextMonth, parseMonth, previousMonth, type LocalMonth } from '../time/timeZones.js';
import { createStatementLinks, STATEMENT_DOWNLOAD_PATH, type StatementFormat, type StatementLink } from './downloadLinks.js';
import { monthPeriod, parseStatementPeriod, type StatementPeriod, type StatementPeriodInput } from './periods.js';
import { writeStatementCsv } from './statementCsv.js';
import { checkTotals, type StatementDocument, type StatementTotals } from './statementDocument.js';
import { createStatementLedger, type StatementFigures, type StatementLine, type StatementRange } from './statementLedger.js';
import { writeStatementPdf } from './statementPdf.js';

export type { StatementFormat, StatementLink } from './downloadLinks.js';
export type { StatementPeriod, StatementPeriodInput } from './periods.js';
export type { StatementLine } from './statementLedger.js';

export interface Statement extends StatementFigures {
  /** A monthly statement's id; null for one computed for a period on request. */
  id: string | null;
  /** The wallet's holder. */
  userId: string;
  currency: string;
  period: StatementPeriod;
  /** When a monthly statement was made. */
  createdAt: Date | null;
}

/** The wallet a statement is of, as the caller has already checked the viewer may see it. */
export interface StatementWallet {
  id: string;
  userId: string | null;
  currency: string;
}

/**
 * Called inside the transaction that stores a new monthly statement, once per statement (never for
 * one another process stored first): where "your statement is ready" is written, so the
 * notification commits with the statement or not at all. What it returns is called once that
 * transaction has committed (to publish what it wrote).
 */
export type StatementReadyHook = (
  tx: Prisma.TransactionClient,
  statement: Statement,
) => Promise<(() => unknown) | undefined> | Promise<void>;

export interface StatementSettings {
  /** The longest range a statement may cover, in days (STATEMENT_MAX_DAYS). */
  maxDays: number;
  /** A month's statement is made this long after the month ends (STATEMENT_DELAY_MINUTES). */
  delayMinutes: number;
  /** How many past months a wallet's first run, or a run after downtime, makes at most (STATEMENT_CATCH_UP_MONTHS). */
  catchUpMonths: number;
  /** How long a download link works (STATEMENT_LINK_SECONDS). */
  linkSeconds: number;
  /** Where download links point (PUBLIC_URL, or this server once it listens). */
  publicOrigin: string;
}

export interface StatementService {
  /** The statement of a period asked for through the API (userErrors name the bad field), from the ledger as it is now. */
  forPeriod(wallet: StatementWallet, input: StatementPeriodInput, now?: Date): Promise<Outcome<Statement>>;
  /** A page of a statement's lines, oldest first (keyset on the entry sequence). */
  linesPage(statement: StatementRange, page: PageRequest): Promise<Page<StatementLine>>;
  /** The wallet's monthly statements, newest first. */
  monthly(walletId: string, page: PageRequest): Promise<Page<Statement>>;
  /** A monthly statement by id; the caller checks that the viewer may see its wallet. */
  monthlyById(id: string): Promise<Statement | null>;
  /**
   * Makes every monthly statement that is due and missing: for each user wallet, each month since
   * its last statement (or its opening, at most catchUpMonths back) that ended more than
   * delayMinutes before `now`. Safe to run twice and in several processes at once: a (wallet,
   * month) is stored once, and whoever loses the race stores nothing.
   */
  generateMonthly(options?: { now?: Date; pageSize?: number }): Promise<{ wallets: number; made: number }>;
  /** A signed link that downloads the statement as `format`, for this user's session only. */
  downloadUrl(
    viewer: { userId: string; sessionId: string },
    statement: Statement,
    format: StatementFormat,
  ): Promise<{ url: string; expiresAt: Date }>;
  /** The link's contents if it is a valid, unexpired link of ours. */
  verifyDownload(token: string): Promise<StatementLink | null>;
  /** Writes the linked statement to `out` (not ended) as its format; the caller has checked who asks. */
  writeDownload(link: StatementLink, out: Writable): Promise<StatementTotals>;
  /** The file name a download is offered under. */
  downloadFileName(link: StatementLink): string;
  setPublicOrigin(origin: string): void;
  /** The time zone a user's statements and insights count in. */
  timeZoneOf(userId: string): Promise<string>;
}

interface StatementRow {
  id: string;
  wallet_id: string;
  user_id: string;
  currency: string;
  month: string;
  time_zone: string;
  starts_at: Date;
  ends_at: Date;
  opening_sequence: string;
  closing_sequence: string;
  opening_balance: string;
  closing_balance: string;
  total_in: string;
  total_out: string;
  total_fees: string;
  line_count: number;
  created_at: Date;
}

const STATEMENT_COLUMNS = `id::text, wallet_id::text, user_id::text, currency, to_char(month, 'YYYY-MM') AS month, time_zone,
  starts_at, ends_at, opening_sequence, closing_sequence, opening_balance, closing_balance, total_in, total_out, total_fees,
  line_count, created_at`;

function fromRow(r: StatementRow): Statement {
  const month = parseMonth(r.month)!;
  return {
    id: r.id,
    walletId: r.wallet_id,
    userId: r.user_id,
    currency: r.currency.trim(),
    period: { ...monthPeriod(month, r.time_zone), startsAt: r.starts_at, endsAt: r.ends_at },
    openingSequence: big(r.opening_sequence),
    closingSequence: big(r.closing_sequence),
    openingBalance: big(r.opening_balance),
    closingBalance: big(r.closing_balance),
    totalIn: big(r.total_in),
    totalOut: big(r.total_out),
    totalFees: big(r.total_fees),
    lineCount: r.line_count,
    createdAt: r.created_at,
  };
}

/** Cursors of the monthly list: the month, "2026-11". */
export const encodeMonthCursor = (month: string) => Buffer.from(`month:${month}`, 'utf8').toString('base64url');
export function decodeMonthCursor(cursor: string): string | null {
  if (cursor.length > 40) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith('month:') && parseMonth(text.slice(6)) ? text.slice(6) : null;
}
/** Cursors of a statement's lines: the entry sequence. */
export const encodeLineCursor = (sequence: bigint) => Buffer.from(`line:${sequence}`, 'utf8').toString('base64url');
export function decodeLineCursor(cursor: string): bigint | null {
  if (cursor.length > 60) return null;
  const m = /^line:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? BigInt(m[1]!) : null;
}

export function createStatementService(deps: {
  prisma: PrismaClient;
  sql: Sql;
  jwtSecret: string;
  settings: StatementSettings;
  /** Where the notifier plugs in (docs/statements.md); nothing by default. */
  onStatementReady?: StatementReadyHook;
  log: Logger;
}): StatementService {
  const { prisma, sql, settings, log } = deps;
  const ledger = createStatementLedger(sql);
  const links = createStatementLinks({ jwtSecret: deps.jwtSecret, ttlSeconds: settings.linkSeconds });
  let publicOrigin = settings.publicOrigin;

  async function timeZoneOf(userId: string): Promise<string> {
    const [row] = await sql.query<{ time_zone: string }>('SELECT time_zone FROM users WHERE id = $1::uuid', [userId], 'user_time_zone');
    return row?.time_zone ?? 'UTC';
  }

  /** Stores a monthly statement once; true when this call stored it (and ran the hook with it). */
  async function store(statement: Statement): Promise<boolean> {
    const stored = await prisma.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<{ id: string; created_at: Date }[]>`
        INSERT INTO statements (wallet_id, user_id, currency, month, time_zone, starts_at, ends_at, opening_sequence,
          closing_sequence, opening_balance, closing_balance, total_in, total_out, total_fees, line_count)
        VALUES (${statement.walletId}::uuid, ${statement.userId}::uuid, ${statement.currency}, ${`${statement.period.month}-01`}::date,
          ${statement.period.timeZone}, ${statement.period.startsAt}, ${statement.period.endsAt}, ${statement.openingSequence},
          ${statement.closingSequence}, ${statement.openingBalance}, ${statement.closingBalance}, ${statement.totalIn},
          ${statement.totalOut}, ${statement.totalFees}, ${statement.lineCount})
        ON CONFLICT (wallet_id, month) DO NOTHING
        RETURNING id::text AS id, created_at`;
      const row = inserted[0];
      if (!row) return null;
      return { afterCommit: await deps.onStatementReady?.(tx, { ...statement, id: row.id, createdAt: row.created_at }) };
    });
    if (stored?.afterCommit) await stored.afterCommit();
    return stored !== null;
  }

  const service: StatementService = {
    timeZoneOf,

    async forPeriod(wallet, input, now = new Date()) {
      const owner = wallet.userId!;
      const parsed = parseStatementPeriod(input, { defaultTimeZone: await timeZoneOf(owner), maxDays: settings.maxDays, now });
      if (!parsed.ok) return parsed;
      const period = parsed.value;
      const figures = await ledger.figures(wallet.id, period);
      return { ok: true, value: { ...figures, id: null, userId: owner, currency: wallet.currency, period, createdAt: null } };
    },

    async linesPage(statement, page) {
      // Forward pages only run oldest first; a backward page ends before `before`.
      const before = page.before ? decodeLineCursor(page.before) : null;
      if (page.backward) {
        const end = before !== null && before - 1n < statement.closingSequence ? before - 1n : statement.closingSequence;
        const start = end - BigInt(page.limit + 1) > statement.openingSequence ? end - BigInt(page.limit + 1) : statement.openingSequence;
        const rows = await ledger.page({ ...statement, closingSequence: end }, start, page.limit + 1);
        return toPage(rows.reverse(), page, (l) => encodeLineCursor(l.sequence));
      }
      const after = page.after ? decodeLineCursor(page.after) : null;
      const rows = await ledger.page(statement, after ?? statement.openingSequence, page.limit + 1);
      return toPage(rows, page, (l) => encodeLineCursor(l.sequence));
    },

    async monthly(walletId, page) {
      const cursor = page.backward ? page.before : page.after;
      const month = cursor ? decodeMonthCursor(cursor) : null;
      const rows = await sql.query<StatementRow>(
        `SELECT ${STATEMENT_COLUMNS} FROM statements
         WHERE wallet_id = $1::uuid AND ($2::date IS NULL OR month ${page.backward ? '>' : '<'} $2::date)
         ORDER BY month ${page.backward ? 'ASC' : 'DESC'} LIMIT $3`,
        [walletId, month ? `${month}-01` : null, page.limit + 1],
        page.backward ? 'statements_back' : 'statements_fwd',
      );
      return toPage(rows.map(fromRow), page, (s) => encodeMonthCursor(s.period.month!));
    },

    async monthlyById(id) {
      const [row] = await sql.query<StatementRow>(
        `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE id = $1::uuid`,
        [id],
        'statement_by_id',
      );
      return row ? fromRow(row) : null;
    },

    async generateMonthly(options = {}) {
      const now = options.now ?? new Date();
      const pageSize = options.pageSize ?? 500;
      const cutoff = new Date(now.getTime() - settings.delayMinutes * 60_000);
      let after = '00000000-0000-0000-0000-000000000000';
      let wallets = 0;
      let made = 0;
      for (;;) {
        const rows = await sql.query<{
          id: string;
          user_id: string;
          currency: string;
          created_at: Date;
          time_zone: string;
          last_month: string | null;
          last_ends_at: Date | null;
          last_closing: string | null;
        }>(
          `SELECT w.id::text, w.user_id::text, w.currency, w.created_at, u.time_zone,
                  to_char(s.month, 'YYYY-MM') AS last_month, s.ends_at AS last_ends_at, s.closing_sequence AS last_closing
           FROM wallets w
           JOIN users u ON u.id = w.user_id
           LEFT JOIN LATERAL (SELECT month, ends_at, closing_sequence FROM statements
                              WHERE wallet_id = w.id ORDER BY month DESC LIMIT 1) s ON true
           WHERE w.kind = 'USER' AND w.id > $1::uuid
           ORDER BY w.id
           LIMIT $2`,
          [after, pageSize],
          'statement_wallets',
        );
        for (const w of rows) {
          wallets += 1;
          const timeZone = w.time_zone;
          const lastClosed = previousMonth(monthOf(cutoff, timeZone));
          const floor = Array.from({ length: settings.catchUpMonths - 1 }).reduce<LocalMonth>((m) => previousMonth(m), lastClosed);
          const last = w.last_month ? parseMonth(w.last_month) : null;
          let month = last ? nextMonth(last) : monthOf(w.created_at, timeZone);
          // Chained to the previous statement while no month is skipped.
          let previous = last ? { endsAt: w.last_ends_at!, closingSequence: big(w.last_closing) } : null;
          if (compareMonths(month, floor) < 0) {
            month = floor;
            previous = null;
          }
          for (; compareMonths(month, lastClosed) <= 0; month = nextMonth(month)) {
            const period = monthPeriod(month, timeZone);
            if (previous && previous.endsAt >= period.endsAt) continue; // a zone change moved this month behind the last statement
            if (previous) period.startsAt = previous.endsAt;
            const figures = await ledger.figures(w.id, { ...period, openingSequence: previous?.closingSequence });
            const statement: Statement = { ...figures, id: null, userId: w.user_id, currency: w.currency.trim(), period, createdAt: null };
            if (await store(statement)) made += 1;
            previous = { endsAt: period.endsAt, closingSequence: figures.closingSequence };
          }
        }
        if (rows.length < pageSize) break;
        after = rows.at(-1)!.id;
      }
      if (made) log.info({ wallets, made }, 'monthly statements made');
      return { wallets, made };
    },

    async downloadUrl(viewer, statement, format) {
      const { token, expiresAt } = await links.sign({
        userId: viewer.userId,
        sessionId: viewer.sessionId,
        walletId: statement.walletId,
        format,
        statementId: statement.id,
        openingSequence: statement.openingSequence,
        closingSequence: statement.closingSequence,
        period: statement.period,
      });
      return { url: `${publicOrigin}${STATEMENT_DOWNLOAD_PATH}?token=${encodeURIComponent(token)}`, expiresAt };
    },

    verifyDownload: (token) => links.verify(token),

    downloadFileName(link) {
      const period = link.period.month ?? `${link.period.from}_${link.period.to}`;
      return `statement-${period}.${link.format.toLowerCase()}`;
    },

    async writeDownload(link, out) {
      const [row] = await sql.query<{ currency: string; display_name: string; opening: string | null; closing: string | null }>(
        `SELECT w.currency, u.display_name,
                (SELECT balance_after FROM ledger_entries WHERE wallet_id = w.id AND sequence = $2) AS opening,
                (SELECT balance_after FROM ledger_entries WHERE wallet_id = w.id AND sequence = $3) AS closing
         FROM wallets w JOIN users u ON u.id = w.user_id WHERE w.id = $1::uuid`,
        [link.walletId, link.openingSequence, link.closingSequence],
        'statement_download_heading',
      );
      if (!row) throw new Error(`statement download for a wallet without a holder: ${link.walletId}`);
      const currency = row.currency.trim();
      const range: StatementRange = {
        walletId: link.walletId,
        openingSequence: link.openingSequence,
        closingSequence: link.closingSequence,
      };
      const doc: StatementDocument = {
        ownerName: row.display_name,
        walletLabel: `${currency} wallet`,
        walletRef: globalId('Wallet', link.walletId),
        currency,
        period: { ...link.period, month: link.period.month },
        openingBalance: big(row.opening),
        closingBalance: big(row.closing),
        lineCount: Number(link.closingSequence - link.openingSequence),
        generatedAt: new Date(),
      };
      const write = link.format === 'PDF' ? writeStatementPdf : writeStatementCsv;
      const totals = await write(doc, ledger.lines(range), out);
      checkTotals(doc, totals);
      return totals;
    },

    setPublicOrigin(origin) {
      publicOrigin = origin;
    },
  };
  return service;
}
