// Statements over the API: on random histories (top-ups and fees, transfers both ways, merchant
// payments and refunds, withdrawals, adjustments and chargeback reversals) in JPY, USD and KWD
// (0, 2 and 3 decimals), opening + every line = closing = the balance at the end, exactly, in the
// statement, its lines, its CSV and its PDF; a split in the middle of the history gives the balance
// at that moment as the opening. The PDF is rendered by poppler (pdftoppm, pdftotext, pdfinfo):
// holder, wallet, period, page numbers, the first and last line and the totals. Download links
// work for their user's live session only; other users see nothing; bad periods are userErrors
// naming the field. Monthly statements are made once per wallet and month by the job, chained, and
// safe to run twice at once.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAmount } from '../../src/services/money/money.js';
import { createStatementService, type Statement } from '../../src/services/statements/statements.js';
import { createStatementLedger } from '../../src/services/statements/statementLedger.js';
import { statementPageCount } from '../../src/services/statements/statementPdf.js';
import { createLogger } from '../../src/logger.js';
import { graphql } from '../gql/index.js';
import type { StStatementQuery } from '../gql/graphql.js';
import { decodeId } from '../helpers/globalIds.js';
import { postRandomHistory } from '../helpers/histories.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/testServer.js';

const run = promisify(execFile);
const ADMIN = { email: 'statements.admin@example.com', password: 'Statement-Keeper-2026!' };

const StOpenWallet = graphql(`
  mutation StOpenWallet($input: OpenWalletInput!) { openWallet(input: $input) { wallet { id } userErrors { code } } }
`);
const StRegister = graphql(`
  mutation StRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } userErrors { code message } } }
`);
const StProfile = graphql(`
  mutation StProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { user { timeZone displayName } userErrors { field code message } }
  }
`);
const StStatement = graphql(`
  query StStatement($walletId: ID!, $period: StatementPeriodInput!, $after: String) {
    statement(walletId: $walletId, period: $period) {
      statement {
        period { month from to timeZone startsAt endsAt }
        openingBalance { amount currency } closingBalance { amount } totalIn { amount } totalOut { amount } totalFees { amount }
        lineCount
        wallet { id }
        lines(first: 30, after: $after) {
          edges { node { date type counterparty note amount { amount } direction balanceAfter { amount } sequence } }
          pageInfo { hasNextPage endCursor }
        }
      }
      userErrors { field code message }
    }
  }
`);
const StDownload = graphql(`
  query StDownload($walletId: ID!, $period: StatementPeriodInput!, $format: StatementFormat!) {
    statement(walletId: $walletId, period: $period) { statement { downloadUrl(format: $format) { url expiresAt } } userErrors { code } }
  }
`);
const StBalanceAt = graphql(`query StBalanceAt($walletId: ID!, $at: DateTime!) { balanceAt(walletId: $walletId, at: $at) { amount } }`);
const StWallet = graphql(`query StWallet($id: ID!) { wallet(id: $id) { balance { posted { amount } } } }`);
const StMonthly = graphql(`
  query StMonthly($walletId: ID!) {
    statements(walletId: $walletId, first: 20) {
      edges { node { id month createdAt statement {
        period { month startsAt endsAt timeZone } openingBalance { amount } closingBalance { amount } lineCount
        downloadUrl(format: CSV) { url }
      } } }
    }
  }
`);
const StNode = graphql(`query StNode($id: ID!) { node(id: $id) { ... on MonthlyStatement { id month } } }`);
const StRevoke = graphql(`mutation StRevoke { signOut { revokedSessionCount } }`);

let t: TestServer;
let admin: string;
let work: string;
beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, STATEMENT_MAX_DAYS: '92' });
  admin = await signInAdmin(t, ADMIN);
  work = mkdtempSync(path.join(tmpdir(), 'statements-test-'));
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const day = (d: Date) => d.toISOString().slice(0, 10);
const today = () => day(new Date());
const yesterday = () => day(new Date(Date.now() - 86_400_000));
const minor = (text: string, currency: string) => {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) throw new Error(`not an amount: ${text}`);
  return parsed.amount;
};

