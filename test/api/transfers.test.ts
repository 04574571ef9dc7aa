// Wallets, P2P transfers, admin adjustments and history end to end, over real HTTP against a
// started server. Every refusal is checked to have moved nothing: balances, wallet sequences,
// ledger_transactions rows and the history of everyone involved are compared before and after.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import type { SendMoneyInput, TransactionFilter } from '../gql/graphql.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { decodeId as uuidOf } from '../helpers/globalIds.js';

const ADMIN_EMAIL = 'treasury@example.com';
const ADMIN_PASSWORD = 'Ledger-Keeper-2026!';

const SignUp = graphql(`
  mutation TransfersSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user { id email displayName phone }
      tokens { accessToken }
      userErrors { field code message }
    }
  }
`);

const SignIn = graphql(`
  mutation TransfersSignIn($input: SignInInput!) {
    signIn(input: $input) { user { id } tokens { accessToken } userErrors { code } }
  }
`);

const MyWallets = graphql(`
  query TransfersMyWallets {
    me {
      id
      wallets {
        id currency status sequence
        balance { posted { amount currency } available { amount currency } held { amount currency } }
      }
    }
  }
`);

const OpenWallet = graphql(`
  mutation TransfersOpenWallet($input: OpenWalletInput!) {
    openWallet(input: $input) {
      wallet { id currency status balance { posted { amount currency } } }
      userErrors { field code message }
    }
  }
`);

const TxFields = graphql(`
  fragment TransfersTx on Transaction {
    id type status direction note createdAt sequence
    amount { amount currency }
    balanceAfter { amount currency }
    counterparty { displayName isUser email phone }
    wallet { id }
  }
`);

const SendMoney = graphql(`
  mutation TransfersSendMoney($input: SendMoneyInput!) {
    sendMoney(input: $input) {
      transfer { ...TransfersTx }
      senderWallet { id balance { posted { amount currency } available { amount currency } } }
      replayed
      userErrors { field code message }
    }
  }
`);

const Adjust = graphql(`
  mutation TransfersAdjust($input: AdminAdjustBalanceInput!) {
    adminAdjustBalance(input: $input) {
      transaction { ...TransfersTx }
      wallet { id balance { posted { amount currency } } }
      replayed
      userErrors { field code message }
    }
  }
`);

const SetWalletStatus = graphql(`
  mutation TransfersSetWalletStatus($input: AdminSetWalletStatusInput!) {
    adminSetWalletStatus(input: $input) {
      wallet { id status }
      userErrors { field code message }
    }
  }
`);

const History = graphql(`
  query TransfersHistory($walletId: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: TransactionFilter) {
    transactions(walletId: $walletId, first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { cursor node { ...TransfersTx } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const WalletById = graphql(`
  query TransfersWalletById($id: ID!) {
    wallet(id: $id) { id currency balance { posted { amount currency } } }
  }
`);

const BalanceAt = graphql(`
  query TransfersBalanceAt($walletId: ID!, $at: DateTime!) {
    balanceAt(walletId: $walletId, at: $at) { amount currency }
  }
`);

const NodeById = graphql(`
  query TransfersNode($id: ID!) {
    node(id: $id) {
      id
      __typename
      ... on Wallet { currency }
      ... on Transaction { direction amount { amount } }
    }
  }
`);

void TxFields;

let t: TestServer;
let adminToken: string;
let adminUuid: string;

beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DEFAULT_CURRENCY: 'USD',
    MAX_TRANSFER_AMOUNT: '10000',
  });
  const signIn = (await t.query(SignIn, { input: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })).signIn;
  expect(signIn.userErrors).toEqual([]);
  adminToken = signIn.tokens!.accessToken;
  adminUuid = uuidOf(signIn.user!.id);
});

afterAll(async () => {
  if (!t) return;
  try {
    await expectLedgerConsistent(t);
  } finally {
    await t.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// Helpers

interface User {
  id: string;
  email: string;
  displayName: string;
  phone: string | null;
  token: string;
}

function walletGlobalId(uuid: string): string {
  return Buffer.from(`Wallet:${uuid}`).toString('base64');
}

let phoneCounter = 0;
/** A valid, unique E.164 number (London 020 7946 0xxx, reserved for drama). */
function uniquePhone(): string {
  phoneCounter += 1;
  return `+44207946${String(phoneCounter).padStart(4, '0')}`;
}

async function newUser(opts: { displayName?: string; phone?: string | null } = {}): Promise<User> {
  const input = {
    email: uniqueEmail('payer'),
    password: STRONG_PASSWORD,
    displayName: opts.displayName ?? `Payer ${randomUUID().slice(0, 8)}`,
    phone: opts.phone ?? null,
  };
  const { signUp } = await t.query(SignUp, { input });
  expect(signUp.userErrors).toEqual([]);
  return {
    id: signUp.user!.id,
    email: signUp.user!.email,
    displayName: signUp.user!.displayName,
    phone: signUp.user!.phone ?? null,
    token: signUp.tokens!.accessToken,
  };
}

async function walletsOf(u: User) {
  return (await t.query(MyWallets, {}, { token: u.token })).me.wallets;
}

async function walletOf(u: User, currency = 'USD') {
  const wallet = (await walletsOf(u)).find((w) => w.currency === currency);
  if (!wallet) throw new Error(`${u.email} has no ${currency} wallet`);
  return wallet;
}

async function postedOf(u: User, currency = 'USD'): Promise<string> {
  return (await walletOf(u, currency)).balance.posted.amount;
}

async function openWallet(u: User, currency: string) {
  const { openWallet } = await t.query(OpenWallet, { input: { currency } }, { token: u.token });
  expect(openWallet.userErrors).toEqual([]);
  return openWallet.wallet!;
}

async function adjust(
  walletId: string,
  amount: string,
  opts: { currency?: string; direction?: 'CREDIT' | 'DEBIT'; reason?: string; key?: string; token?: string } = {},
) {
  const { body } = await t.request(
    Adjust,
    {
      input: {
        walletId,
        amount: { amount, currency: opts.currency ?? 'USD' },
        direction: opts.direction ?? 'CREDIT',
        reason: opts.reason ?? 'test funding',
        idempotencyKey: opts.key ?? randomUUID(),
      },
    },
    { token: opts.token ?? adminToken },
  );
  return body;
}

/** Credits a user's wallet through the admin API; fails the test if refused. */
async function fund(u: User, amount: string, currency = 'USD') {
  const wallet = await walletOf(u, currency);
  const body = await adjust(wallet.id, amount, { currency });
  expect(body.errors).toBeUndefined();
  expect(body.data!.adminAdjustBalance.userErrors).toEqual([]);
  return body.data!.adminAdjustBalance.transaction!;
}

async function send(from: User, input: Partial<SendMoneyInput> & Pick<SendMoneyInput, 'recipient'>) {
  const full: SendMoneyInput = {
    amount: { amount: '1.00', currency: 'USD' },
    idempotencyKey: randomUUID(),
    ...input,
  };
  return (await t.query(SendMoney, { input: full }, { token: from.token })).sendMoney;
}

/** Sends and fails the test if refused; returns the transfer as the sender sees it. */
async function sendOk(from: User, input: Partial<SendMoneyInput> & Pick<SendMoneyInput, 'recipient'>) {
  const res = await send(from, input);
  expect(res.userErrors).toEqual([]);
  return res.transfer!;
}

async function history(
  u: User,
  walletId: string,
  args: { first?: number; after?: string; last?: number; before?: string; filter?: TransactionFilter } = {},
) {
  return (await t.query(History, { walletId, first: 100, ...args }, { token: u.token })).transactions;
}

async function historyIds(u: User, walletId: string, filter?: TransactionFilter): Promise<string[]> {
  return (await history(u, walletId, { filter })).edges.map((e) => e.node.id);
}

async function ledgerCount(where?: { key: string }): Promise<number> {
  const prisma = t.server.db.prisma;
  const rows = where
    ? await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*)::bigint AS n FROM ledger_transactions WHERE idempotency_key = ${where.key}`
    : await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*)::bigint AS n FROM ledger_transactions`;
  return Number(rows[0]!.n);
}

async function entryCount(): Promise<number> {
  const rows = await t.server.db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*)::bigint AS n FROM ledger_entries`;
  return Number(rows[0]!.n);
}

