// The pure parts of statements and insights: local days and months in IANA zones (daylight-saving
// changes at midnight included), statement periods and their userErrors, MCC categories, averages
// in minor units, the PDF's page count against what pdfkit really lays out, the CSV writer, and
// download links (expired, altered, another key).
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { categoryOfMcc, isMcc } from '../../src/services/insights/categories.js';
import { averageAmount, compareCategories, type MonthFigures } from '../../src/services/insights/insights.js';
import { createStatementLinks, type StatementLink } from '../../src/services/statements/downloadLinks.js';
import { parseStatementPeriod } from '../../src/services/statements/periods.js';
import { writeStatementCsv } from '../../src/services/statements/statementCsv.js';
import type { StatementDocument } from '../../src/services/statements/statementDocument.js';
import type { StatementLine } from '../../src/services/statements/statementLedger.js';
import { groupedAmount, printable, statementPageCount, writeStatementPdf } from '../../src/services/statements/statementPdf.js';
import { canonicalTimeZone, monthBounds, startOfLocalDay } from '../../src/services/time/timeZones.js';

describe('time zones', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['europe/paris', 'Europe/Paris'],
    ['US/Eastern', 'America/New_York'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['+05:00', null],
    ['Mars/Olympus_Mons', null],
    ['', null],
    ['Europe/Paris; DROP TABLE users', null],
  ])('canonicalTimeZone(%j) = %j', (name, zone) => {
    expect(canonicalTimeZone(name)).toBe(zone);
  });

  it.each([
    ['UTC', 2026, 11, 1, '2026-11-01T00:00:00.000Z'],
    ['Asia/Kolkata', 2026, 11, 1, '2026-10-31T18:30:00.000Z'],
    ['Pacific/Kiritimati', 2026, 12, 1, '2026-11-30T10:00:00.000Z'],
    ['America/Los_Angeles', 2026, 12, 1, '2026-12-01T08:00:00.000Z'],
    // The day the clocks go forward (at 02:00) and back (at 03:00) in Paris: midnight itself is ordinary.
    ['Europe/Paris', 2026, 3, 29, '2026-03-28T23:00:00.000Z'],
    ['Europe/Paris', 2026, 10, 25, '2026-10-24T22:00:00.000Z'],
    // Santiago skips from 24:00 to 01:00 on 6 September: the day begins at the jump.
    ['America/Santiago', 2026, 9, 6, '2026-09-06T04:00:00.000Z'],
    ['America/Santiago', 2026, 9, 5, '2026-09-05T04:00:00.000Z'],
    // ...and goes back from 24:00 to 23:00 on 4 April: 5 April's midnight happens once, an hour later.
    ['America/Santiago', 2026, 4, 5, '2026-04-05T04:00:00.000Z'],
  ])('startOfLocalDay in %s of %i-%i-%i', (zone, year, month, day, instant) => {
    expect(startOfLocalDay({ year, month, day }, zone).toISOString()).toBe(instant);
  });

  it('a month runs from its first local midnight to the next month’s, across the year', () => {
    const { startsAt, endsAt } = monthBounds({ year: 2026, month: 12 }, 'Europe/Paris');
    expect([startsAt.toISOString(), endsAt.toISOString()]).toEqual(['2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z']);
  });
});

describe('statement periods', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const parsed = (input: Record<string, string>) => parseStatementPeriod(input, { defaultTimeZone: 'UTC', maxDays: 366, now });

  it('a month, in the zone asked for or the default', () => {
    const month = parsed({ month: '2026-11', timeZone: 'Asia/Tokyo' });
    expect(month).toEqual({
      ok: true,
      value: {
        kind: 'MONTH',
        month: '2026-11',
        from: '2026-11-01',
        to: '2026-11-30',
        timeZone: 'Asia/Tokyo',
        startsAt: new Date('2026-10-31T15:00:00Z'),
        endsAt: new Date('2026-11-30T15:00:00Z'),
      },
    });
    expect(parsed({ month: '2026-12' }).ok).toBe(true);
  });

  it('a range of days, both included', () => {
    const range = parsed({ from: '2026-02-27', to: '2026-03-01' });
    expect(range.ok && [range.value.startsAt.toISOString(), range.value.endsAt.toISOString()]).toEqual([
      '2026-02-27T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
    ]);
    expect(parsed({ from: '2025-12-05', to: '2026-12-05' }).ok).toBe(true); // 366 days
  });

  it.each([
    [{ from: '2026-11-10', to: '2026-11-09' }, ['period', 'to']],
    [{ from: '2025-12-04', to: '2026-12-05' }, ['period', 'to']], // 367 days
    [{ from: '2026-12-05', to: '2026-12-06' }, ['period', 'from']], // the future
    [{ month: '2027-01' }, ['period', 'month']],
    [{ month: '26-11' }, ['period', 'month']],
    [{ from: '2026-11-31', to: '2026-12-01' }, ['period', 'from']],
    [{ to: '2026-12-01' }, ['period', 'from']],
    [{}, ['period']],
    [{ month: '2026-11', timeZone: 'GMT+5' }, ['period', 'timeZone']],
  ])('%j is refused naming %j', (input, field) => {
    const result = parsed(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.field).toEqual(field);
  });
});