/** A holder with a wallet in `currency`, a counterparty and a merchant in it. */
async function parties(currency: string) {
  const owner = await signUpUser(t, { label: `st-${currency.toLowerCase()}`, displayName: `Zoë ${currency} Holder` });
  const other = await signUpUser(t, { label: 'st-other', displayName: 'Bob Counterparty' });
  const ownerWallet = currency === 'USD' ? owner.walletId : await openWallet(owner, currency);
  const otherWallet = currency === 'USD' ? other.walletId : await openWallet(other, currency);
  const shop = await t.query(
    StRegister,
    { input: { name: `Café ${currency}`, category: 'coffee shop', categoryCode: '5812', settlementCurrency: currency } },
    { token: other.token },
  );
  expect(shop.registerMerchant.userErrors).toEqual([]);
  return {
    owner,
    ownerWallet,
    history: {
      currency,
      owner: { userId: owner.userId, walletId: decodeId(ownerWallet) },
      other: { userId: other.userId, walletId: decodeId(otherWallet) },
      merchantId: decodeId(shop.registerMerchant.merchant!.id),
    },
  };
}

async function openWallet(user: TestUser, currency: string) {
  const opened = await t.query(StOpenWallet, { input: { currency } }, { token: user.token });
  return opened.openWallet.wallet!.id;
}

interface StatementLineData {
  date: string;
  type: string;
  counterparty: string;
  note?: string | null;
  amount: { amount: string };
  balanceAfter: { amount: string };
  sequence: string;
}

/** The statement with every line (pages of 30). */
async function readStatement(token: string, walletId: string, period: Record<string, string>) {
  let after: string | null = null;
  const lines: StatementLineData[] = [];
  for (;;) {
    const data: StStatementQuery = await t.query(StStatement, { walletId, period, after }, { token });
    expect(data.statement.userErrors).toEqual([]);
    const s = data.statement.statement!;
    lines.push(...s.lines.edges.map((e) => e.node as StatementLineData));
    if (!s.lines.pageInfo.hasNextPage) return { ...s, allLines: lines };
    after = s.lines.pageInfo.endCursor!;
  }
}

