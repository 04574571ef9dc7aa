// A statement as a PDF (pdfkit, A4): the holder's name, the wallet and the period on the first
// page with the opening and closing balances; a table of the lines that runs over as many pages as
// it needs, its column headings repeated on each; "Page n of N" on every page; the totals after
// the last line. Written page by page as the lines arrive: a finished page goes to the sink and
// is not kept (pdfkit keeps only its page tree, about 1 KB a page), so memory stays flat.
//
// Rows have a fixed height (text that does not fit its column is cut with "…"), so the number of
// pages is known from the line count before the first line is read. The standard Helvetica font
// needs no file and is fast; it covers Windows-1252 (Western European letters), and characters
// outside it are printed as "?".
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { formatAmount } from '../money/money.js';
import { localDateTimeFormatter } from '../time/timeZones.js';
import { drained, type StatementDocument, type StatementTotals } from './statementDocument.js';
import { lineTotal, type StatementLine } from './statementLedger.js';

const PAGE = { width: 595.28, height: 841.89, margin: 40 };
const ROW_HEIGHT = 12;
const FONT_SIZE = 8;
const TABLE_TOP_FIRST = 215;
const TABLE_TOP_OTHER = 95;
const FOOTER_Y = PAGE.height - 32;
const TABLE_BOTTOM = FOOTER_Y - 14;
/** Height the totals block needs below the last row. */
const TOTALS_HEIGHT = 100;

const rowsFrom = (top: number) => Math.floor((TABLE_BOTTOM - (top + ROW_HEIGHT + 4)) / ROW_HEIGHT);
const ROWS_FIRST = rowsFrom(TABLE_TOP_FIRST);
const ROWS_OTHER = rowsFrom(TABLE_TOP_OTHER);

/** Pages a statement of `lines` lines takes (the totals block included). */
export function statementPageCount(lines: number): number {
  const onFirst = Math.min(lines, ROWS_FIRST);
  const rest = lines - onFirst;
  const pages = 1 + Math.ceil(rest / ROWS_OTHER);
  const top = pages === 1 ? TABLE_TOP_FIRST : TABLE_TOP_OTHER;
  const rowsOnLast = pages === 1 ? onFirst : rest - (pages - 2) * ROWS_OTHER;
  const lastRowBottom = top + ROW_HEIGHT + 4 + rowsOnLast * ROW_HEIGHT;
  return lastRowBottom + TOTALS_HEIGHT > TABLE_BOTTOM ? pages + 1 : pages;
}

interface Column {
  title: string;
  x: number;
  width: number;
  align: 'left' | 'right';
}

const COLUMNS = {
  date: { title: 'Date', x: PAGE.margin, width: 66, align: 'left' },
  type: { title: 'Type', x: 110, width: 50, align: 'left' },
  counterparty: { title: 'Counterparty', x: 164, width: 110, align: 'left' },
  note: { title: 'Note', x: 278, width: 137, align: 'left' },
  amount: { title: 'Amount', x: 419, width: 66, align: 'right' },
  balance: { title: 'Balance', x: 489, width: 66, align: 'right' },
} satisfies Record<string, Column>;

const TYPE_LABELS: Record<StatementLine['type'], string> = {
  P2P_TRANSFER: 'Transfer',
  ADJUSTMENT: 'Adjustment',
  DEPOSIT: 'Top-up',
  WITHDRAWAL: 'Withdrawal',
  PAYMENT: 'Payment',
  REFUND: 'Refund',
  FEE: 'Fee',
  REVERSAL: 'Reversal',
};

// Windows-1252 beyond Latin-1: what Helvetica's standard encoding can show.
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Text Helvetica can print: controls become spaces, other characters outside Windows-1252 "?". */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else if (code < 0x100 || CP1252_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}