/** Everything a refused transfer must leave alone: ledger rows, and each user's wallets and history. */
async function snapshot(users: User[]) {
  const perUser = await Promise.all(
    users.map(async (u) => {
      const wallets = await walletsOf(u);
      const histories = await Promise.all(wallets.map((w) => historyIds(u, w.id)));
      return { wallets, histories };
    }),
  );
  return { transactions: await ledgerCount(), entries: await entryCount(), perUser };
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Sends, expects exactly one userError with that code and field, and that nothing moved. */
async function expectRefused(
  from: User,
  input: Partial<SendMoneyInput> & Pick<SendMoneyInput, 'recipient'>,
  expected: { code: string; field: string[] | null },
  observers: User[],
  before?: Snapshot,
) {
  const start = before ?? (await snapshot(observers));
  const res = await send(from, input);
  expect(res.userErrors).toEqual([{ code: expected.code, field: expected.field, message: expect.any(String) }]);
  expect(res.transfer).toBeNull();
  expect(res.senderWallet).toBeNull();
  expect(await snapshot(observers)).toEqual(start);
  return res.userErrors[0]!;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------

describe('wallets', () => {
  it('gives every new user a USD wallet with zero balances as Money', async () => {
    const u = await newUser();
    const wallets = await walletsOf(u);
    expect(wallets).toEqual([
      {
        id: expect.any(String),
        currency: 'USD',
        status: 'ACTIVE',
        sequence: '0',
        balance: {
          posted: { amount: '0.00', currency: 'USD' },
          available: { amount: '0.00', currency: 'USD' },
          held: { amount: '0.00', currency: 'USD' },
        },
      },
    ]);
  });

  it('opens one wallet per supported currency, oldest first, and refuses a second or an unsupported one', async () => {
    const u = await newUser();
    const eur = await openWallet(u, 'EUR');
    expect(eur).toMatchObject({ currency: 'EUR', status: 'ACTIVE', balance: { posted: { amount: '0.00', currency: 'EUR' } } });
    const jpy = await openWallet(u, 'JPY');
    expect(jpy.balance.posted).toEqual({ amount: '0', currency: 'JPY' });
    const kwd = await openWallet(u, 'KWD');
    expect(kwd.balance.posted).toEqual({ amount: '0.000', currency: 'KWD' });

    const before = await walletsOf(u);
    expect(before.map((w) => w.currency)).toEqual(['USD', 'EUR', 'JPY', 'KWD']);
    expect(before[1]!.id).toBe(eur.id);

    const again = (await t.query(OpenWallet, { input: { currency: 'EUR' } }, { token: u.token })).openWallet;
    expect(again).toEqual({
      wallet: null,
      userErrors: [{ field: ['input', 'currency'], code: 'WALLET_EXISTS', message: expect.any(String) }],
    });

    // NOK is a valid ISO 4217 code, but not one this deployment supports.
    const nok = (await t.query(OpenWallet, { input: { currency: 'NOK' } }, { token: u.token })).openWallet;
    expect(nok).toEqual({
      wallet: null,
      userErrors: [{ field: ['input', 'currency'], code: 'UNSUPPORTED_CURRENCY', message: expect.stringContaining('NOK') }],
    });

    // Not a currency at all: refused by the scalar before reaching the service.
    const bogus = await t.request(OpenWallet, { input: { currency: 'XYZ' } }, { token: u.token });
    expect(bogus.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    expect(await walletsOf(u)).toEqual(before);
    const rows = await t.server.db.prisma.$queryRaw<{ currency: string }[]>`
      SELECT currency FROM wallets WHERE user_id = ${uuidOf(u.id)}::uuid ORDER BY created_at, currency`;
    expect(rows.map((r) => r.currency.trim()).sort()).toEqual(['EUR', 'JPY', 'KWD', 'USD']);
  });

  it("another user's EUR wallet is independent of mine", async () => {
    const a = await newUser();
    const b = await newUser();
    await openWallet(a, 'EUR');
    const bEur = await openWallet(b, 'EUR');
    expect(bEur.currency).toBe('EUR');
  });
});

describe('sendMoney: success', () => {
  it('pays by email (any case), moves exactly the amount, and shows each side what it may see', async () => {
    const alice = await newUser({ displayName: 'Alice Sender', phone: uniquePhone() });
    const bob = await newUser({ displayName: 'Bob Receiver', phone: uniquePhone() });
    await fund(alice, '100.00');
    const ledgerBefore = await ledgerCount();

    const typed = `  ${bob.email.toUpperCase()} `;
    const res = await send(alice, { recipient: { email: typed }, amount: { amount: '12.34', currency: 'USD' }, note: ' lunch ' });
    expect(res.userErrors).toEqual([]);
    expect(res.transfer).toMatchObject({
      type: 'P2P_TRANSFER',
      status: 'POSTED',
      direction: 'OUT',
      note: 'lunch',
      amount: { amount: '12.34', currency: 'USD' },
      balanceAfter: { amount: '87.66', currency: 'USD' },
      counterparty: { displayName: 'Bob Receiver', isUser: true, email: bob.email, phone: null },
    });
    expect(res.senderWallet?.balance).toEqual({
      posted: { amount: '87.66', currency: 'USD' },
      available: { amount: '87.66', currency: 'USD' },
    });
    expect(await postedOf(alice)).toBe('87.66');
    expect(await postedOf(bob)).toBe('12.34');
    expect(await ledgerCount()).toBe(ledgerBefore + 1);

    // The recipient sees the sender's name, never their email or phone.
    const bobWallet = await walletOf(bob);
    const seen = (await history(bob, bobWallet.id)).edges[0]!.node;
    expect(seen).toMatchObject({
      id: res.transfer!.id,
      direction: 'IN',
      note: 'lunch',
      amount: { amount: '12.34', currency: 'USD' },
      balanceAfter: { amount: '12.34', currency: 'USD' },
      counterparty: { displayName: 'Alice Sender', isUser: true, email: null, phone: null },
      wallet: { id: bobWallet.id },
    });
    const raw = await t.request(NodeById, { id: res.transfer!.id }, { token: bob.token });
    expect(raw.body.data?.node).toMatchObject({ __typename: 'Transaction', direction: 'IN' });
    const bobView = await t.request(History, { walletId: bobWallet.id, first: 5 }, { token: bob.token });
    expect(JSON.stringify(bobView.body)).not.toContain(alice.email);
    expect(JSON.stringify(bobView.body)).not.toContain(alice.phone!);
  });

  it('pays by phone (E.164, typed with spaces) and by walletId', async () => {
    const alice = await newUser({ displayName: 'Alice Phoner' });
    const phone = uniquePhone();
    const bob = await newUser({ displayName: 'Bob Mobile', phone: phone.replace('+44207946', '+44 20 7946 ') });
    expect(bob.phone).toBe(phone);
    await fund(alice, '50.00');

    const byPhone = await sendOk(alice, {
      recipient: { phone: phone.replace('+44207946', '+44 20 7946 ') },
      amount: { amount: '5.00', currency: 'USD' },
    });
    expect(byPhone.counterparty).toEqual({ displayName: 'Bob Mobile', isUser: true, email: null, phone });

    const bobWallet = await walletOf(bob);
    const byWallet = await sendOk(alice, { recipient: { walletId: bobWallet.id }, amount: { amount: '0.01', currency: 'USD' } });
    expect(byWallet.counterparty).toEqual({ displayName: 'Bob Mobile', isUser: true, email: null, phone: null });
    expect(byWallet.balanceAfter).toEqual({ amount: '44.99', currency: 'USD' });

    expect(await postedOf(alice)).toBe('44.99');
    expect(await postedOf(bob)).toBe('5.01');
    const bobHistory = await history(bob, bobWallet.id);
    expect(bobHistory.edges.map((e) => [e.node.id, e.node.amount.amount, e.node.counterparty.phone])).toEqual([
      [byWallet.id, '0.01', null],
      [byPhone.id, '5.00', null],
    ]);
  });

  it('sends all of the balance, in another currency too, and the sum over wallets is conserved', async () => {
    const a = await newUser();
    const b = await newUser();
    await openWallet(a, 'JPY');
    await openWallet(b, 'JPY');
    await fund(a, '7.77');
    await fund(a, '1500', 'JPY');
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '7.77', currency: 'USD' } });
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '1499', currency: 'JPY' } });
    expect((await walletsOf(a)).map((w) => w.balance.posted)).toEqual([
      { amount: '0.00', currency: 'USD' },
      { amount: '1', currency: 'JPY' },
    ]);
    expect((await walletsOf(b)).map((w) => w.balance.posted)).toEqual([
      { amount: '7.77', currency: 'USD' },
      { amount: '1499', currency: 'JPY' },
    ]);
    await expectLedgerConsistent(t);
  });
});