async function download(url: string) {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe.each([
  ['JPY', 0, 1901],
  ['USD', 2, 1902],
  ['KWD', 3, 1903],
])('a random history in %s (%i decimals, seed %i)', (currency, exponent, seed) => {
  let setup: Awaited<ReturnType<typeof parties>>;
  let history: Awaited<ReturnType<typeof postRandomHistory>>;
  let statement: Awaited<ReturnType<typeof readStatement>>;
  const period = () => ({ from: yesterday(), to: today(), timeZone: 'UTC' });

  beforeAll(async () => {
    setup = await parties(currency);
    history = await postRandomHistory(t, setup.history, { operations: 110, seed });
    statement = await readStatement(setup.owner.token, setup.ownerWallet, period());
  });

  it('adds up exactly: opening + lines = closing = the balance at the end, and totals agree', async () => {
    const m = (text: string) => minor(text, currency);
    expect(history.counts.REVERSAL ?? 0, 'the history has reversals').toBeGreaterThan(0);
    expect(history.counts.REFUND ?? 0, 'the history has refunds').toBeGreaterThan(0);
    expect(history.counts.FEE ?? 0, 'the history has fees').toBeGreaterThan(0);
    expect(statement.lineCount).toBe(history.posted);
    expect(statement.allLines).toHaveLength(history.posted);
    const opening = m(statement.openingBalance.amount);
    const closing = m(statement.closingBalance.amount);
    expect(opening).toBe(0n);
    let running = opening;
    for (const line of statement.allLines) {
      running += m(line.amount.amount);
      expect(m(line.balanceAfter.amount)).toBe(running);
      // Amounts carry exactly the currency's decimals.
      expect(line.amount.amount).toMatch(exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`));
    }
    expect(running).toBe(closing);
    expect(m(statement.totalIn.amount) - m(statement.totalOut.amount) - m(statement.totalFees.amount)).toBe(closing - opening);
    const fees = statement.allLines.filter((l) => l.type === 'FEE').reduce((sum, l) => sum - m(l.amount.amount), 0n);
    expect(m(statement.totalFees.amount)).toBe(fees);
    const wallet = await t.query(StWallet, { id: setup.ownerWallet }, { token: setup.owner.token });
    expect(m(wallet.wallet.balance.posted.amount)).toBe(closing);
    const endsAt = new Date(new Date(statement.period.endsAt).getTime() - 1).toISOString();
    const atEnd = await t.query(StBalanceAt, { walletId: setup.ownerWallet, at: endsAt }, { token: setup.owner.token });
    expect(m(atEnd.balanceAt.amount)).toBe(closing);
    expect(statement.allLines.map((l) => Number(l.sequence))).toEqual(statement.allLines.map((_, i) => i + 1));
  });

  it('from the middle of the history, opens at the balance then and still adds up', async () => {
    const ledger = createStatementLedger(t.server.db.sql);
    const walletId = setup.history.owner.walletId;
    const figures = await ledger.figures(walletId, { startsAt: history.middle, endsAt: new Date(Date.now() + 60_000) });
    const before = new Date(history.middle.getTime() - 1).toISOString();
    const atMiddle = await t.query(StBalanceAt, { walletId: setup.ownerWallet, at: before }, { token: setup.owner.token });
    expect(figures.openingBalance).toBe(minor(atMiddle.balanceAt.amount, currency));
    expect(figures.openingBalance).toBeGreaterThan(0n);
    expect(figures.openingSequence).toBeGreaterThan(0n);
    let sum = 0n;
    let count = 0;
    for await (const line of ledger.lines(figures, 7)) {
      sum += line.amount;
      count += 1;
    }
    expect(count).toBe(figures.lineCount);
    expect(figures.openingBalance + sum).toBe(figures.closingBalance);
    expect(figures.openingBalance + figures.totalIn - figures.totalOut - figures.totalFees).toBe(figures.closingBalance);
    expect(figures.closingBalance).toBe(minor(statement.closingBalance.amount, currency));
  });

  it("downloads as RFC 4180 CSV whose rows add up, amounts in the wallet's exponent", async () => {
    const link = await t.query(StDownload, { walletId: setup.ownerWallet, period: period(), format: 'CSV' }, { token: setup.owner.token });
    const res = await download(link.statement.statement!.downloadUrl.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="statement-.*\.csv"/);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(res.body.includes('\r\n')).toBe(true);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    const m = (text: string) => minor(text, currency);
    expect(rows[0]!.type).toBe('OPENING_BALANCE');
    const lines = rows.filter((r) => !/^(OPENING_BALANCE|CLOSING_BALANCE|TOTAL_\w+)$/.test(r.type!));
    expect(lines).toHaveLength(statement.lineCount);
    const opening = m(rows[0]!.balance_after!);
    const closing = m(rows.find((r) => r.type === 'CLOSING_BALANCE')!.balance_after!);
    expect(opening + lines.reduce((s, r) => s + m(r.amount!), 0n)).toBe(closing);
    expect(closing).toBe(m(statement.closingBalance.amount));
    const total = (type: string) => m(rows.find((r) => r.type === type)!.amount!);
    expect(total('TOTAL_IN') + total('TOTAL_OUT') + total('TOTAL_FEES')).toBe(closing - opening);
    for (const r of lines) expect(r.amount).toMatch(exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`));
    // Notes with quotes, commas and line breaks survive the round trip.
    const noted = statement.allLines.find((l) => l.note?.includes('\n'));
    if (noted) expect(lines.some((r) => r.note === noted.note)).toBe(true);
    expect(lines[0]!.counterparty).toBe(statement.allLines[0]!.counterparty);
  });
});

describe('the PDF', () => {
  it('is a real document: holder, wallet, period, a table over several pages with headings, page numbers and totals', async () => {
    const setup = await parties('USD');
    const history = await postRandomHistory(t, setup.history, { operations: 120, seed: 1904 });
    const period = { from: yesterday(), to: today(), timeZone: 'UTC' };
    const statement = await readStatement(setup.owner.token, setup.ownerWallet, period);
    const link = await t.query(StDownload, { walletId: setup.ownerWallet, period, format: 'PDF' }, { token: setup.owner.token });
    const res = await download(link.statement.statement!.downloadUrl.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(work, 'statement.pdf');
    writeFileSync(file, res.body);

    const pages = statementPageCount(history.posted);
    expect(pages).toBeGreaterThanOrEqual(3);
    const info = (await run('pdfinfo', [file])).stdout;
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)![1])).toBe(pages);

    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
    const pageTexts = text.split('\f').filter((p) => p.trim());
    expect(pageTexts).toHaveLength(pages);
    pageTexts.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages}`);
      // The column headings on every page.
      expect(p).toMatch(/Date\s+Type\s+Counterparty\s+Note\s+Amount \(USD\)\s+Balance \(USD\)/);
    });
    expect(pageTexts[0]).toContain('Zoë USD Holder');
    expect(pageTexts[0]).toContain('USD wallet');
    expect(pageTexts[0]).toContain(`${period.from} to ${period.to} (UTC)`);
    const grouped = (text: string) => {
      const [whole, fraction] = text.split('.');
      return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
    };
    const first = statement.allLines[0]!;
    const last = statement.allLines.at(-1)!;
    expect(pageTexts[0]).toContain(grouped(first.balanceAfter.amount));
    expect(pageTexts[0]).toMatch(new RegExp(`${first.date.slice(0, 10)} \\d\\d:\\d\\d\\s+Top-up\\s+Card top-up`));
    const lastPage = pageTexts.at(-1)!;
    expect(text.indexOf(grouped(last.balanceAfter.amount))).toBeGreaterThan(0);
    expect(lastPage).toMatch(new RegExp(`Closing balance\\s+${grouped(statement.closingBalance.amount).replace(/\./g, '\\.')} USD`));
    expect(lastPage).toMatch(new RegExp(`Money in\\s+${grouped(statement.totalIn.amount).replace(/\./g, '\\.')} USD`));
    expect(lastPage).toMatch(new RegExp(`Fees\\s+-${grouped(statement.totalFees.amount).replace(/\./g, '\\.')} USD`));

    // Rendered to an image, the first page has print on it.
    await run('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', file, path.join(work, 'page')]);
    const png = PNG.sync.read(readFileSync(path.join(work, `page-${String(1).padStart(String(pages).length, '0')}.png`)));
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 128) dark++;
    expect(png.width).toBeGreaterThan(300);
    expect(dark / (png.width * png.height)).toBeGreaterThan(0.01);
  });
});

describe('who may see a statement', () => {
  it('the holder; an admin; not another user (NOT_FOUND); a link only while its session is signed in', async () => {
    const holder = await signUpUser(t, { label: 'st-holder' });
    const stranger = await signUpUser(t, { label: 'st-stranger' });
    const period = { from: today(), to: today() };
    const own = await t.request(StStatement, { walletId: holder.walletId, period }, { token: holder.token });
    expect(own.body.data?.statement.userErrors).toEqual([]);
    const other = await t.request(StStatement, { walletId: holder.walletId, period }, { token: stranger.token });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const byAdmin = await t.query(StStatement, { walletId: holder.walletId, period }, { token: admin });
    expect(byAdmin.statement.statement?.wallet.id).toBe(holder.walletId);

    const link = (await t.query(StDownload, { walletId: holder.walletId, period, format: 'CSV' }, { token: holder.token })).statement
      .statement!.downloadUrl;
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    expect((await download(link.url)).status).toBe(200);
    // Altered: refused.
    const url = new URL(link.url);
    const token = url.searchParams.get('token')!;
    url.searchParams.set('token', `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    expect((await download(url.toString())).status).toBe(403);
    // Signed with the access tokens' key rather than the links' own: refused.
    const { SignJWT } = await import('jose');
    const forged = await new SignJWT({ sid: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('wallet-statement-download')
      .setExpirationTime('5m')
      .sign(Buffer.from(TEST_JWT_SECRET));
    url.searchParams.set('token', forged);
    expect((await download(url.toString())).status).toBe(403);
    // Signed out: the link dies with the session.
    await t.query(StRevoke, {}, { token: holder.token });
    const after = await download(link.url);
    expect(after.status).toBe(403);
    expect(JSON.parse(after.body.toString()).errors[0].extensions.code).toBe('LINK_EXPIRED');
  });
});

