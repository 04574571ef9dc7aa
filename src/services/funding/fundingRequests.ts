// The requests that start a funding operation: a user's top-up (addFunds) or withdrawal, and an
// admin's refund of a card top-up. Each is checked, counted against limits, held where money
// leaves, and recorded once per idempotency key; the processor is asked only after that commits.
import { Prisma } from '../../generated/prisma/client.js';
import { failure, reasonProblem, Refusal, refuse, success, type Outcome, type UserError } from '../errors.js';
import { isUuid } from '../ids.js';
import { refuseWith, type HoldReason, type LedgerCaller, type LedgerTransaction } from '../ledger/ledger.js';
import { feeFor } from '../money/fees.js';
import { formatAmount } from '../money/money.js';
import { idempotencyKeyProblem, parsePositiveAmount, requestHash, type MoneyInput } from '../transfers/transferInput.js';
import type { FundingContext } from './fundingContext.js';
import type { AddFundsInput, Created, FundingRecord, Provider, RefundDepositInput, WithdrawInput } from './fundingModel.js';

/** Counts a top-up or withdrawal against the wallet's daily limits, or refuses it (LIMIT_EXCEEDED). */
async function countFunding(ledger: LedgerTransaction, walletId: string, kind: 'ADD' | 'WITHDRAW', amount: bigint, caller: LedgerCaller) {
  const refusal = await ledger.countFunding(walletId, kind, amount);
  if (refusal) refuseWith(refusal, caller);
}

/** Holds money that is about to leave the wallet (or refuses: INSUFFICIENT_FUNDS); the hold and the operation commit together. */
async function holdForPayout(ledger: LedgerTransaction, walletId: string, amount: bigint, reason: HoldReason, caller: LedgerCaller) {
  const held = await ledger.placeHold(walletId, amount, reason);
  return held.ok ? held.hold : refuseWith(held, caller);
}

