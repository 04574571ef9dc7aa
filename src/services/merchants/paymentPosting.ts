// What paying and refunding share inside their ledger transaction: posting, with a refusal of the
// first request (the payment or refund itself) worded for the caller by the ledger's table.
import { refuseWith, type LedgerCaller, type LedgerTransaction, type TransferRequest, type TransferResult } from '../ledger/ledger.js';

/** Posts the requests; a refusal of the first is thrown (for `refusable`), everything rolling back. */
export async function postOrRefuse(
  ledger: LedgerTransaction,
  requests: TransferRequest[],
  caller: LedgerCaller,
): Promise<TransferResult[]> {
  const results = await ledger.post(requests);
  const first = results[0]!;
  if (!first.ok) refuseWith(first, caller);
  return results;
}