describe('bad input is a userError naming the field', () => {
  it.each([
    [{ from: '2026-11-10', to: '2026-11-01' }, ['period', 'to'], 'INVALID_PERIOD'],
    [{ from: '2026-01-01', to: '2026-12-31' }, ['period', 'to'], 'INVALID_PERIOD'],
    [{ from: '2026-02-30', to: '2026-03-01' }, ['period', 'from'], 'INVALID_PERIOD'],
    [{ month: '2026-13' }, ['period', 'month'], 'INVALID_PERIOD'],
    [{ month: '2999-01' }, ['period', 'month'], 'INVALID_PERIOD'],
    [{ month: '2026-11', from: '2026-11-01', to: '2026-11-02' }, ['period'], 'INVALID_PERIOD'],
    [{ from: '2026-11-01' }, ['period', 'to'], 'INVALID_PERIOD'],
    [{ month: '2026-11', timeZone: 'Mars/Olympus_Mons' }, ['period', 'timeZone'], 'INVALID_TIME_ZONE'],
    [{ month: '2026-11', timeZone: '+05:00' }, ['period', 'timeZone'], 'INVALID_TIME_ZONE'],
  ])('%j', async (period, field, code) => {
    const user = await signUpUser(t, { label: 'st-bad' });
    const data = await t.query(StStatement, { walletId: user.walletId, period }, { token: user.token });
    expect(data.statement.statement).toBeNull();
    expect(data.statement.userErrors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('the profile keeps a valid IANA zone (canonically spelled) and refuses others', async () => {
    const user = await signUpUser(t, { label: 'st-zone' });
    const set = await t.query(StProfile, { input: { timeZone: 'Asia/Tokyo' } }, { token: user.token });
    expect(set.updateProfile).toEqual({ user: { timeZone: 'Asia/Tokyo', displayName: 'Test User' }, userErrors: [] });
    const bad = await t.query(StProfile, { input: { timeZone: 'Europe/Atlantis' } }, { token: user.token });
    expect(bad.updateProfile.userErrors).toEqual([expect.objectContaining({ field: ['input', 'timeZone'], code: 'INVALID_TIME_ZONE' })]);
    // The statement's days are the profile's.
    const statement = await t.query(
      StStatement,
      { walletId: user.walletId, period: { from: '2026-11-01', to: '2026-11-01' } },
      { token: user.token },
    );
    expect(statement.statement.statement!.period).toMatchObject({
      timeZone: 'Asia/Tokyo',
      startsAt: '2026-10-31T15:00:00.000Z',
      endsAt: '2026-11-01T15:00:00.000Z',
    });
  });
});

describe('monthly statements', () => {
  const log = createLogger({ level: 'silent' });

  it('are made once per wallet and month, chained, listed, and safe to run twice at once; the ready hook runs once each', async () => {
    const setup = await parties('USD');
    await postRandomHistory(t, setup.history, { operations: 30, seed: 1905 });
    const la = await signUpUser(t, { label: 'st-la' });
    await t.query(StProfile, { input: { timeZone: 'America/Los_Angeles' } }, { token: la.token });

    const ready: Statement[] = [];
    const service = () =>
      createStatementService({
        prisma: t.server.db.prisma,
        sql: t.server.db.sql,
        jwtSecret: TEST_JWT_SECRET,
        settings: { maxDays: 92, delayMinutes: 60, catchUpMonths: 12, linkSeconds: 300, publicOrigin: t.origin },
        onStatementReady: async (tx, statement) => {
          // Written in the statement's own transaction: it sees the row.
          const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM statements WHERE id = ${statement.id}::uuid`;
          expect(rows).toHaveLength(1);
          ready.push(statement);
        },
        log,
      });
    const now = new Date();
    const nextMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    // Within the delay after the month ended in UTC: nothing yet for a UTC holder (zones ahead of
    // UTC, like the Tokyo holder above, are due already).
    const early = await service().generateMonthly({ now: new Date(nextMonthStart.getTime() + 30 * 60_000) });
    expect((await t.query(StMonthly, { walletId: setup.ownerWallet }, { token: setup.owner.token })).statements.edges).toEqual([]);
    // Two runs at once, well after the month ended in Los Angeles too.
    const later = new Date(nextMonthStart.getTime() + 10 * 3_600_000);
    const [a, b] = await Promise.all([service().generateMonthly({ now: later, pageSize: 7 }), service().generateMonthly({ now: later })]);
    const wallets = a.wallets;
    expect(early.made + a.made + b.made).toBe(wallets);
    expect(ready).toHaveLength(wallets);
    expect(new Set(ready.map((s) => s.walletId)).size).toBe(wallets);
    expect((await service().generateMonthly({ now: later })).made).toBe(0);

    const month = now.toISOString().slice(0, 7);
    const listed = (await t.query(StMonthly, { walletId: setup.ownerWallet }, { token: setup.owner.token })).statements.edges;
    expect(listed).toHaveLength(1);
    const monthly = listed[0]!.node;
    expect(monthly.month).toBe(month);
    const asked = await readStatement(setup.owner.token, setup.ownerWallet, { month });
    expect(monthly.statement.closingBalance.amount).toBe(asked.closingBalance.amount);
    expect(monthly.statement.lineCount).toBe(asked.lineCount);
    const csv = await download(monthly.statement.downloadUrl.url);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`statement-${month}.csv`);

    // In the holder's zone.
    const laMonthly = (await t.query(StMonthly, { walletId: la.walletId }, { token: la.token })).statements.edges[0]!.node;
    expect(laMonthly.statement.period.timeZone).toBe('America/Los_Angeles');
    expect(new Date(laMonthly.statement.period.endsAt).getUTCHours()).toBe(8);

    // node(id): the holder, not a stranger.
    const stranger = await signUpUser(t, { label: 'st-node' });
    expect((await t.query(StNode, { id: monthly.id }, { token: setup.owner.token })).node).toEqual({ id: monthly.id, month });
    expect((await t.query(StNode, { id: monthly.id }, { token: stranger.token })).node).toBeNull();

    // After three months of downtime: three more each, chained (opening = the previous closing), none twice.
    const catchUp = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 4, 1, 10));
    const caught = await service().generateMonthly({ now: catchUp });
    expect(caught.made).toBeGreaterThanOrEqual(3 * wallets);
    const chain = (await t.query(StMonthly, { walletId: setup.ownerWallet }, { token: setup.owner.token })).statements.edges.map(
      (e) => e.node,
    );
    expect(chain).toHaveLength(4);
    for (let i = 0; i < chain.length - 1; i++) {
      expect(chain[i]!.statement.openingBalance.amount).toBe(chain[i + 1]!.statement.closingBalance.amount);
      expect(chain[i]!.statement.period.startsAt).toBe(chain[i + 1]!.statement.period.endsAt);
    }
  });
});