describe('sendMoney: every refusal moves nothing', () => {
  it('INSUFFICIENT_FUNDS one cent over the balance; the exact balance then goes', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '50.00');
    await expectRefused(
      a,
      { recipient: { email: b.email }, amount: { amount: '50.01', currency: 'USD' } },
      { code: 'INSUFFICIENT_FUNDS', field: ['input', 'amount'] },
      [a, b],
    );
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '50.00', currency: 'USD' } });
    expect(await postedOf(a)).toBe('0.00');
    await expectRefused(
      a,
      { recipient: { email: b.email }, amount: { amount: '0.01', currency: 'USD' } },
      { code: 'INSUFFICIENT_FUNDS', field: ['input', 'amount'] },
      [a, b],
    );
  });

  it('RECIPIENT_NOT_FOUND for an unknown email, phone or wallet', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '10.00');
    const code = { code: 'RECIPIENT_NOT_FOUND', field: ['input', 'recipient'] };
    await expectRefused(a, { recipient: { email: uniqueEmail('nobody') } }, code, [a, b]);
    await expectRefused(a, { recipient: { phone: uniquePhone() } }, code, [a, b]);
    await expectRefused(a, { recipient: { walletId: walletGlobalId(randomUUID()) } }, code, [a, b]);
  });

  it('SELF_TRANSFER by own email and by own walletId', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '10.00');
    const code = { code: 'SELF_TRANSFER', field: ['input', 'recipient'] };
    await expectRefused(a, { recipient: { email: a.email.toUpperCase() } }, code, [a, b]);
    await expectRefused(a, { recipient: { walletId: (await walletOf(a)).id } }, code, [a, b]);
  });

  it('CURRENCY_MISMATCH: a EUR walletId with a USD amount', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '10.00');
    const bEur = await openWallet(b, 'EUR');
    await expectRefused(
      a,
      { recipient: { walletId: bEur.id }, amount: { amount: '1.00', currency: 'USD' } },
      { code: 'CURRENCY_MISMATCH', field: ['input', 'amount', 'currency'] },
      [a, b],
    );
  });

  it.each([
    ['zero', '0', 'USD'],
    ['zero with decimals', '0.00', 'USD'],
    ['negative', '-5.00', 'USD'],
    ['more decimals than USD has', '1.001', 'USD'],
    ['a fraction of a yen', '1.5', 'JPY'],
    ['above MAX_TRANSFER_AMOUNT', '10000.01', 'USD'],
  ])('INVALID_AMOUNT: %s (%s %s)', async (_label, amount, currency) => {
    const a = await newUser();
    const b = await newUser();
    await openWallet(a, 'JPY');
    await openWallet(b, 'JPY');
    await fund(a, '10000.00');
    await fund(a, '10.00');
    await fund(a, '100', 'JPY');
    const error = await expectRefused(
      a,
      { recipient: { email: b.email }, amount: { amount, currency } },
      { code: 'INVALID_AMOUNT', field: ['input', 'amount', 'amount'] },
      [a, b],
    );
    if (amount === '10000.01') expect(error.message).toContain('10000.00 USD');
  });

  it('MAX_TRANSFER_AMOUNT itself is allowed', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '10000.00');
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '10000.00', currency: 'USD' } });
    expect(await postedOf(b)).toBe('10000.00');
  });

  it('RECIPIENT_HAS_NO_WALLET_IN_CURRENCY and NO_WALLET_IN_CURRENCY', async () => {
    const a = await newUser();
    const b = await newUser();
    await openWallet(a, 'EUR');
    await fund(a, '20.00', 'EUR');
    await expectRefused(
      a,
      { recipient: { email: b.email }, amount: { amount: '1.00', currency: 'EUR' } },
      { code: 'RECIPIENT_HAS_NO_WALLET_IN_CURRENCY', field: ['input', 'recipient'] },
      [a, b],
    );
    // c has no EUR wallet at all.
    const c = await newUser();
    await fund(c, '20.00');
    await expectRefused(
      c,
      { recipient: { email: a.email }, amount: { amount: '1.00', currency: 'EUR' } },
      { code: 'NO_WALLET_IN_CURRENCY', field: ['input', 'amount', 'currency'] },
      [a, c],
    );
    // Once the wallets exist, the same transfers go through.
    await openWallet(b, 'EUR');
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '1.00', currency: 'EUR' } });
    expect(await postedOf(b, 'EUR')).toBe('1.00');
  });

  it('WALLET_FROZEN for a frozen sender and, separately, a frozen recipient', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '30.00');
    await fund(b, '30.00');
    const aWallet = await walletOf(a);
    const bWallet = await walletOf(b);
    const setStatus = async (walletId: string, status: 'ACTIVE' | 'FROZEN') => {
      const res = (await t.query(SetWalletStatus, { input: { walletId, status } }, { token: adminToken })).adminSetWalletStatus;
      expect(res).toEqual({ wallet: { id: walletId, status }, userErrors: [] });
    };

    await setStatus(aWallet.id, 'FROZEN');
    expect((await walletOf(a)).status).toBe('FROZEN');
    await expectRefused(a, { recipient: { email: b.email } }, { code: 'WALLET_FROZEN', field: null }, [a, b]);
    // A frozen wallet cannot receive either.
    await expectRefused(b, { recipient: { email: a.email } }, { code: 'WALLET_FROZEN', field: ['input', 'recipient'] }, [a, b]);
    await setStatus(aWallet.id, 'ACTIVE');

    await setStatus(bWallet.id, 'FROZEN');
    await expectRefused(a, { recipient: { walletId: bWallet.id } }, { code: 'WALLET_FROZEN', field: ['input', 'recipient'] }, [a, b]);
    await setStatus(bWallet.id, 'ACTIVE');

    await sendOk(a, { recipient: { walletId: bWallet.id }, amount: { amount: '1.00', currency: 'USD' } });
    expect(await postedOf(b)).toBe('31.00');

    // Only admins change a wallet's status.
    const forbidden = await t.request(SetWalletStatus, { input: { walletId: aWallet.id, status: 'FROZEN' } }, { token: a.token });
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await walletOf(a)).status).toBe('ACTIVE');
  });

  it('INVALID_INPUT naming input.recipient for zero or two identifiers', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '10.00');
    const code = { code: 'INVALID_INPUT', field: ['input', 'recipient'] };
    await expectRefused(a, { recipient: {} }, code, [a, b]);
    await expectRefused(a, { recipient: { email: '' } }, code, [a, b]);
    await expectRefused(a, { recipient: { email: b.email, walletId: (await walletOf(b)).id } }, code, [a, b]);
    await expectRefused(a, { recipient: { email: b.email, phone: uniquePhone() } }, code, [a, b]);
  });

  it('IDEMPOTENCY_KEY_REUSED: the same key for another request', async () => {
    const a = await newUser();
    const b = await newUser();
    const c = await newUser();
    await fund(a, '10.00');
    const key = randomUUID();
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '1.00', currency: 'USD' }, idempotencyKey: key });
    const reused = { code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] };
    await expectRefused(a, { recipient: { email: c.email }, amount: { amount: '1.00', currency: 'USD' }, idempotencyKey: key }, reused, [
      a,
      b,
      c,
    ]);
    await expectRefused(
      a,
      { recipient: { email: b.email }, amount: { amount: '1.00', currency: 'USD' }, note: 'other', idempotencyKey: key },
      reused,
      [a, b, c],
    );
  });
});

