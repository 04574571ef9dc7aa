// Cards and bank accounts end to end over HTTP: validation, the gateway's verification, duplicate
// detection by fingerprint, micro-deposit verification and its lock, defaults, removal, other
// users' methods, and the PCI rule that no card number or CVC is ever stored, logged or returned.
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { graphql } from '../gql/index.js';
import { findInDatabase } from '../helpers/databaseScan.js';
import type { AddCardInput } from '../gql/graphql.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { verifyEmail } from '../helpers/people.js';

const PmSignUp = graphql(`
  mutation PmSignUp($input: SignUpInput!) { signUp(input: $input) { user { id } tokens { accessToken } userErrors { code } } }
`);

// Spread by the documents below (codegen resolves it by name).
graphql(`
  fragment PmFields on PaymentMethod {
    id kind status isDefault holderName last4 display createdAt
    card { brand expMonth expYear }
    bankAccount { country scheme routingNumber verificationAttemptsLeft }
  }
`);

const PmAddCard = graphql(`
  mutation PmAddCard($input: AddCardInput!) {
    addCard(input: $input) { paymentMethod { ...PmFields } userErrors { field code message } }
  }
`);
const PmAddBank = graphql(`
  mutation PmAddBank($input: AddBankAccountInput!) {
    addBankAccount(input: $input) { paymentMethod { ...PmFields } userErrors { field code message } }
  }
`);
const PmVerifyBank = graphql(`
  mutation PmVerifyBank($input: VerifyBankAccountInput!) {
    verifyBankAccount(input: $input) { paymentMethod { ...PmFields } userErrors { field code message } }
  }
`);
const PmRemove = graphql(`
  mutation PmRemove($input: PaymentMethodIdInput!) {
    removePaymentMethod(input: $input) { paymentMethod { id status isDefault } userErrors { field code message } }
  }
`);
const PmSetDefault = graphql(`
  mutation PmSetDefault($input: PaymentMethodIdInput!) {
    setDefaultPaymentMethod(input: $input) { paymentMethod { id isDefault } userErrors { field code message } }
  }
`);
const PmList = graphql(`query PmList { paymentMethods { ...PmFields } }`);
const PmNode = graphql(`query PmNode($id: ID!) { node(id: $id) { id ... on PaymentMethod { last4 } } }`);

const VISA = '4242424242424242';
const VISA_SPACED = '4242 4242 4242 4242';
const AMEX = '378282246310005';
const BAD_CVC_CARD = '4000000000000127';
const MASTERCARD = '5555555555554444';
const CVC = '739';
const AMEX_CVC = '8461';
const nextYear = new Date().getUTCFullYear() + 1;

const logLines: string[] = [];
const responses: string[] = [];
let t: TestServer;

