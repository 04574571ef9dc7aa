// What paying and refunding share inside their ledger transaction: posting through the ledger
// with a refusal of the first request named by the caller's own input field.
import { refuse } from '../errors.js';
import type { LedgerTransaction, TransferRequest, TransferResult } from '../ledger/ledger.js';

/**
 * Posts the requests; a refusal of the first is thrown (for `refusable`) with the posting
 * function's field renamed by `fields` (it names the fields of sendMoney's input).
 */
export async function postOrRefuse(ledger: LedgerTransaction, requests: TransferRequest[], fields: Record<string, string>): Promise<TransferResult[]> {
  const results = await ledger.post(requests);
  const first = results[0]!;
  if (!first.ok) refuse(first.code, first.message, first.field ? (fields[first.field] ?? first.field) : undefined);
  return results;
}