describe('idempotency', () => {
  it('a sequential retry returns the same transfer and moves money once, also after later transfers', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '100.00');
    const key = randomUUID();
    const input = { recipient: { email: b.email }, amount: { amount: '10.00', currency: 'USD' }, note: 'rent', idempotencyKey: key };
    const firstAnswer = await send(a, input);
    expect(firstAnswer.replayed).toBe(false);
    const first = firstAnswer.transfer!;
    const retry = await send(a, input);
    expect(retry.replayed).toBe(true);
    expect(retry.transfer).toEqual(first);
    expect(await postedOf(a)).toBe('90.00');
    expect(await postedOf(b)).toBe('10.00');
    expect(await ledgerCount({ key })).toBe(1);

    // Other transfers happen; a late retry still answers with the first answer, moving nothing:
    // the same transfer, and the wallet as it was right after it (as payment APIs replay responses).
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '3.00', currency: 'USD' } });
    const before = await snapshot([a, b]);
    const late = await send(a, input);
    expect(late.userErrors).toEqual([]);
    expect(late.replayed).toBe(true);
    expect(late.transfer).toEqual(first);
    expect(late.senderWallet?.balance.posted.amount).toBe('90.00');
    expect(await postedOf(a)).toBe('87.00');
    expect(await snapshot([a, b])).toEqual(before);
    expect(await ledgerCount({ key })).toBe(1);
  });

  it('20 concurrent identical requests move the money once and agree on the transfer', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '100.00');
    const ledgerBefore = await ledgerCount();
    const key = randomUUID();
    const input: SendMoneyInput = { recipient: { email: b.email }, amount: { amount: '25.00', currency: 'USD' }, idempotencyKey: key };
    const results = await Promise.all(Array.from({ length: 20 }, () => send(a, input)));

    const ids = new Set(results.filter((r) => r.transfer).map((r) => r.transfer!.id));
    expect(ids.size).toBe(1);
    // One request did it; any other that got the transfer was answered from the stored answer.
    expect(results.filter((r) => r.transfer && !r.replayed)).toHaveLength(1);
    for (const r of results) {
      if (r.transfer) expect(r.userErrors).toEqual([]);
      else expect(r.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_IN_PROGRESS']);
    }
    expect(await ledgerCount({ key })).toBe(1);
    expect(await ledgerCount()).toBe(ledgerBefore + 1);
    expect(await postedOf(a)).toBe('75.00');
    expect(await postedOf(b)).toBe('25.00');
    // Any request that was told "in progress" now gets the committed answer.
    const settled = await sendOk(a, input);
    expect(settled.id).toBe([...ids][0]);
    expect(await postedOf(a)).toBe('75.00');
    await expectLedgerConsistent(t);
  });

  it('the same key with another amount is IDEMPOTENCY_KEY_REUSED and moves nothing', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '100.00');
    const key = randomUUID();
    await sendOk(a, { recipient: { email: b.email }, amount: { amount: '10.00', currency: 'USD' }, idempotencyKey: key });
    await expectRefused(
      a,
      { recipient: { email: b.email }, amount: { amount: '10.01', currency: 'USD' }, idempotencyKey: key },
      { code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] },
      [a, b],
    );
    expect(await ledgerCount({ key })).toBe(1);
    expect(await postedOf(a)).toBe('90.00');
  });

  it('keys are per user: the same key used by another user is independent', async () => {
    const a = await newUser();
    const b = await newUser();
    const c = await newUser();
    await fund(a, '10.00');
    await fund(b, '10.00');
    const key = randomUUID();
    const fromA = await sendOk(a, { recipient: { email: c.email }, amount: { amount: '1.00', currency: 'USD' }, idempotencyKey: key });
    const fromB = await sendOk(b, { recipient: { email: c.email }, amount: { amount: '2.00', currency: 'USD' }, idempotencyKey: key });
    expect(fromB.id).not.toBe(fromA.id);
    expect(await ledgerCount({ key })).toBe(2);
    expect(await postedOf(c)).toBe('3.00');
  });

  it('a refusal is the answer for its key: INSUFFICIENT_FUNDS again after a top-up; a new key succeeds', async () => {
    const a = await newUser();
    const b = await newUser();
    await fund(a, '5.00');
    const key = randomUUID();
    const input: SendMoneyInput = { recipient: { email: b.email }, amount: { amount: '10.00', currency: 'USD' }, idempotencyKey: key };
    const first = await send(a, input);
    expect(first.userErrors.map((e) => e.code)).toEqual(['INSUFFICIENT_FUNDS']);
    expect(first.replayed).toBe(false);

    await fund(a, '20.00');
    const before = await snapshot([a, b]);
    const retry = await send(a, input);
    // The stored refusal, and it says so: the client knows to use a new key for a new attempt.
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await snapshot([a, b])).toEqual(before);
    expect(await ledgerCount({ key })).toBe(0);
    const [stored] = await t.server.db.prisma.$queryRaw<{ response: { ok: boolean; code: string }; kept_hours: number }[]>`
      SELECT response, extract(epoch FROM expires_at - created_at)::float8 / 3600 AS kept_hours
      FROM idempotency_keys WHERE user_id = ${uuidOf(a.id)}::uuid AND key = ${key}`;
    expect(stored!.response).toMatchObject({ ok: false, code: 'INSUFFICIENT_FUNDS' });
    // Kept for IDEMPOTENCY_TTL_HOURS (default 168), at least the 24 h clients may rely on.
    expect(stored!.kept_hours).toBeCloseTo(168, 3);

    const fresh = await sendOk(a, { ...input, idempotencyKey: randomUUID() });
    expect(fresh.balanceAfter?.amount).toBe('15.00');
    expect(await postedOf(b)).toBe('10.00');
  });
});

