// The GraphQL operations the benchmark sends, written as a frontend would send them, and the
// helpers to build their variables (global IDs, amounts). One place, so every scenario asks
// the server the same questions and the figures stay comparable across scenarios.
import { randomUUID } from 'node:crypto';

export const SEND_MONEY = `mutation BenchSendMoney($input: SendMoneyInput!) {
  sendMoney(input: $input) {
    transfer { id status amount { amount currency } balanceAfter { amount } }
    userErrors { code field message }
  }
}`;

export const ME_WALLETS = `query BenchMeWallets {
  me { wallets { balance { posted { amount } available { amount } } } }
}`;

export const TRANSACTIONS_PAGE = `query BenchTransactions($walletId: ID!, $after: String) {
  transactions(walletId: $walletId, first: 20, after: $after) {
    edges { cursor node { id type direction amount { amount currency } counterparty { displayName } note createdAt balanceAfter { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const WALLET_UPDATED = `subscription BenchWalletUpdated($walletId: ID!, $afterSequence: BigInt) {
  walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {
    sequence
    balanceAfter { amount }
    transaction { id }
  }
}`;

/** The API's global ID of an object (src/services/ids.ts). */
export { globalId } from '../src/services/ids.js';

/** A USD amount of 0.01 … 5.00 as the decimal string the API takes. */
export function smallAmount(random: () => number = Math.random): string {
  const cents = 1 + Math.floor(random() * 500);
  return (cents / 100).toFixed(2);
}

/** The JSON body of one sendMoney request to a wallet, with a fresh idempotency key. */
export function sendMoneyBody(recipientWalletId: string, amount = smallAmount()): string {
  return JSON.stringify({
    query: SEND_MONEY,
    operationName: 'BenchSendMoney',
    variables: {
      input: { recipient: { walletId: recipientWalletId }, amount: { amount, currency: 'USD' }, idempotencyKey: randomUUID() },
    },
  });
}

/** The probe check of a sendMoney answer: a posted transfer. */
export function expectPostedTransfer(data: Record<string, unknown>): string | null {
  const transfer = (data.sendMoney as { transfer?: { status?: string } } | undefined)?.transfer;
  return transfer?.status === 'POSTED' ? null : `expected a POSTED transfer, got ${JSON.stringify(data.sendMoney).slice(0, 200)}`;
}

interface Page {
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean };
}

/** The probe check of a transactions page: `size` edges, and whether a next page is expected. */
export function expectPage(data: Record<string, unknown>, size: number, hasNextPage: boolean): string | null {
  const page = data.transactions as Page | undefined;
  if (!page) return 'no transactions in the answer';
  if (page.edges.length !== size) return `expected ${size} transactions, got ${page.edges.length}`;
  if (page.pageInfo.hasNextPage !== hasNextPage) return `expected hasNextPage ${hasNextPage}`;
  return null;
}