describe('spending categories', () => {
  it.each([
    ['5411', 'GROCERIES'],
    ['5812', 'DINING'],
    ['5814', 'DINING'],
    ['3000', 'TRAVEL'],
    ['7011', 'TRAVEL'],
    ['4511', 'TRAVEL'],
    ['4111', 'TRANSPORT'],
    ['5541', 'TRANSPORT'],
    ['4900', 'UTILITIES'],
    ['5651', 'SHOPPING'],
    ['5912', 'HEALTH'],
    ['8062', 'HEALTH'],
    ['8220', 'EDUCATION'],
    ['6300', 'FINANCIAL'],
    ['7832', 'ENTERTAINMENT'],
    ['8111', 'SERVICES'],
    ['9311', 'GOVERNMENT'],
    ['0000', 'OTHER'],
  ])('MCC %s is %s', (mcc, category) => {
    expect(categoryOfMcc(mcc)).toBe(category);
  });

  it('an MCC is four digits', () => {
    expect([isMcc('5812'), isMcc('581'), isMcc('58120'), isMcc('58a2'), isMcc(' 5812')]).toEqual([true, false, false, false, false]);
  });

  it('averages round half away from zero, in minor units', () => {
    expect([
      averageAmount([1n, 1n, 2n]),
      averageAmount([1n, 2n, 2n]),
      averageAmount([-1n, -2n, -2n]),
      averageAmount([1n, 0n]),
      averageAmount([]),
    ]).toEqual([1n, 2n, -2n, 1n, 0n]);
  });

  it('categories seen in any compared month are kept, most spent first', () => {
    const month = (m: string, categories: MonthFigures['categories']): MonthFigures => ({
      month: m,
      totalIn: 0n,
      totalOut: 0n,
      categories,
      counterparties: [],
      largest: [],
    });
    const compared = compareCategories(month('2026-11', [{ category: 'DINING', in: 0n, out: 500n, transactions: 2 }]), [
      month('2026-10', [{ category: 'GROCERIES', in: 0n, out: 300n, transactions: 1 }]),
      month('2026-09', []),
      month('2026-08', [{ category: 'GROCERIES', in: 0n, out: 100n, transactions: 1 }]),
    ]);
    expect(compared.map((c) => [c.category, c.out, c.previousOut, c.averageOut])).toEqual([
      ['DINING', 500n, 0n, 0n],
      ['GROCERIES', 0n, 300n, 133n],
    ]);
  });
});

const doc = (lineCount: number, currency = 'USD'): StatementDocument => ({
  ownerName: 'Zoë Łukasiewicz',
  walletLabel: `${currency} wallet`,
  walletRef: 'V2FsbGV0OjEyMw==',
  currency,
  period: {
    kind: 'RANGE',
    month: null,
    from: '2026-11-01',
    to: '2026-11-30',
    timeZone: 'Europe/Paris',
    startsAt: new Date('2026-10-31T23:00:00Z'),
    endsAt: new Date('2026-11-30T23:00:00Z'),
  },
  openingBalance: 1000n,
  closingBalance: 1000n + BigInt(lineCount) * 5n,
  lineCount,
  generatedAt: new Date('2026-12-04T12:00:00Z'),
});