describe('admin adjustments', () => {
  it('credits and debits, records the admin and the reason, and refuses a debit beyond the balance', async () => {
    const u = await newUser();
    const wallet = await walletOf(u);
    const credit = await adjust(wallet.id, '40.00', { reason: 'Goodwill credit for ticket #123' });
    expect(credit.errors).toBeUndefined();
    const credited = credit.data!.adminAdjustBalance;
    expect(credited.userErrors).toEqual([]);
    expect(credited.wallet).toEqual({ id: wallet.id, balance: { posted: { amount: '40.00', currency: 'USD' } } });
    expect(credited.transaction).toMatchObject({
      type: 'ADJUSTMENT',
      direction: 'IN',
      amount: { amount: '40.00', currency: 'USD' },
      counterparty: { displayName: 'Balance adjustment', isUser: false, email: null, phone: null },
    });

    expect(credited.replayed).toBe(false);
    const debitKey = randomUUID();
    const debit = (await adjust(wallet.id, '15.50', { direction: 'DEBIT', reason: 'Chargeback 991', key: debitKey })).data!
      .adminAdjustBalance;
    expect(debit.userErrors).toEqual([]);
    const debitAgain = (await adjust(wallet.id, '15.50', { direction: 'DEBIT', reason: 'Chargeback 991', key: debitKey })).data!
      .adminAdjustBalance;
    expect(debitAgain).toEqual({ ...debit, replayed: true });
    expect(debit.transaction).toMatchObject({ type: 'ADJUSTMENT', direction: 'OUT', amount: { amount: '15.50', currency: 'USD' } });
    expect(await postedOf(u)).toBe('24.50');

    const rows = await t.server.db.prisma.$queryRaw<
      { id: string; metadata: Record<string, unknown>; initiated_by: string; note: string }[]
    >`
      SELECT id::text AS id, metadata, initiated_by::text AS initiated_by, note FROM ledger_transactions
      WHERE id IN (${uuidOf(credited.transaction!.id)}::uuid, ${uuidOf(debit.transaction!.id)}::uuid) ORDER BY created_at`;
    expect(rows).toEqual([
      {
        id: uuidOf(credited.transaction!.id),
        metadata: { reason: 'Goodwill credit for ticket #123', adminId: adminUuid, direction: 'CREDIT' },
        initiated_by: adminUuid,
        note: 'Goodwill credit for ticket #123',
      },
      {
        id: uuidOf(debit.transaction!.id),
        metadata: { reason: 'Chargeback 991', adminId: adminUuid, direction: 'DEBIT' },
        initiated_by: adminUuid,
        note: 'Chargeback 991',
      },
    ]);

    // The user sees both in their history, from the platform.
    const seen = (await history(u, wallet.id)).edges.map((e) => [
      e.node.type,
      e.node.direction,
      e.node.amount.amount,
      e.node.counterparty.displayName,
    ]);
    expect(seen).toEqual([
      ['ADJUSTMENT', 'OUT', '15.50', 'Balance adjustment'],
      ['ADJUSTMENT', 'IN', '40.00', 'Balance adjustment'],
    ]);

    const before = await snapshot([u]);
    const tooMuch = (await adjust(wallet.id, '24.51', { direction: 'DEBIT', reason: 'Too much' })).data!.adminAdjustBalance;
    expect(tooMuch).toEqual({
      transaction: null,
      wallet: null,
      replayed: false,
      userErrors: [{ field: ['input', 'amount'], code: 'INSUFFICIENT_FUNDS', message: expect.any(String) }],
    });
    expect(await snapshot([u])).toEqual(before);
    const exact = (await adjust(wallet.id, '24.50', { direction: 'DEBIT', reason: 'Close out' })).data!.adminAdjustBalance;
    expect(exact.wallet?.balance.posted.amount).toBe('0.00');
  });

  it('is FORBIDDEN to a non-admin, and moves nothing', async () => {
    const u = await newUser();
    const wallet = await walletOf(u);
    const before = await snapshot([u]);
    const res = await adjust(wallet.id, '1000.00', { token: u.token, reason: 'free money' });
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await snapshot([u])).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown wallet, in either direction', async () => {
    const before = await ledgerCount();
    for (const direction of ['CREDIT', 'DEBIT'] as const) {
      const res = (await adjust(walletGlobalId(randomUUID()), '1.00', { direction })).data!.adminAdjustBalance;
      expect(res).toEqual({
        transaction: null,
        wallet: null,
        replayed: false,
        userErrors: [{ field: ['input', 'walletId'], code: 'NOT_FOUND', message: expect.any(String) }],
      });
    }
    const status = (
      await t.query(SetWalletStatus, { input: { walletId: walletGlobalId(randomUUID()), status: 'FROZEN' } }, { token: adminToken })
    ).adminSetWalletStatus;
    expect(status.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect(await ledgerCount()).toBe(before);
  });

  it('is idempotent per admin key', async () => {
    const u = await newUser();
    const wallet = await walletOf(u);
    const key = randomUUID();
    const first = (await adjust(wallet.id, '5.00', { key })).data!.adminAdjustBalance;
    const again = (await adjust(wallet.id, '5.00', { key })).data!.adminAdjustBalance;
    expect(again.transaction?.id).toBe(first.transaction!.id);
    expect(await postedOf(u)).toBe('5.00');
    const other = (await adjust(wallet.id, '6.00', { key })).data!.adminAdjustBalance;
    expect(other.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await ledgerCount({ key })).toBe(1);
  });
});

