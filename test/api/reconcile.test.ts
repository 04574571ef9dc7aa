// Reconciliation: operations stuck in PENDING are settled from what the processor knows (also by
// the scheduled job), and the processors' daily settlement reports are compared with the ledger:
// money they moved that we do not know, amounts that differ, money we posted that they never
// moved. `npm run reconcile` prints the same and exits 1 on a mismatch.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { usingPostgres } from '../helpers/testDatabase.js';
import { startTestServer, STRONG_PASSWORD, testEnv, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { verifyEmail } from '../helpers/people.js';
import { decodeId as decode } from '../helpers/globalIds.js';

const RcSignUp = graphql(`
  mutation RcSignUp($input: SignUpInput!) { signUp(input: $input) { tokens { accessToken } } }
`);
const RcAddCard = graphql(`
  mutation RcAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } } }
`);
const RcAddFunds = graphql(`
  mutation RcAddFunds($input: AddFundsInput!) { addFunds(input: $input) { funding { id status } userErrors { code } } }
`);
const RcFunding = graphql(`query RcFunding($id: ID!) { node(id: $id) { ... on FundingOperation { status } } }`);

const TIMEOUT_CARD = '4000000000000101';
const today = () => new Date().toISOString().slice(0, 10);

async function customer(s: TestServer) {
  const email = uniqueEmail('rc');
  const token = (await s.query(RcSignUp, { input: { email, password: STRONG_PASSWORD, displayName: 'Rc' } })).signUp.tokens!.accessToken;
  // Adding a card needs a recent second factor: the email's code gives one.
  await verifyEmail(s, { email, token });
  const card = async (number: string) =>
    (
      await s.query(
        RcAddCard,
        { input: { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123', holderName: 'Rc' } },
        { token },
      )
    ).addCard.paymentMethod!.id;
  const deposit = async (paymentMethodId: string, amount: string) =>
    (
      await s.query(
        RcAddFunds,
        { input: { paymentMethodId, amount: { amount, currency: 'USD' }, idempotencyKey: randomUUID() } },
        { token },
      )
    ).addFunds.funding!.id;
  const until = async (id: string, status: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const f = (await s.query(RcFunding, { id }, { token })).node as { status: string };
      if (f.status === status) return;
      if (Date.now() > deadline) throw new Error(`stayed ${f.status}, expected ${status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { token, card, deposit, until };
}

describe('reconciliation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ RECONCILE_SCHEDULE: 'off' });
  });
  afterAll(async () => {
    if (t) await expectLedgerConsistent(t);
    await t?.stop();
  });

  it("settles a stuck deposit from the processor and finds every kind of mismatch in the day's reports", async () => {
    const c = await customer(t);
    const visa = await c.card('4242424242424242');
    const [ok, differs, unsettled] = [await c.deposit(visa, '10.00'), await c.deposit(visa, '11.00'), await c.deposit(visa, '12.00')];
    for (const id of [ok, differs, unsettled]) await c.until(id, 'SUCCEEDED');
    const stuck = await c.deposit(await c.card(TIMEOUT_CARD), '13.00');
    await new Promise((r) => setTimeout(r, 100));

    const clean = await t.server.services.funding.reconcile({ olderThanSeconds: 0 });
    expect(clean.resolved).toEqual([{ id: decode(stuck), state: 'succeeded' }]);
    expect(clean.mismatches).toEqual([]);
    await c.until(stuck, 'SUCCEEDED');

    // Now make the processor's records and ours disagree, one way each.
    const sql = t.server.db.prisma;
    const stranger = randomUUID();
    await sql.$executeRaw`
      INSERT INTO sandbox.movements (reference, provider, kind, provider_ref, state, amount, currency, settled_at)
      VALUES (${stranger}, 'card', 'charge', ${`ch_${stranger.slice(0, 8)}`}, 'succeeded', 999, 'USD', now())`;
    await sql.$executeRaw`UPDATE sandbox.movements SET amount = amount + 1 WHERE reference = ${decode(differs)}`;
    await sql.$executeRaw`DELETE FROM sandbox.movements WHERE reference = ${decode(unsettled)}`;

    const report = await t.server.services.funding.reconcile({ olderThanSeconds: 0, day: today() });
    expect(report.mismatches.map((m) => [m.provider, m.reference, m.problem]).sort()).toEqual(
      [
        ['card', stranger, 'UNKNOWN_TO_LEDGER'],
        ['card', decode(differs), 'AMOUNT_DIFFERS'],
        ['card', decode(unsettled), 'NOT_SETTLED_BY_PROCESSOR'],
      ].sort(),
    );
    // Another day's reports hold none of today's movements.
    expect((await t.server.services.funding.reconcile({ olderThanSeconds: 0, day: '2020-01-01' })).mismatches).toEqual([]);

    if (usingPostgres) {
      // The same from the command line, against the same database.
      const env = { ...process.env, ...testEnv(t.db.env), LOG_LEVEL: 'warn' };
      const run = promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/reconcile.ts', '--day', today(), '--pending-after', '0'],
        { env },
      );
      const failed = await run.then(
        () => null,
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed!.stdout).toContain(`settlement reports of ${today()}`);
      expect(failed!.stderr).toContain(`MISMATCH card ${stranger} UNKNOWN_TO_LEDGER`);
      expect(failed!.stderr).toContain(`MISMATCH card ${decode(differs)} AMOUNT_DIFFERS`);
      expect(failed!.stderr).toContain('3 mismatch(es)');
      await sql.$executeRaw`DELETE FROM sandbox.movements WHERE reference = ${stranger}`;
      await sql.$executeRaw`UPDATE sandbox.movements SET amount = amount - 1 WHERE reference = ${decode(differs)}`;
      await sql.$executeRaw`
        INSERT INTO sandbox.movements (reference, provider, kind, provider_ref, state, amount, currency, settled_at)
        SELECT id::text, 'card', 'charge', provider_ref, 'succeeded', amount, currency, now() FROM funding_operations WHERE id = ${decode(unsettled)}::uuid`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/reconcile.ts', '--day', today()], {
        env,
      });
      expect(stdout).toContain(`settlement reports of ${today()} match the ledger`);
    }
  });
});

describe('the scheduled job', () => {
  let s: TestServer;
  beforeAll(async () => {
    // Every second, for anything pending at all.
    s = await startTestServer({ RECONCILE_SCHEDULE: '* * * * * *', RECONCILE_PENDING_AFTER_SECONDS: '0' });
  });
  afterAll(async () => {
    if (s) await expectLedgerConsistent(s);
    await s?.stop();
  });

  it('settles a deposit whose result never arrived, without anyone asking', async () => {
    const c = await customer(s);
    const stuck = await c.deposit(await c.card(TIMEOUT_CARD), '21.00');
    await c.until(stuck, 'SUCCEEDED');
  });
});