export function createFundingRequests(ctx: FundingContext) {
  const { prisma } = ctx;

  /** What addFunds and withdraw check alike: amount, key, the user's method and wallet. */
  async function checkRequest(userId: string, methodId: string, money: MoneyInput, key: string, methodField: string) {
    const amount = parsePositiveAmount(money, ctx.currencies);
    const keyProblem = idempotencyKeyProblem(key);
    const errors = [amount.ok ? null : amount.error, keyProblem].filter((e): e is UserError => Boolean(e));
    if (errors.length || !amount.ok) return { ok: false as const, errors };
    const method = await ctx.paymentMethods.get(userId, methodId);
    if (!method) return failure('NOT_FOUND', 'No payment method of yours has that id.', methodField);
    const wallet = await prisma.wallet.findFirst({
      where: { userId, currency: amount.currency, kind: 'USER' },
      select: { id: true, status: true },
    });
    if (!wallet) return failure('NO_WALLET_IN_CURRENCY', `You have no ${amount.currency} wallet. Open one first.`, 'amount.currency');
    if (wallet.status !== 'ACTIVE') {
      return failure(
        'WALLET_FROZEN',
        `Your ${amount.currency} wallet is ${wallet.status.toLowerCase()}: no money can move in or out. Contact support.`,
        'amount.currency',
      );
    }
    return success({ method, wallet, amount });
  }

  /**
   * Creates the operation once per idempotency key: a retry (or a concurrent copy) gets the first
   * one back, marked replayed; the same key for another request is refused. `create` may throw a
   * Refusal (nothing is kept, so the key stays free).
   */
  async function createOnce(
    userId: string,
    key: string,
    hash: string,
    create: (ledger: LedgerTransaction, tx: Prisma.TransactionClient) => Promise<FundingRecord>,
  ): Promise<Outcome<{ op: FundingRecord; replayed: boolean }>> {
    try {
      return success({ op: await ctx.ledger.transaction(create), replayed: false });
    } catch (err) {
      if (err instanceof Refusal) return { ok: false, errors: [err.userError] };
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
      const op = (await prisma.fundingOperation.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey: key } } }))!;
      if (op.requestHash !== hash) {
        return failure(
          'IDEMPOTENCY_KEY_REUSED',
          'This idempotency key was already used for a different request. Use a new key for a new request.',
          'idempotencyKey',
        );
      }
      return success({ op, replayed: true });
    }
  }

  /** Submits a new operation (or a retried one that never reached the processor) and answers with it. */
  async function afterCreate({ op, replayed }: { op: FundingRecord; replayed: boolean }, vaultToken: string) {
    let current = op;
    if (op.status === 'PENDING' && !op.providerRef) {
      await ctx.submit(op, vaultToken);
      current = (await prisma.fundingOperation.findUnique({ where: { id: op.id } }))!;
    }
    if (!replayed) ctx.notify(current);
    return { operation: current, replayed };
  }

  async function addFunds(userId: string, input: AddFundsInput): Promise<Outcome<Created>> {
    const checked = await checkRequest(userId, input.paymentMethodId, input.amount, input.idempotencyKey, 'paymentMethodId');
    if (!checked.ok) return checked;
    const { method, wallet, amount } = checked.value;
    if (!(method.kind === 'CARD' ? method.status === 'ACTIVE' : method.status === 'VERIFIED')) {
      return failure(
        'PAYMENT_METHOD_UNUSABLE',
        'Verify this bank account first (verifyBankAccount), or use another method.',
        'paymentMethodId',
      );
    }
    const provider: Provider = method.kind === 'CARD' ? 'card' : 'bank';
    const fee = feeFor(amount.amount, ctx.fees[provider]);
    if (fee >= amount.amount) return failure('INVALID_AMOUNT', 'The amount must be more than the top-up fee.', 'amount.amount');
    const hash = requestHash(['addFunds', method.id, amount.currency, amount.amount]);
    const created = await createOnce(userId, input.idempotencyKey, hash, async (ledger, tx) => {
      await countFunding(ledger, wallet.id, 'ADD', amount.amount, 'addFunds');
      return tx.fundingOperation.create({
        data: {
          userId,
          walletId: wallet.id,
          currency: amount.currency,
          kind: 'DEPOSIT',
          paymentMethodId: method.id,
          provider,
          amount: amount.amount,
          fee,
          idempotencyKey: input.idempotencyKey,
          requestHash: hash,
        },
      });
    });
    if (!created.ok) return created;
    return success(await afterCreate(created.value, method.vaultToken));
  }

  async function withdraw(userId: string, input: WithdrawInput): Promise<Outcome<Created>> {
    const checked = await checkRequest(userId, input.bankAccountId, input.amount, input.idempotencyKey, 'bankAccountId');
    if (!checked.ok) return checked;
    const { method, wallet, amount } = checked.value;
    if (method.kind !== 'BANK_ACCOUNT' || method.status !== 'VERIFIED') {
      return failure(
        'PAYMENT_METHOD_UNUSABLE',
        'Withdrawals go to a verified bank account: add one and confirm its micro-deposits.',
        'bankAccountId',
      );
    }
    if (await ctx.screenName(userId, method.holderName)) {
      return failure('WALLET_FROZEN', 'Your wallet is frozen pending a compliance review. Contact support.', 'bankAccountId');
    }
    const hash = requestHash(['withdraw', method.id, amount.currency, amount.amount]);
    const created = await createOnce(userId, input.idempotencyKey, hash, async (ledger, tx) => {
      await countFunding(ledger, wallet.id, 'WITHDRAW', amount.amount, 'withdraw');
      const hold = await holdForPayout(ledger, wallet.id, amount.amount, 'withdrawal', 'withdraw');
      return tx.fundingOperation.create({
        data: {
          userId,
          walletId: wallet.id,
          currency: amount.currency,
          kind: 'WITHDRAWAL',
          paymentMethodId: method.id,
          provider: 'bank',
          amount: amount.amount,
          fee: 0n,
          idempotencyKey: input.idempotencyKey,
          requestHash: hash,
          holdId: hold.id,
        },
      });
    });
    if (!created.ok) return created;
    return success(await afterCreate(created.value, method.vaultToken));
  }

  /** An admin pays (part of) a card top-up back to its card: held at once, posted when the processor confirms. */
  async function refundDeposit(adminId: string, input: RefundDepositInput): Promise<Outcome<Created>> {
    const reason = input.reason.trim();
    const refused = [reasonProblem(reason), idempotencyKeyProblem(input.idempotencyKey)].filter((e): e is UserError => Boolean(e));
    if (refused.length) return { ok: false, errors: refused };
    const deposit = isUuid(input.fundingId) ? await prisma.fundingOperation.findUnique({ where: { id: input.fundingId } }) : null;
    if (deposit?.kind !== 'DEPOSIT') return failure('NOT_FOUND', 'No top-up has that id.', 'fundingId');
    if (deposit.provider !== 'card' || deposit.status !== 'SUCCEEDED') {
      return failure('INVALID_INPUT', 'Only a card top-up that succeeded (and was not charged back) can be refunded.', 'fundingId');
    }
    let requested: bigint | null = null;
    if (input.amount) {
      const amount = parsePositiveAmount(input.amount, ctx.currencies);
      if (!amount.ok) return { ok: false, errors: [amount.error] };
      if (amount.currency !== deposit.currency)
        return failure('CURRENCY_MISMATCH', `The top-up was in ${deposit.currency}.`, 'amount.currency');
      requested = amount.amount;
    }
    const method = await prisma.paymentMethod.findUniqueOrThrow({ where: { id: deposit.paymentMethodId }, select: { vaultToken: true } });
    // Admin keys live beside the user's own keys: prefixed, so the two can never collide.
    const key = `admin:${adminId}:${input.idempotencyKey}`;
    const hash = requestHash(['refundDeposit', deposit.id, requested, reason]);
    const created = await createOnce(deposit.userId, key, hash, async (ledger, tx) => {
      // The top-up's row lock serialises refunds of it, so together they never exceed it.
      await tx.$queryRaw`SELECT id FROM funding_operations WHERE id = ${deposit.id}::uuid FOR UPDATE`;
      const [sum] = await tx.$queryRaw<{ refunded: bigint }[]>`
        SELECT coalesce(sum(amount), 0)::bigint AS refunded FROM funding_operations WHERE refund_of_id = ${deposit.id}::uuid AND status <> 'FAILED'`;
      const left = deposit.amount - sum!.refunded;
      const amount = requested ?? left;
      if (amount <= 0n || amount > left) {
        refuse(
          'INVALID_AMOUNT',
          `At most ${formatAmount(left, deposit.currency)} ${deposit.currency} of this top-up can still be refunded.`,
          'amount',
        );
      }
      const hold = await holdForPayout(ledger, deposit.walletId, amount, 'refund', 'refundDeposit');
      return tx.fundingOperation.create({
        data: {
          userId: deposit.userId,
          walletId: deposit.walletId,
          currency: deposit.currency,
          kind: 'WITHDRAWAL',
          provider: 'card',
          paymentMethodId: deposit.paymentMethodId,
          amount,
          fee: 0n,
          idempotencyKey: key,
          requestHash: hash,
          holdId: hold.id,
          refundOfId: deposit.id,
          reason,
        },
      });
    });
    if (!created.ok) return created;
    return success(await afterCreate(created.value, method.vaultToken));
  }

  return { addFunds, withdraw, refundDeposit };
}