describe('history', () => {
  // Hana's wallet: six transactions with distinct moments (a short pause between each, so that
  // createdAt values of consecutive transactions differ; nothing asserts on durations).
  let hana: User;
  let bob: User;
  let carol: User;
  let hanaWallet: string;
  const tx: { id: string; createdAt: string }[] = [];

  beforeAll(async () => {
    hana = await newUser({ displayName: 'Hana Historian' });
    bob = await newUser({ displayName: 'Bob Builder' });
    carol = await newUser({ displayName: 'Carol Singer' });
    hanaWallet = (await walletOf(hana)).id;
    await fund(bob, '100.00');
    await fund(carol, '100.00');
    const steps: (() => Promise<{ id: string; createdAt: string }>)[] = [
      () => fund(hana, '100.00'), // 1: IN 100 → 100
      () => sendOk(hana, { recipient: { email: bob.email }, amount: { amount: '10.00', currency: 'USD' } }), // 2: OUT 10 → 90
      () => sendOk(carol, { recipient: { email: hana.email }, amount: { amount: '25.00', currency: 'USD' } }), // 3: IN 25 → 115
      () => sendOk(hana, { recipient: { email: carol.email }, amount: { amount: '40.00', currency: 'USD' } }), // 4: OUT 40 → 75
      async () => (await adjust(hanaWallet, '5.00', { direction: 'DEBIT', reason: 'monthly fee' })).data!.adminAdjustBalance.transaction!, // 5: OUT 5 → 70
      () => sendOk(bob, { recipient: { walletId: hanaWallet }, amount: { amount: '7.50', currency: 'USD' } }), // 6: IN 7.50 → 77.50
    ];
    for (const step of steps) {
      await pause(15);
      const { id, createdAt } = await step();
      tx.push({ id, createdAt });
    }
    await pause(15);
    // Moments as Hana sees them (a payment's two sides are written microseconds apart).
    const seen = new Map((await history(hana, hanaWallet)).edges.map((e) => [e.node.id, e.node.createdAt]));
    for (const item of tx) item.createdAt = seen.get(item.id)!;
  });

  const ids = (...numbers: number[]) => numbers.map((n) => tx[n - 1]!.id);

  it('lists newest first, with amounts, directions, counterparties and running balances', async () => {
    const page = await history(hana, hanaWallet);
    expect(page.edges.map((e) => e.node.id)).toEqual(ids(6, 5, 4, 3, 2, 1));
    expect(
      page.edges.map((e) => [
        e.node.sequence,
        e.node.type,
        e.node.direction,
        e.node.amount.amount,
        e.node.balanceAfter?.amount,
        e.node.counterparty.displayName,
      ]),
    ).toEqual([
      ['6', 'P2P_TRANSFER', 'IN', '7.50', '77.50', 'Bob Builder'],
      ['5', 'ADJUSTMENT', 'OUT', '5.00', '70.00', 'Balance adjustment'],
      ['4', 'P2P_TRANSFER', 'OUT', '40.00', '75.00', 'Carol Singer'],
      ['3', 'P2P_TRANSFER', 'IN', '25.00', '115.00', 'Carol Singer'],
      ['2', 'P2P_TRANSFER', 'OUT', '10.00', '90.00', 'Bob Builder'],
      ['1', 'ADJUSTMENT', 'IN', '100.00', '100.00', 'Balance adjustment'],
    ]);
    const times = page.edges.map((e) => Date.parse(e.node.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('filters by type, direction, amount range, time range and counterparty name', async () => {
    const f = (filter: TransactionFilter) => historyIds(hana, hanaWallet, filter);
    expect(await f({ types: ['ADJUSTMENT'] })).toEqual(ids(5, 1));
    expect(await f({ types: ['P2P_TRANSFER'] })).toEqual(ids(6, 4, 3, 2));
    expect(await f({ types: ['DEPOSIT', 'WITHDRAWAL'] })).toEqual([]);
    expect(await f({ direction: 'IN' })).toEqual(ids(6, 3, 1));
    expect(await f({ direction: 'OUT' })).toEqual(ids(5, 4, 2));
    expect(await f({ minAmount: '10', maxAmount: '40.00' })).toEqual(ids(4, 3, 2));
    expect(await f({ minAmount: '25.00' })).toEqual(ids(4, 3, 1));
    expect(await f({ maxAmount: '7.5' })).toEqual(ids(6, 5));
    expect(await f({ minAmount: '40.01', maxAmount: '99.99' })).toEqual([]);
    // from is inclusive, to is exclusive.
    expect(await f({ from: tx[2]!.createdAt, to: tx[4]!.createdAt })).toEqual(ids(4, 3));
    expect(await f({ from: tx[5]!.createdAt })).toEqual(ids(6));
    expect(await f({ to: tx[1]!.createdAt })).toEqual(ids(1));
    // The bounds compare with the createdAt the client was shown, to the millisecond.
    const plus1 = (n: number) => new Date(Date.parse(tx[n - 1]!.createdAt) + 1).toISOString();
    expect(await f({ to: plus1(2) })).toEqual(ids(2, 1));
    expect(await f({ from: plus1(5) })).toEqual(ids(6));
    expect(await f({ counterparty: 'carol' })).toEqual(ids(4, 3));
    expect(await f({ counterparty: 'BUILD' })).toEqual(ids(6, 2));
    expect(await f({ counterparty: 'adjust' })).toEqual([]);
    expect(await f({ counterparty: '%' })).toEqual([]);
    expect(await f({ direction: 'OUT', counterparty: 'Carol' })).toEqual(ids(4));
    expect(await f({ direction: 'IN', types: ['P2P_TRANSFER'], minAmount: '8' })).toEqual(ids(3));

    // Pages of a filtered list.
    const p1 = await history(hana, hanaWallet, { first: 2, filter: { direction: 'IN' } });
    expect(p1.edges.map((e) => e.node.id)).toEqual(ids(6, 3));
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = await history(hana, hanaWallet, { first: 2, after: p1.pageInfo.endCursor!, filter: { direction: 'IN' } });
    expect(p2.edges.map((e) => e.node.id)).toEqual(ids(1));
    expect(p2.pageInfo.hasNextPage).toBe(false);

    // A bad amount in the filter names the field.
    const bad = await t.request(History, { walletId: hanaWallet, filter: { minAmount: '1.001' } }, { token: hana.token });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.minAmount' });
  });

  it('refuses page sizes outside 1..100', async () => {
    for (const args of [{ first: 0 }, { first: 101 }, { last: 0 }, { last: 101 }]) {
      const res = await t.request(History, { walletId: hanaWallet, ...args }, { token: hana.token });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: Object.keys(args)[0] });
    }
    const cursor = await t.request(History, { walletId: hanaWallet, first: 2, after: 'not-a-cursor' }, { token: hana.token });
    expect(cursor.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('balanceAt: 0 before the first transaction, the balance then between two, the current one now', async () => {
    const at = (moment: number) =>
      t.query(BalanceAt, { walletId: hanaWallet, at: new Date(moment).toISOString() }, { token: hana.token }).then((r) => r.balanceAt);
    const ms = (n: number) => Date.parse(tx[n - 1]!.createdAt);
    expect(await at(ms(1) - 1)).toEqual({ amount: '0.00', currency: 'USD' });
    expect(await at(ms(2) - 1)).toEqual({ amount: '100.00', currency: 'USD' });
    expect(await at(ms(4) - 1)).toEqual({ amount: '115.00', currency: 'USD' });
    expect(await at(ms(6) - 1)).toEqual({ amount: '70.00', currency: 'USD' });
    expect(await at(Date.now())).toEqual({ amount: '77.50', currency: 'USD' });
    // At the very moment a transaction shows, it has happened.
    for (const [n, balance] of [
      [1, '100.00'],
      [3, '115.00'],
      [5, '70.00'],
    ] as const) {
      expect(await at(ms(n))).toEqual({ amount: balance, currency: 'USD' });
    }
  });

  it('keyset pages stay stable while new transfers arrive between them', async () => {
    const u = await newUser({ displayName: 'Paging Pat' });
    const peer = await newUser({ displayName: 'Peer' });
    await fund(u, '100.00');
    await fund(peer, '100.00');
    const wallet = (await walletOf(u)).id;
    for (let i = 1; i <= 6; i++) {
      await sendOk(i % 2 ? u : peer, {
        recipient: { email: i % 2 ? peer.email : u.email },
        amount: { amount: `${i}.00`, currency: 'USD' },
      });
    }
    const all = (await history(u, wallet)).edges.map((e) => e.node.id); // 7 entries: the funding and six transfers
    expect(all).toHaveLength(7);

    const p1 = await history(u, wallet, { first: 3 });
    expect(p1.edges.map((e) => e.node.id)).toEqual(all.slice(0, 3));
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const arrived: string[] = [];
    arrived.push((await sendOk(peer, { recipient: { email: u.email }, amount: { amount: '0.50', currency: 'USD' } })).id);
    arrived.push((await sendOk(u, { recipient: { email: peer.email }, amount: { amount: '0.25', currency: 'USD' } })).id);

    const p2 = await history(u, wallet, { first: 3, after: p1.pageInfo.endCursor! });
    expect(p2.edges.map((e) => e.node.id)).toEqual(all.slice(3, 6));
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    arrived.push((await sendOk(peer, { recipient: { walletId: wallet }, amount: { amount: '0.75', currency: 'USD' } })).id);

    const p3 = await history(u, wallet, { first: 3, after: p2.pageInfo.endCursor! });
    expect(p3.edges.map((e) => e.node.id)).toEqual(all.slice(6));
    expect(p3.pageInfo.hasNextPage).toBe(false);

    const seen = [...p1.edges, ...p2.edges, ...p3.edges].map((e) => e.node.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);

    // Backwards from the last page: the page before it, in the same (newest first) order.
    const back = await history(u, wallet, { first: undefined, last: 3, before: p3.pageInfo.startCursor! });
    expect(back.edges.map((e) => e.node.id)).toEqual(all.slice(3, 6));
    expect(back.pageInfo.hasPreviousPage).toBe(true);

    // A fresh first page starts with what arrived, newest first.
    const fresh = await history(u, wallet, { first: 3 });
    expect(fresh.edges.map((e) => e.node.id)).toEqual([...arrived].reverse());
  });

  it("another user's wallet is NOT_FOUND (not FORBIDDEN), and their wallet or transactions are null through node(id)", async () => {
    const mallory = await newUser({ displayName: 'Mallory' });
    const checks = [
      t.request(WalletById, { id: hanaWallet }, { token: mallory.token }),
      t.request(History, { walletId: hanaWallet, first: 5 }, { token: mallory.token }),
      t.request(BalanceAt, { walletId: hanaWallet, at: new Date().toISOString() }, { token: mallory.token }),
    ];
    for (const res of await Promise.all(checks)) {
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(res.body)).not.toContain('77.50');
    }
    // The same answer as for a wallet that does not exist at all.
    const missing = await t.request(WalletById, { id: walletGlobalId(randomUUID()) }, { token: mallory.token });
    expect(missing.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);

    for (const id of [hanaWallet, tx[1]!.id, tx[0]!.id]) {
      const res = await t.request(NodeById, { id }, { token: mallory.token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.node).toBeNull();
    }
    // The owner and the counterparty see them.
    expect((await t.query(NodeById, { id: hanaWallet }, { token: hana.token })).node).toMatchObject({
      __typename: 'Wallet',
      currency: 'USD',
    });
    expect((await t.query(NodeById, { id: tx[1]!.id }, { token: bob.token })).node).toMatchObject({
      __typename: 'Transaction',
      direction: 'IN',
      amount: { amount: '10.00' },
    });
    expect((await t.query(NodeById, { id: tx[1]!.id }, { token: hana.token })).node).toMatchObject({
      __typename: 'Transaction',
      direction: 'OUT',
    });
    // Carol was not part of Hana's payment to Bob.
    expect((await t.query(NodeById, { id: tx[1]!.id }, { token: carol.token })).node).toBeNull();
    // Admins may read any user's wallet.
    expect((await t.query(WalletById, { id: hanaWallet }, { token: adminToken })).wallet.balance.posted.amount).toBe('77.50');
  });
});
