// What the ledger keeps about people besides ids, and how an erasure takes it out (issue 18, GDPR).
// The money stays as it was: entries, amounts, wallets and order are untouched (their seals still
// verify, `ledger:audit` still balances). Two things name a person:
// - a transaction's metadata.recipient: the email or phone a sender typed, kept so that sender's
//   history can show it. Removed from every transaction to or from the erased user's wallets.
// - an idempotency record's stored answer, replayed to a retry: it carries both sides' names.
//   Records the user made are deleted (nobody can retry as them any more); other people's that
//   mention them keep their answer with the user's name, email and phone replaced, so a retry
//   still replays and never moves money twice. Finding those is a scan of the live records (they
//   expire after IDEMPOTENCY_TTL_HOURS), filtered by the user's id: erasures are rare.
import type { Prisma } from '../../generated/prisma/client.js';

export interface ErasedPerson {
  userId: string;
  walletIds: string[];
  /** The values to take out of stored answers (name, email, phone), each replaced by `replacement`. */
  values: string[];
  replacement: string;
}

/** In `tx`, with the erasure's other changes: prisma/functions/ledger_forget_person.sql does it. */
export async function forgetPersonalDetails(tx: Prisma.TransactionClient, person: ErasedPerson): Promise<void> {
  await tx.$executeRaw`SELECT ledger_forget_person(${person.userId}::uuid, ${person.walletIds}::uuid[], ${person.values}::text[], ${person.replacement})`;
}
