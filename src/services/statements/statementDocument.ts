// What a statement document (CSV or PDF) shows besides its lines, and the one way both writers wait
// for a slow reader: a full sink is waited for, and a sink that closed (the client went away) stops
// the writer, so nothing is read from the ledger for nobody.
import type { Writable } from 'node:stream';
import type { StatementPeriod } from './periods.js';

export interface StatementDocument {
  ownerName: string;
  /** How the wallet is named on the document, e.g. "USD wallet". */
  walletLabel: string;
  /** The wallet's API id, printed so a statement can be matched to it. */
  walletRef: string;
  currency: string;
  period: StatementPeriod;
  openingBalance: bigint;
  closingBalance: bigint;
  /** Known before the lines are read (closing − opening sequence), so page counts are too. */
  lineCount: number;
  generatedAt: Date;
}

/** What the lines added up to, as written: totals are positive amounts. */
export interface StatementTotals {
  in: bigint;
  out: bigint;
  fees: bigint;
  lines: number;
}

export class StatementStreamClosed extends Error {
  override name = 'StatementStreamClosed';
  constructor() {
    super('the statement download was closed before it was complete');
  }
}

/** Resolves once `out` wants more (at once when it does); rejects when it closes first. */
export function drained(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.reject(new StatementStreamClosed());
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
    };
    const onDrain = () => {
      stop();
      resolve();
    };
    const onClose = () => {
      stop();
      reject(new StatementStreamClosed());
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}

/** Checks what was written against the figures the document was headed with. */
export function checkTotals(doc: StatementDocument, totals: StatementTotals): void {
  const moved = totals.in - totals.out - totals.fees;
  if (doc.openingBalance + moved !== doc.closingBalance || totals.lines !== doc.lineCount) {
    throw new Error(
      `statement lines do not add up: opening ${doc.openingBalance} + ${moved} != closing ${doc.closingBalance}, ${totals.lines} of ${doc.lineCount} lines`,
    );
  }
}