/** Every request goes through here, so the PAN scan sees every response body. */
// biome-ignore lint/suspicious/noExplicitAny: a pass-through for any document (callers name the result type R)
async function call<R, V>(document: TypedDocumentNode<any, any>, variables: V, token?: string) {
  const res = await t.request(document, variables, { token });
  responses.push(JSON.stringify(res.body));
  return res.body as { data?: R; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** A new user whose session may add payment methods (its email verified: the code steps it up). */
async function signUp(label: string) {
  const email = uniqueEmail(label);
  const body = await call<{ signUp: { tokens: { accessToken: string } } }, unknown>(PmSignUp, {
    input: { email, password: STRONG_PASSWORD, displayName: label },
  });
  const token = body.data!.signUp.tokens.accessToken;
  await verifyEmail(t, { email, token });
  return token;
}

type Pm = {
  id: string;
  kind: string;
  status: string;
  isDefault: boolean;
  last4: string;
  display: string;
  card: { brand: string } | null;
  bankAccount: { verificationAttemptsLeft: number; scheme: string } | null;
};
type Payload = { paymentMethod: Pm | null; userErrors: { field: string[] | null; code: string; message: string }[] };

const card = (number: string, extra: Partial<AddCardInput> = {}): AddCardInput => ({
  number,
  expMonth: 12,
  expYear: nextYear,
  cvc: CVC,
  holderName: 'Ada Lovelace',
  ...extra,
});
const addCard = async (token: string, input: AddCardInput) =>
  (await call<{ addCard: Payload }, unknown>(PmAddCard, { input }, token)).data!.addCard;
const addBank = async (token: string, input: Record<string, string>) =>
  (await call<{ addBankAccount: Payload }, unknown>(PmAddBank, { input: { holderName: 'Ada Lovelace', ...input } }, token)).data!
    .addBankAccount;
const verifyBank = async (token: string, id: string, amounts: string[]) =>
  (await call<{ verifyBankAccount: Payload }, unknown>(PmVerifyBank, { input: { id, amounts } }, token)).data!.verifyBankAccount;
const list = async (token: string) => (await call<{ paymentMethods: Pm[] }, unknown>(PmList, {}, token)).data!.paymentMethods;

async function counts() {
  const [row] = await t.server.db.prisma.$queryRaw<{ methods: bigint; secrets: bigint }[]>`
    SELECT (SELECT count(*) FROM payment_methods) AS methods, (SELECT count(*) FROM vault.secrets) AS secrets`;
  return { methods: Number(row!.methods), secrets: Number(row!.secrets) };
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  t = await startTestServer({}, { log: createLogger({ level: 'trace', destination: sink }) });
});
afterAll(async () => t?.stop());

describe('cards', () => {
  it('adds a verified card showing only brand, last 4 and expiry, and makes the first one the default', async () => {
    const token = await signUp('card-owner');
    const { paymentMethod, userErrors } = await addCard(token, card(VISA_SPACED));
    expect(userErrors).toEqual([]);
    expect(paymentMethod).toMatchObject({
      kind: 'CARD',
      status: 'ACTIVE',
      isDefault: true,
      last4: '4242',
      display: 'Visa •••• 4242',
      holderName: 'Ada Lovelace',
      card: { brand: 'VISA', expMonth: 12, expYear: nextYear },
      bankAccount: null,
    });
    const amex = await addCard(token, card(AMEX, { cvc: AMEX_CVC }));
    expect(amex.paymentMethod).toMatchObject({ display: 'American Express •••• 0005', isDefault: false, card: { brand: 'AMEX' } });
    expect((await list(token)).map((m) => m.last4)).toEqual(['4242', '0005']);
  });

  it('returns the existing method when the same card is added again, without vaulting it twice', async () => {
    const token = await signUp('card-twice');
    const first = await addCard(token, card(VISA));
    const before = await counts();
    const again = await addCard(token, card('4242-4242-4242-4242', { holderName: 'A. Lovelace' }));
    expect(again.userErrors).toEqual([]);
    expect(again.paymentMethod!.id).toBe(first.paymentMethod!.id);
    expect(await counts()).toEqual(before);
    // Two at once: still one method.
    const token2 = await signUp('card-race');
    const raced = await Promise.all([addCard(token2, card(MASTERCARD)), addCard(token2, card(MASTERCARD))]);
    expect(raced[0].paymentMethod!.id).toBe(raced[1].paymentMethod!.id);
    expect(await list(token2)).toHaveLength(1);
    const [orphans] = await t.server.db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM vault.secrets s WHERE NOT EXISTS (SELECT 1 FROM payment_methods m WHERE m.vault_token = s.token)`;
    expect(Number(orphans!.n)).toBe(0);
  });

  it('refuses invalid cards field by field and stores nothing', async () => {
    const token = await signUp('card-invalid');
    const before = await counts();
    const cases: [AddCardInput, string[], string][] = [
      [card('4242424242424241'), ['input', 'number'], 'INVALID_INPUT'],
      [card('4242abcd42424242'), ['input', 'number'], 'INVALID_INPUT'],
      [card('9999999999999995'), ['input', 'number'], 'INVALID_INPUT'],
      [card(VISA, { expYear: 2020 }), ['input', 'expYear'], 'INVALID_INPUT'],
      [card(VISA, { expMonth: 13 }), ['input', 'expMonth'], 'INVALID_INPUT'],
      [card(AMEX, { cvc: '123' }), ['input', 'cvc'], 'INVALID_INPUT'],
      [card(VISA, { holderName: ' ' }), ['input', 'holderName'], 'INVALID_INPUT'],
      [card(BAD_CVC_CARD), ['input', 'number'], 'CARD_DECLINED'],
    ];
    for (const [input, field, code] of cases) {
      const result = await addCard(token, input);
      expect(result.paymentMethod).toBeNull();
      expect(result.userErrors).toContainEqual(expect.objectContaining({ field, code }));
    }
    expect(await counts()).toEqual(before);
    expect(await list(token)).toEqual([]);
  });
});

describe('bank accounts', () => {
  it('adds a US account pending verification and verifies it with the two micro-deposits', async () => {
    const token = await signUp('bank-owner');
    const added = await addBank(token, { country: 'US', routingNumber: '110000000', accountNumber: '000123456789' });
    expect(added.userErrors).toEqual([]);
    expect(added.paymentMethod).toMatchObject({
      kind: 'BANK_ACCOUNT',
      status: 'PENDING_VERIFICATION',
      isDefault: false,
      last4: '6789',
      display: 'Bank •••• 6789',
      bankAccount: { country: 'US', scheme: 'ACH', routingNumber: '110000000', verificationAttemptsLeft: 3 },
    });
    const id = added.paymentMethod!.id;
    // Not usable until verified.
    const early = (await call<{ setDefaultPaymentMethod: Payload }, unknown>(PmSetDefault, { input: { id } }, token)).data!
      .setDefaultPaymentMethod;
    expect(early.userErrors[0]).toMatchObject({ code: 'PAYMENT_METHOD_UNUSABLE' });

    const wrong = await verifyBank(token, id, ['0.12', '0.34']);
    expect(wrong.userErrors[0]).toMatchObject({ code: 'VERIFICATION_FAILED', field: ['input', 'amounts'] });
    expect(wrong.userErrors[0]!.message).toContain('2 tries left');
    const malformed = await verifyBank(token, id, ['0.32']);
    expect(malformed.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT' });
    const right = await verifyBank(token, id, ['0.45', '0.32']);
    expect(right.userErrors).toEqual([]);
    // The first usable method becomes the default.
    expect(right.paymentMethod).toMatchObject({ status: 'VERIFIED', isDefault: true, bankAccount: { verificationAttemptsLeft: 2 } });
    // Verifying again is harmless.
    expect((await verifyBank(token, id, ['0.32', '0.45'])).paymentMethod).toMatchObject({ status: 'VERIFIED' });
  });

  it('locks the account after three wrong tries, even when they arrive at once', async () => {
    const token = await signUp('bank-lock');
    const { paymentMethod } = await addBank(token, { country: 'US', routingNumber: '021000021', accountNumber: '55554444' });
    const id = paymentMethod!.id;
    const attempts = await Promise.all([1, 2, 3, 4].map(() => verifyBank(token, id, ['0.01', '0.02'])));
    expect(attempts.map((a) => a.userErrors[0]!.code).sort()).toEqual([
      'VERIFICATION_FAILED',
      'VERIFICATION_FAILED',
      'VERIFICATION_LOCKED',
      'VERIFICATION_LOCKED',
    ]);
    const late = await verifyBank(token, id, ['0.32', '0.45']);
    expect(late.userErrors[0]).toMatchObject({ code: 'VERIFICATION_LOCKED' });
    expect((await list(token))[0]).toMatchObject({ status: 'LOCKED', bankAccount: { verificationAttemptsLeft: 0 } });
  });

  it('takes an IBAN for SEPA countries and refuses bad account details', async () => {
    const token = await signUp('bank-sepa');
    const sepa = await addBank(token, { country: 'DE', iban: 'DE89 3704 0044 0532 0130 00' });
    expect(sepa.paymentMethod).toMatchObject({ last4: '3000', bankAccount: { scheme: 'SEPA', country: 'DE', routingNumber: null } });
    const before = await counts();
    expect((await addBank(token, { country: 'US', routingNumber: '011000016', accountNumber: '123456789' })).userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'routingNumber'],
    });
    expect((await addBank(token, { country: 'DE', iban: 'DE89370400440532013001' })).userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'iban'],
    });
    expect(await counts()).toEqual(before);
  });
});

describe('ownership', () => {
  it("treats another user's method as not found, everywhere", async () => {
    const owner = await signUp('pm-owner');
    const other = await signUp('pm-other');
    const mine = (await addCard(owner, card(VISA))).paymentMethod!;
    const bank = (await addBank(owner, { country: 'US', routingNumber: '110000000', accountNumber: '987654321' })).paymentMethod!;
    expect(await list(other)).toEqual([]);
    const node = await call<{ node: unknown }, unknown>(PmNode, { id: mine.id }, other);
    expect(node.data?.node ?? null).toBeNull();
    const removed = (await call<{ removePaymentMethod: Payload }, unknown>(PmRemove, { input: { id: mine.id } }, other)).data!
      .removePaymentMethod;
    expect(removed.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await verifyBank(other, bank.id, ['0.32', '0.45'])).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const setDefault = (await call<{ setDefaultPaymentMethod: Payload }, unknown>(PmSetDefault, { input: { id: mine.id } }, other)).data!
      .setDefaultPaymentMethod;
    expect(setDefault.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await list(owner)).map((m) => m.status)).toEqual(['ACTIVE', 'PENDING_VERIFICATION']);
    const anonymous = await call<unknown, unknown>(PmList, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('removes a method and moves the default only when asked', async () => {
    const token = await signUp('pm-remove');
    const visa = (await addCard(token, card(VISA))).paymentMethod!;
    const mc = (await addCard(token, card(MASTERCARD))).paymentMethod!;
    const switched = (await call<{ setDefaultPaymentMethod: Payload }, unknown>(PmSetDefault, { input: { id: mc.id } }, token)).data!
      .setDefaultPaymentMethod;
    expect(switched.paymentMethod).toMatchObject({ id: mc.id, isDefault: true });
    expect((await list(token)).map((m) => [m.last4, m.isDefault])).toEqual([
      ['4242', false],
      ['4444', true],
    ]);
    const removed = (await call<{ removePaymentMethod: Payload }, unknown>(PmRemove, { input: { id: mc.id } }, token)).data!
      .removePaymentMethod;
    expect(removed.paymentMethod).toMatchObject({ status: 'REMOVED', isDefault: false });
    expect((await list(token)).map((m) => m.id)).toEqual([visa.id]);
    // Removed is gone for good; adding the card again makes a new method.
    const again = (await call<{ removePaymentMethod: Payload }, unknown>(PmRemove, { input: { id: mc.id } }, token)).data!
      .removePaymentMethod;
    expect(again.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await addCard(token, card(MASTERCARD))).paymentMethod!.id).not.toBe(mc.id);
  });
});

describe('PCI: card numbers and CVCs never stored, logged or returned', () => {
  it('finds no card number or CVC in any column of any table, any log line or any response', async () => {
    const token = await signUp('pci');
    await addCard(token, card(VISA, { cvc: CVC }));
    await addCard(token, card(AMEX, { cvc: AMEX_CVC }));
    await addCard(token, card(BAD_CVC_CARD, { cvc: CVC }));
    await addCard(token, card(VISA, { expYear: 2020, cvc: CVC }));
    // Malformed requests whose error messages would quote the input.
    const { cvc: _cvc, ...withoutCvc } = card(MASTERCARD);
    await call(PmAddCard, { input: withoutCvc }, token);
    await call(PmAddCard, { input: { ...card(MASTERCARD), number: Number(MASTERCARD) } }, token);
    await call(PmAddCard, { input: { ...card(MASTERCARD), expMonth: MASTERCARD } }, token);
    await new Promise((r) => setTimeout(r, 50)); // let the last log lines flush

    const secrets = [VISA, AMEX, BAD_CVC_CARD, MASTERCARD, VISA_SPACED];
    const cvcs = [CVC, AMEX_CVC];
    // CVCs are short: only a standalone occurrence counts, not digits inside a hash, a decimal or
    // a UUID (a UUID's 4-hex groups are "-8461-" often enough to fail a run in a few hundred).
    const standalone = (s: string) => `(^|[^0-9A-Za-z.-])${s}([^0-9A-Za-z.-]|$)`;
    const patterns = [...secrets.map((s) => s.replace(/ /g, ' ?')), ...cvcs.map(standalone)];
    const { found, columnsSearched } = await findInDatabase(t, patterns);
    expect(columnsSearched).toBeGreaterThan(20);
    expect(found).toEqual([]);
    const logs = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(5);
    const everything = [logs, ...responses].join('\n');
    for (const s of secrets) expect(everything.includes(s), `${s} in logs or responses`).toBe(false);
    for (const s of cvcs) expect(new RegExp(standalone(s)).test(everything), `CVC ${s} in logs or responses`).toBe(false);
  });
});