/** "-1234567.50" → "-1,234,567.50" */
export function groupedAmount(amount: bigint, currency: string): string {
  const text = formatAmount(amount, currency);
  const [whole, fraction] = text.split('.');
  const sign = whole!.startsWith('-') ? '-' : '';
  const digits = sign ? whole!.slice(1) : whole!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Writes the PDF to `out` (not ended); answers the totals the lines added up to. */
export async function writeStatementPdf(
  doc: StatementDocument,
  lines: AsyncIterable<StatementLine>,
  out: Writable,
): Promise<StatementTotals> {
  const { currency } = doc;
  const pages = statementPageCount(doc.lineCount);
  const localTime = localDateTimeFormatter(doc.period.timeZone);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    autoFirstPage: false,
    bufferPages: false,
    info: {
      Title: `Statement ${doc.period.from} to ${doc.period.to}`,
      Author: 'Wallet',
      Subject: `${doc.walletLabel} statement`,
      CreationDate: doc.generatedAt,
    },
  });
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  pdf.on('data', (chunk: Buffer) => out.write(chunk));

  const text = (value: string, x: number, y: number) => pdf.text(value, x, y, { lineBreak: false });
  /** Cuts text to the column's width with "…" (cheap when it obviously fits: no glyph is wider than 1 em). */
  const fitted = (value: string, width: number) => {
    const clean = printable(value);
    if (clean.length * FONT_SIZE <= width || pdf.widthOfString(clean) <= width) return clean;
    let cut = clean;
    while (cut.length > 0 && pdf.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
    return `${cut.trimEnd()}…`;
  };
  const cell = (column: Column, value: string, y: number) => {
    if (column.align === 'right') text(value, column.x + column.width - pdf.widthOfString(value), y);
    else text(fitted(value, column.width), column.x, y);
  };

  let page = 0;
  let y = 0;
  const rule = (at: number, width = 0.5) =>
    pdf
      .moveTo(PAGE.margin, at)
      .lineTo(PAGE.width - PAGE.margin, at)
      .lineWidth(width)
      .strokeColor('#999999')
      .stroke();

  const period = `${doc.period.from} to ${doc.period.to} (${doc.period.timeZone})`;
  function startPage() {
    pdf.addPage();
    page += 1;
    pdf.fillColor('#000000').font('Helvetica-Bold').fontSize(14);
    text('Statement', PAGE.margin, PAGE.margin);
    pdf.font('Helvetica').fontSize(FONT_SIZE);
    const heading = fitted(`${doc.ownerName} · ${doc.walletLabel} · ${period}`, 330);
    text(heading, PAGE.width - PAGE.margin - pdf.widthOfString(heading), PAGE.margin + 4);
    let top = TABLE_TOP_OTHER;
    if (page === 1) {
      top = TABLE_TOP_FIRST;
      const facts: [string, string][] = [
        ['Account holder', doc.ownerName],
        ['Wallet', `${doc.walletLabel} (${doc.walletRef})`],
        ['Period', period],
        ['Opening balance', `${groupedAmount(doc.openingBalance, currency)} ${currency}`],
        ['Closing balance', `${groupedAmount(doc.closingBalance, currency)} ${currency}`],
        ['Transactions', doc.lineCount.toLocaleString('en-US')],
      ];
      pdf.fontSize(9);
      facts.forEach(([label, value], i) => {
        pdf.font('Helvetica-Bold');
        text(label, PAGE.margin, 80 + i * 16);
        pdf.font('Helvetica');
        text(fitted(value, 420), PAGE.margin + 95, 80 + i * 16);
      });
      pdf.fontSize(FONT_SIZE);
    }
    pdf.font('Helvetica-Bold');
    for (const column of Object.values(COLUMNS)) {
      const title = column === COLUMNS.amount || column === COLUMNS.balance ? `${column.title} (${currency})` : column.title;
      cell(column, title, top);
    }
    rule(top + ROW_HEIGHT);
    pdf.font('Helvetica');
    y = top + ROW_HEIGHT + 4;
    pdf.fillColor('#666666');
    text(`Generated ${localTime(doc.generatedAt)} (${doc.period.timeZone})`, PAGE.margin, FOOTER_Y);
    const numbering = `Page ${page} of ${pages}`;
    text(numbering, PAGE.width - PAGE.margin - pdf.widthOfString(numbering), FOOTER_Y);
    pdf.fillColor('#000000');
  }

  const totals: StatementTotals = { in: 0n, out: 0n, fees: 0n, lines: 0 };
  startPage();
  for await (const line of lines) {
    if (y + ROW_HEIGHT > TABLE_BOTTOM) {
      startPage();
      await drained(out);
    }
    const where = lineTotal(line);
    if (where === 'in') totals.in += line.amount;
    else if (where === 'out') totals.out -= line.amount;
    else totals.fees -= line.amount;
    totals.lines += 1;
    cell(COLUMNS.date, localTime(line.createdAt), y);
    cell(COLUMNS.type, TYPE_LABELS[line.type], y);
    cell(COLUMNS.counterparty, line.counterparty, y);
    cell(COLUMNS.note, line.note ?? '', y);
    cell(COLUMNS.amount, groupedAmount(line.amount, currency), y);
    cell(COLUMNS.balance, groupedAmount(line.balanceAfter, currency), y);
    y += ROW_HEIGHT;
  }
  if (y + TOTALS_HEIGHT > TABLE_BOTTOM) startPage();
  rule(y + 2, 1);
  const summary: [string, bigint][] = [
    ['Opening balance', doc.openingBalance],
    ['Money in', totals.in],
    ['Money out', -totals.out],
    ['Fees', -totals.fees],
    ['Closing balance', doc.closingBalance],
  ];
  pdf.fontSize(9);
  summary.forEach(([label, amount], i) => {
    const at = y + 10 + i * 14;
    pdf.font(i === 0 || i === summary.length - 1 ? 'Helvetica-Bold' : 'Helvetica');
    text(label, COLUMNS.note.x, at);
    const value = `${groupedAmount(amount, currency)} ${currency}`;
    text(value, COLUMNS.balance.x + COLUMNS.balance.width - pdf.widthOfString(value), at);
  });
  pdf.end();
  await ended;
  await drained(out);
  if (page !== pages) throw new Error(`statement PDF has ${page} pages, ${pages} were numbered`);
  return totals;
}
