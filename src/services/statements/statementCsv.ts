// A statement as CSV (RFC 4180, by csv-stringify): a header row, an OPENING_BALANCE row, one row
// per line, then CLOSING_BALANCE and the totals. Amounts are plain decimal strings with the
// currency's exact number of decimals ("-12.50", "1500", "0.125"); dates are ISO 8601 local times
// of the statement's zone with their offset ("2026-11-01T13:01:00+01:00"). Written as the lines arrive, waiting for the
// sink whenever it is full, so memory does not grow with the statement.
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { formatAmount } from '../money/money.js';
import { localIsoFormatter } from '../time/timeZones.js';
import { drained, type StatementDocument, type StatementTotals } from './statementDocument.js';
import { lineTotal, type StatementLine } from './statementLedger.js';

export const CSV_COLUMNS = ['date', 'type', 'counterparty', 'note', 'amount', 'balance_after', 'currency', 'transaction_id'] as const;

/** Writes the CSV to `out` (not ended); answers the totals the lines added up to. */
export async function writeStatementCsv(
  doc: StatementDocument,
  lines: AsyncIterable<StatementLine>,
  out: Writable,
): Promise<StatementTotals> {
  const { currency } = doc;
  const money = (amount: bigint) => formatAmount(amount, currency);
  const localTime = localIsoFormatter(doc.period.timeZone);
  const csv = stringify({
    header: true,
    columns: [...CSV_COLUMNS],
    // RFC 4180: CRLF between records.
    record_delimiter: 'windows',
  });
  const finished = new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    csv.on('end', resolve);
  });
  csv.on('data', (chunk: Buffer) => out.write(chunk));
  const write = async (record: Record<(typeof CSV_COLUMNS)[number], string>) => {
    if (!csv.write(record)) await new Promise((resolve) => csv.once('drain', resolve));
    await drained(out);
  };
  const empty = { type: '', counterparty: '', note: '', amount: '', balance_after: '', transaction_id: '', currency };
  const startOfPeriod = localTime(doc.period.startsAt);
  const totals: StatementTotals = { in: 0n, out: 0n, fees: 0n, lines: 0 };
  await write({ ...empty, date: startOfPeriod, type: 'OPENING_BALANCE', balance_after: money(doc.openingBalance) });
  for await (const line of lines) {
    const where = lineTotal(line);
    if (where === 'in') totals.in += line.amount;
    else if (where === 'out') totals.out -= line.amount;
    else totals.fees -= line.amount;
    totals.lines += 1;
    await write({
      date: localTime(line.createdAt),
      type: line.type,
      counterparty: line.counterparty,
      note: line.note ?? '',
      amount: money(line.amount),
      balance_after: money(line.balanceAfter),
      currency,
      transaction_id: line.transactionId,
    });
  }
  const endOfPeriod = localTime(new Date(doc.period.endsAt.getTime() - 1));
  await write({ ...empty, date: endOfPeriod, type: 'CLOSING_BALANCE', balance_after: money(doc.closingBalance) });
  await write({ ...empty, date: endOfPeriod, type: 'TOTAL_IN', amount: money(totals.in) });
  await write({ ...empty, date: endOfPeriod, type: 'TOTAL_OUT', amount: money(-totals.out) });
  await write({ ...empty, date: endOfPeriod, type: 'TOTAL_FEES', amount: money(-totals.fees) });
  csv.end();
  await finished;
  return totals;
}