async function* linesOf(count: number): AsyncIterable<StatementLine> {
  for (let i = 1; i <= count; i++) {
    yield {
      sequence: BigInt(i),
      transactionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      createdAt: new Date(Date.UTC(2026, 10, 1, 12) + i * 60_000),
      type: i % 2 ? 'P2P_TRANSFER' : 'PAYMENT',
      counterparty: i % 3 ? 'A counterparty with a rather long display name indeed' : 'Bob',
      note: i % 2 ? 'Dinner, "split", and more\nthan one line' : null,
      amount: i % 2 ? 10n : -5n,
      balanceAfter: 1000n + BigInt(Math.ceil(i / 2)) * 10n - BigInt(Math.floor(i / 2)) * 5n,
    };
  }
}

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  out.end();
  return Buffer.concat(chunks);
}

describe('statement documents', () => {
  it('the PDF has as many pages as statementPageCount says, around every page break', async () => {
    const counts = [0, 1, 38, 39, 40, 41, 60, 95, 96, 97, 150];
    for (const lines of counts) {
      const d = { ...doc(lines), closingBalance: 1000n + BigInt(Math.ceil(lines / 2)) * 10n - BigInt(Math.floor(lines / 2)) * 5n };
      const pdf = await collect((out) => writeStatementPdf(d, linesOf(lines), out));
      const pages = pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length;
      expect(pages, `${lines} lines`).toBe(statementPageCount(lines));
    }
  });

  it('the CSV is RFC 4180 with the opening, the lines, the closing and the totals', async () => {
    const d = { ...doc(3, 'KWD'), openingBalance: 1000n, closingBalance: 1015n };
    const csv = await collect((out) => writeStatementCsv(d, linesOf(3), out));
    expect(csv.toString().split('\r\n')[0]).toBe('date,type,counterparty,note,amount,balance_after,currency,transaction_id');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.type)).toEqual([
      'OPENING_BALANCE',
      'P2P_TRANSFER',
      'PAYMENT',
      'P2P_TRANSFER',
      'CLOSING_BALANCE',
      'TOTAL_IN',
      'TOTAL_OUT',
      'TOTAL_FEES',
    ]);
    expect(rows[0]).toMatchObject({ date: '2026-11-01T00:00:00+01:00', balance_after: '1.000', currency: 'KWD' });
    expect(rows[1]).toMatchObject({ date: '2026-11-01T13:01:00+01:00', amount: '0.010', note: 'Dinner, "split", and more\nthan one line' });
    expect(rows.slice(4).map((r) => r.amount || r.balance_after)).toEqual(['1.015', '0.020', '-0.005', '0.000']);
  });

  it('PDF text: amounts grouped, characters outside Windows-1252 shown as "?"', () => {
    expect(groupedAmount(-123456789n, 'USD')).toBe('-1,234,567.89');
    expect(groupedAmount(1234567n, 'JPY')).toBe('1,234,567');
    expect(groupedAmount(1234n, 'KWD')).toBe('1.234');
    expect(printable('Zoë Łukasz – 東京\t€')).toBe('Zoë ?ukasz – ?? €');
  });
});

describe('download links', () => {
  const link: StatementLink = {
    userId: '00000000-0000-4000-8000-000000000001',
    sessionId: '00000000-0000-4000-8000-000000000002',
    walletId: '00000000-0000-4000-8000-000000000003',
    format: 'PDF',
    statementId: null,
    openingSequence: 10n,
    closingSequence: 2n ** 62n,
    period: doc(0).period,
  };
  const secret = 'a-test-secret-a-test-secret-a-test-secret';

  it('round-trip while fresh; expired, altered or signed with another secret: nothing', async () => {
    const links = createStatementLinks({ jwtSecret: secret, ttlSeconds: 300 });
    const { token, expiresAt } = await links.sign(link);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(290_000);
    expect(await links.verify(token)).toEqual(link);
    expect(await links.verify(`${token.slice(0, -2)}xx`)).toBeNull();
    expect(await createStatementLinks({ jwtSecret: `${secret}!`, ttlSeconds: 300 }).verify(token)).toBeNull();
    const stale = await createStatementLinks({ jwtSecret: secret, ttlSeconds: -60 }).sign(link);
    expect(await links.verify(stale.token)).toBeNull();
    expect(await links.verify('not a token')).toBeNull();
  });
});
