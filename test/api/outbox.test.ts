// The outbox keeps only what is still to deliver, without a statement of its own per commit:
// rows published after one posting call are deleted by the next call's statement, what no call
// takes by the relay's pass, and what is left at shutdown before the process exits.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { withClient } from '../helpers/scratchDatabase.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'outbox.admin@example.com', password: 'Outbox-Keeper-2026!' };
const ObSend = graphql(`
  mutation ObSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { code } } }
`);

let t: TestServer;
let stopped = false;
beforeAll(async () => {
  // The relay's pass (which also deletes what no call took) runs once a minute here: only posting
  // calls delete published rows during the test.
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    OUTBOX_RELAY_INTERVAL_MS: '60000',
  });
});
afterAll(async () => {
  if (!stopped) await t?.stop();
});

const rowsOf = async (ids: string[]) =>
  (await t.server.db.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM outbox_events WHERE id = ANY(${ids}::bigint[])`).map(
    (r) => r.id,
  );
const newestRow = async () => (await t.server.db.prisma.$queryRaw<{ id: string }[]>`SELECT max(id)::text AS id FROM outbox_events`)[0]!.id;

it('deletes published rows in the next posting call, and what is left when the server stops', async () => {
  const admin = await signInAdmin(t, ADMIN);
  const [alice, bob] = [await signUpUser(t, { label: 'ob-a' }), await signUpUser(t, { label: 'ob-b' })];
  await credit(t, admin, alice.walletId, '10.00');
  const send = async () =>
    (
      await t.query(
        ObSend,
        { input: { recipient: { email: bob.email }, amount: { amount: '0.01', currency: 'USD' }, idempotencyKey: crypto.randomUUID() } },
        { token: alice.token },
      )
    ).sendMoney;

  expect((await send()).userErrors).toEqual([]);
  const first = await newestRow();
  expect(await rowsOf([first])).toEqual([first]); // published (or about to be), not deleted on its own

  // A later call deletes it in its own statement, once the publish has finished.
  let later = first;
  for (let i = 0; i < 20 && (await rowsOf([first])).length; i++) {
    expect((await send()).userErrors).toEqual([]);
    later = await newestRow();
  }
  expect(await rowsOf([first])).toEqual([]);
  expect(later).not.toBe(first);

  // What no call took is deleted at shutdown: nothing is published twice after a restart. (Read
  // after the stop on PostgreSQL; the embedded database stops with the server.)
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await rowsOf([later])).toEqual([later]);
  if (!process.env.DATABASE_URL) return;
  const url = t.server.db.url;
  await t.server.stop();
  stopped = true;
  try {
    const left = await withClient(url, async (c) => (await c.query('SELECT count(*)::int AS n FROM outbox_events')).rows[0].n as number);
    expect(left).toBe(0);
  } finally {
    await t.db.drop();
  }
});
