// Only src/services/ledger/ writes money state (docs/ledger.md). The check `npm run lint` runs
// (scripts/ledgerWrites.ts) finds each way of writing it elsewhere, and finds none in src/.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the samples are source code that holds template literals
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLedgerWrites, ledgerWritesOutsideLedger } from '../../scripts/ledgerWrites.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const writesIn = (code: string) => findLedgerWrites('src/services/example.ts', code).map((w) => w.what);

describe('the ledger-writes check', () => {
  it('finds SQL that writes the ledger tables, money columns of wallets, or calls the ledger functions', () => {
    expect(writesIn("await tx.$executeRaw`UPDATE ledger_transactions SET status = 'DECLINED' WHERE id = ${id}::uuid`;")).toEqual([
      'writes ledger_transactions (UPDATE)',
    ]);
    expect(writesIn('await tx.$executeRaw`INSERT INTO holds (wallet_id, amount) VALUES (${w}, ${a})`;')).toEqual([
      'writes holds (INSERT INTO)',
    ]);
    expect(writesIn("await sql.query('delete from ledger_entries where id = $1', [id]);")).toEqual(['writes ledger_entries (DELETE FROM)']);
    expect(
      writesIn(
        'await tx.$executeRaw`\n  UPDATE wallets SET held_amount = held_amount + ${amount}, updated_at = now()\n  WHERE id = ${id}::uuid`;',
      ),
    ).toEqual(['sets wallets.held_amount']);
    expect(writesIn('await tx.$executeRaw`UPDATE wallets SET status = ${s}, sent_day = 0 WHERE id = ${id}::uuid`;')).toEqual([
      'sets wallets.sent_day',
    ]);
    expect(writesIn('await tx.$queryRaw`SELECT wallet_post_transfers(${json}::jsonb) AS result`;')).toEqual([
      'calls wallet_post_transfers()',
    ]);
    expect(writesIn('await tx.$queryRaw`SELECT wallet_count_funding(${w}::uuid, ${k}, ${a})`;')).toEqual(['calls wallet_count_funding()']);
  });

  it('finds Prisma calls that write the ledger models or money fields of a wallet', () => {
    expect(writesIn('await tx.hold.create({ data: { walletId, amount, reason } });')).toEqual(['writes hold through Prisma (create)']);
    expect(writesIn('await prisma.ledgerTransaction.updateMany({ where: { id }, data: { status: "REVERSED" } });')).toEqual([
      'writes ledgerTransaction through Prisma (updateMany)',
    ]);
    expect(writesIn('await tx.wallet.update({ where: { id }, data: { heldAmount: { increment: 5n } } });')).toEqual([
      'sets wallet.heldAmount through Prisma (update)',
    ]);
  });

  it("lets other code read the ledger, and change what is not money (a wallet's status, a new empty wallet)", () => {
    expect(writesIn('await sql`SELECT posted_balance - held_amount AS available FROM wallets WHERE id = ${id}`;')).toEqual([]);
    expect(writesIn('await tx.$executeRaw`UPDATE wallets SET status = ${status}, updated_at = now() WHERE id = ${id}::uuid`;')).toEqual([]);
    expect(writesIn("await tx.wallet.updateManyAndReturn({ where: { id }, data: { status: 'FROZEN' } });")).toEqual([]);
    expect(writesIn("await prisma.wallet.create({ data: { kind: 'USER', userId, currency } });")).toEqual([]);
    expect(writesIn('await tx.hold.findMany({ where: { walletId } });')).toEqual([]);
    expect(writesIn("const note = 'We update holds daily';")).toEqual([]);
  });

  it('finds no ledger write in src/ outside src/services/ledger/', () => {
    expect(ledgerWritesOutsideLedger(SRC)).toEqual([]);
  });
});
