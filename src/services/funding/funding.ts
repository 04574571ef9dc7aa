// Adding funds from a card or bank account. A deposit is a row in funding_operations that a
// processor's webhooks move along (fundingStates.ts); money moves only in the ledger, in the same
// database transaction that records the webhook event, so a replayed or concurrent event can
// never post twice and a crash between receiving and applying loses nothing (the processor
// retries, and the event is applied or found already applied).
//
// The processor is asked only after the deposit row is committed, never inside a database
// transaction. If the process dies in between, the deposit stays PENDING without a processor
// reference; a retry of addFunds with the same key, or reconciliation, submits it again under the
// same reference, which the processor treats as the same charge.
import type { PrismaClient } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, reasonProblem, Refusal, refuse, success, type Outcome, type UserError } from '../errors.js';
import type { OutboxEvent, OutboxPublisher } from '../events/outbox.js';
import { feeFor, type FeeRule } from '../money/fees.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type FundingChanged } from '../events/topics.js';
import { GatewayTimeoutError, type BankGateway, type CardGateway, type MovementState, type WebhookEvent } from '../gateways/gateways.js';
import { postThrough, type SystemWallet, type TransferRequest } from '../ledger/postTransfers.js';
import { endHold } from '../ledger/holds.js';
import type { Currencies } from '../money/currencies.js';
import { formatAmount } from '../money/money.js';
import { keysetOrder, keysetWhere, encodeCursor, toPage, type Page, type PageRequest } from '../pagination.js';
import type { PaymentMethodService } from '../payments/paymentMethods.js';
import { idempotencyKeyProblem, parsePositiveAmount, requestHash, type MoneyInput } from '../transfers/transferInput.js';
import { claimWebhookEvent, recordWebhookOutcome, type WebhookOutcome as RecordedOutcome } from '../webhooks/webhookEvents.js';
import { stepFor, type Step } from './fundingStates.js';
import { isUuid } from '../ids.js';

export type FundingRecord = Prisma.FundingOperationGetPayload<object>;
export type Provider = 'card' | 'bank';

export interface AddFundsInput {
  paymentMethodId: string;
  amount: MoneyInput;
  idempotencyKey: string;
}

export interface RefundDepositInput {
  fundingId: string;
  /** Default: everything not refunded yet. */
  amount?: MoneyInput | null;
  reason: string;
  idempotencyKey: string;
}

export interface WithdrawInput {
  bankAccountId: string;
  amount: MoneyInput;
  idempotencyKey: string;
}

export type WebhookOutcome = RecordedOutcome | 'DUPLICATE';

export interface Mismatch {
  provider: Provider;
  reference: string;
  problem: 'UNKNOWN_TO_LEDGER' | 'AMOUNT_DIFFERS' | 'NOT_YET_POSTED' | 'LEDGER_SAYS_FAILED' | 'NOT_SETTLED_BY_PROCESSOR';
  detail: string;
}

export interface ReconcileReport {
  /** The settlement day compared (YYYY-MM-DD, UTC). */
  day: string;
  /** Differences between the processors' settlement reports for the day and our records. */
  mismatches: Mismatch[];
  /** Operations pending long enough to ask the processor about. */
  checked: number;
  /** Resolved from the processor's answer (applied like the webhook that never came). */
  resolved: { id: string; state: MovementState }[];
  /** Never reached the processor: submitted again under the same reference. */
  resubmitted: string[];
  /** Still pending at the processor too. */
  stillPending: string[];
}

export interface FundingService {
  addFunds(userId: string, input: AddFundsInput): Promise<Outcome<{ operation: FundingRecord; replayed: boolean }>>;
  /** Holds the amount at once and pays it out to a verified bank account. */
  withdraw(userId: string, input: WithdrawInput): Promise<Outcome<{ operation: FundingRecord; replayed: boolean }>>;
  /** An admin pays (part of) a card top-up back to its card: held at once, posted when the processor confirms. */
  refundDeposit(adminId: string, input: RefundDepositInput): Promise<Outcome<{ operation: FundingRecord; replayed: boolean }>>;
  get(userId: string, id: string): Promise<FundingRecord | null>;
  list(userId: string, page: PageRequest): Promise<Page<FundingRecord>>;
  /** Applies one verified webhook event; safe to call any number of times with the same event. */
  handleWebhook(provider: Provider, event: WebhookEvent): Promise<WebhookOutcome>;
  /**
   * Asks the processors about operations pending longer than `olderThanSeconds` and settles what
   * they know, then compares their settlement reports for `day` (default today, UTC) with ours.
   */
  reconcile(options: { olderThanSeconds: number; day?: string }): Promise<ReconcileReport>;
}


const SETTLEMENT: Record<Provider, SystemWallet> = { card: 'SETTLEMENT_CARD', bank: 'SETTLEMENT_BANK' };


/** Counts a top-up or withdrawal against the wallet's daily limits, or refuses it (LIMIT_EXCEEDED). */
async function countFunding(tx: Prisma.TransactionClient, walletId: string, kind: 'ADD' | 'WITHDRAW', amount: bigint) {
  const [row] = await tx.$queryRaw<{ refusal: string | null }[]>`SELECT wallet_count_funding(${walletId}::uuid, ${kind}, ${amount}) AS refusal`;
  if (row!.refusal) refuse('LIMIT_EXCEEDED', row!.refusal, 'amount');
}

export function createFundingService(deps: {
  prisma: PrismaClient;
  /** Sanctions screening of the payee's name before a payout; true on a hit (wallets now frozen). */
  screenName: (userId: string, name: string) => Promise<boolean>;
  currencies: Currencies;
  paymentMethods: PaymentMethodService;
  cards: CardGateway;
  banks: BankGateway;
  outbox: OutboxPublisher;
  pubsub: PubSub;
  log: Logger;
  fees: Record<Provider, FeeRule>;
  gatewayTimeoutMs: number;
  idempotencyTtlHours: number;
}): FundingService {
  const { prisma, log } = deps;

  /** The processor call for an operation, its lookup, and the prefix of its webhook events. */
  function gatewayOf(op: Pick<FundingRecord, 'id' | 'provider' | 'kind' | 'amount' | 'currency' | 'refundOfId'>) {
    const movement = { amount: op.amount, currency: op.currency, reference: op.id };
    if (op.provider === 'card') {
      return op.kind === 'DEPOSIT'
        ? { request: (vaultToken: string) => deps.cards.charge({ ...movement, vaultToken }), lookup: deps.cards.lookup, events: 'charge' }
        : { request: () => deps.cards.refund({ ...movement, chargeReference: op.refundOfId! }), lookup: deps.cards.lookup, events: 'refund' };
    }
    return op.kind === 'DEPOSIT'
      ? { request: (vaultToken: string) => deps.banks.debit({ ...movement, vaultToken }), lookup: deps.banks.lookup, events: 'debit' }
      : { request: (vaultToken: string) => deps.banks.credit({ ...movement, vaultToken }), lookup: deps.banks.lookup, events: 'credit' };
  }

  /** Asks the processor for the money; on no answer the deposit stays PENDING for reconciliation. */
  async function submit(op: FundingRecord, vaultToken: string) {
    const gateway = gatewayOf(op);
    let timer: NodeJS.Timeout | undefined;
    try {
      const { providerRef } = await Promise.race([
        gateway.request(vaultToken),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new GatewayTimeoutError(`No answer from the ${op.provider} processor within ${deps.gatewayTimeoutMs} ms.`)), deps.gatewayTimeoutMs);
        }),
      ]);
      await prisma.fundingOperation.updateMany({ where: { id: op.id, providerRef: null }, data: { providerRef, updatedAt: new Date() } });
    } catch (err) {
      log.warn({ fundingId: op.id, err: (err as Error).message }, 'processor did not take the operation yet; it stays pending for reconciliation');
    } finally {
      clearTimeout(timer);
    }
  }

  function notify(op: Pick<FundingRecord, 'id' | 'userId' | 'status'>, events: OutboxEvent[]) {
    if (events.length) deps.outbox.publishCommitted(events);
    deps.pubsub
      .publish(topics.funding(op.userId), { fundingId: op.id, status: op.status } satisfies FundingChanged)
      .catch((err) => log.warn({ err: (err as Error).message }, 'publishing a funding update failed'));
  }

  /** Posts through the ledger inside `tx`; any refusal rolls the whole step back. */
  async function post(tx: Prisma.TransactionClient, requests: TransferRequest[]) {
    const { results, events } = await postThrough(tx, requests, deps.idempotencyTtlHours);
    const refused = results.find((r) => !r.ok);
    if (refused && !refused.ok) throw new Error(`ledger refused a funding step: ${refused.code} ${refused.message}`);
    return { ids: results.map((r) => (r.ok ? r.transfer.transactionId : '')), events };
  }

  const transfer = (op: FundingRecord, step: string, fields: Pick<TransferRequest, 'type' | 'amount' | 'from' | 'to' | 'note'>): TransferRequest => ({
    userId: op.userId,
    key: `funding:${op.id}:${step}`,
    operation: `funding.${step}`,
    hash: op.id,
    currency: op.currency,
    metadata: { fundingId: op.id },
    initiatedBy: op.userId,
    ...fields,
  });

  /** The deposit's money into the wallet, its fee out, and any debt repaid from it. */
  async function postDeposit(tx: Prisma.TransactionClient, op: FundingRecord) {
    const settlement = { system: SETTLEMENT[op.provider as Provider] };
    const wallet = { walletId: op.walletId };
    const requests = [
      transfer(op, 'post', { type: 'DEPOSIT', amount: op.amount, from: settlement, to: wallet, note: op.provider === 'card' ? 'Card top-up' : 'Bank transfer in' }),
    ];
    if (op.fee > 0n) requests.push(transfer(op, 'fee', { type: 'FEE', amount: op.fee, from: wallet, to: { system: 'FEES' }, note: 'Top-up fee' }));
    // Money owed from an earlier chargeback is repaid first, oldest debt first.
    const debts = await tx.userDebt.findMany({ where: { userId: op.userId, currency: op.currency, outstanding: { gt: 0n } }, orderBy: { createdAt: 'asc' } });
    let left = op.amount - op.fee;
    const repaid: { id: string; amount: bigint }[] = [];
    for (const debt of debts) {
      const amount = debt.outstanding < left ? debt.outstanding : left;
      if (amount <= 0n) break;
      left -= amount;
      repaid.push({ id: debt.id, amount });
      requests.push(transfer(op, `repay:${debt.id}`, { type: 'ADJUSTMENT', amount, from: wallet, to: { system: 'RECOVERY' }, note: 'Repayment of an amount owed' }));
    }
    const { ids, events } = await post(tx, requests);
    for (const r of repaid) {
      await tx.userDebt.update({ where: { id: r.id }, data: { outstanding: { decrement: r.amount }, updatedAt: new Date() } });
    }
    return { transactionId: ids[0]!, events };
  }

  /**
   * Takes the deposit back (chargeback, bank return, failure after success) as a new linked
   * transaction. What the wallet cannot cover is advanced from RECOVERY and recorded as a debt;
   * history is never edited.
   */
  async function reverseDeposit(tx: Prisma.TransactionClient, op: FundingRecord, transactionId: string, reason: string) {
    const [wallet] = await tx.$queryRaw<{ available: bigint }[]>`
      SELECT posted_balance - held_amount AS available FROM wallets WHERE id = ${op.walletId}::uuid FOR UPDATE`;
    const shortfall = op.amount > wallet!.available ? op.amount - wallet!.available : 0n;
    const requests: TransferRequest[] = [];
    if (shortfall > 0n) {
      requests.push(transfer(op, 'advance', { type: 'ADJUSTMENT', amount: shortfall, from: { system: 'RECOVERY' }, to: { walletId: op.walletId }, note: 'Advance to cover a reversal' }));
    }
    requests.push(transfer(op, 'reverse', { type: 'REVERSAL', amount: op.amount, from: { walletId: op.walletId }, to: { system: SETTLEMENT[op.provider as Provider] }, note: reason }));
    const { ids, events } = await post(tx, requests);
    const reversalId = ids.at(-1)!;
    await tx.$executeRaw`UPDATE ledger_transactions SET reverses_id = ${transactionId}::uuid, updated_at = now() WHERE id = ${reversalId}::uuid`;
    await tx.$executeRaw`UPDATE ledger_transactions SET status = 'REVERSED', updated_at = now() WHERE id = ${transactionId}::uuid`;
    if (shortfall > 0n) {
      await tx.userDebt.create({
        data: { userId: op.userId, currency: op.currency, amount: shortfall, outstanding: shortfall, reason, fundingOperationId: op.id, transactionId: ids[0]! },
      });
    }
    return { reversalId, events };
  }

  /** The processor paid out: the hold becomes the posted withdrawal (or card refund), in one transaction. */
  async function postWithdrawal(tx: Prisma.TransactionClient, op: FundingRecord) {
    await endHold(tx, { id: op.holdId!, walletId: op.walletId, amount: op.amount }, 'CAPTURED');
    const to = { system: SETTLEMENT[op.provider as Provider] };
    const { ids, events } = await post(tx, [
      op.refundOfId
        ? transfer(op, 'post', { type: 'REFUND', amount: op.amount, from: { walletId: op.walletId }, to, note: 'Refund to card' })
        : transfer(op, 'post', { type: 'WITHDRAWAL', amount: op.amount, from: { walletId: op.walletId }, to, note: 'Withdrawal to bank' }),
    ]);
    await tx.hold.update({ where: { id: op.holdId! }, data: { transactionId: ids[0]! } });
    return { transactionId: ids[0]!, events };
  }

  /** A payout came back (returned, or failed after settling): the money returns, as a linked transaction. */
  async function reverseWithdrawal(tx: Prisma.TransactionClient, op: FundingRecord, transactionId: string, reason: string) {
    const { ids, events } = await post(tx, [
      transfer(op, 'reverse', { type: 'REVERSAL', amount: op.amount, from: { system: SETTLEMENT[op.provider as Provider] }, to: { walletId: op.walletId }, note: reason }),
    ]);
    await tx.$executeRaw`UPDATE ledger_transactions SET reverses_id = ${transactionId}::uuid, updated_at = now() WHERE id = ${ids[0]!}::uuid`;
    await tx.$executeRaw`UPDATE ledger_transactions SET status = 'REVERSED', updated_at = now() WHERE id = ${transactionId}::uuid`;
    return { reversalId: ids[0]!, events };
  }

  async function apply(tx: Prisma.TransactionClient, op: FundingRecord, step: Step, event: WebhookEvent) {
    const events: OutboxEvent[] = [];
    const data: Prisma.FundingOperationUncheckedUpdateInput = { updatedAt: new Date(), providerRef: op.providerRef ?? event.data.providerRef };
    let transactionId = op.transactionId;
    const withdrawal = op.kind === 'WITHDRAWAL';
    if (step === 'post' || step === 'post-and-reverse') {
      const posted = withdrawal ? await postWithdrawal(tx, op) : await postDeposit(tx, op);
      transactionId = posted.transactionId;
      events.push(...posted.events);
      Object.assign(data, { status: 'SUCCEEDED', transactionId });
    }
    if (step === 'reverse' || step === 'post-and-reverse') {
      const reason = event.data.failureMessage ?? 'Reversed by the processor.';
      const reversed = withdrawal ? await reverseWithdrawal(tx, op, transactionId!, reason) : await reverseDeposit(tx, op, transactionId!, reason);
      events.push(...reversed.events);
      Object.assign(data, { status: 'REVERSED', reversalTransactionId: reversed.reversalId, failureCode: event.data.failureCode ?? null, failureMessage: reason });
    }
    if (step === 'fail') {
      if (withdrawal) await endHold(tx, { id: op.holdId!, walletId: op.walletId, amount: op.amount }, 'RELEASED');
      Object.assign(data, { status: 'FAILED', failureCode: event.data.failureCode ?? 'failed', failureMessage: event.data.failureMessage ?? 'The processor refused the payment.' });
    }
    const updated = await tx.fundingOperation.update({ where: { id: op.id }, data });
    return { updated, events };
  }

  /** What addFunds and withdraw check alike: amount, key, the user's method and wallet. */
  async function checkRequest(userId: string, methodId: string, money: MoneyInput, key: string, methodField: string) {
    const amount = parsePositiveAmount(money, deps.currencies);
    const keyProblem = idempotencyKeyProblem(key);
    const errors = [amount.ok ? null : amount.error, keyProblem].filter((e): e is UserError => Boolean(e));
    if (errors.length || !amount.ok) return { ok: false as const, errors };
    const method = await deps.paymentMethods.get(userId, methodId);
    if (!method) return failure('NOT_FOUND', 'No payment method of yours has that id.', methodField);
    const wallet = await prisma.wallet.findFirst({ where: { userId, currency: amount.currency, kind: 'USER' }, select: { id: true, status: true } });
    if (!wallet) return failure('NO_WALLET_IN_CURRENCY', `You have no ${amount.currency} wallet. Open one first.`, 'amount.currency');
    if (wallet.status !== 'ACTIVE') {
      return failure('WALLET_FROZEN', `Your ${amount.currency} wallet is ${wallet.status.toLowerCase()}: no money can move in or out. Contact support.`, 'amount.currency');
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
    create: (tx: Prisma.TransactionClient) => Promise<FundingRecord>,
  ): Promise<Outcome<{ op: FundingRecord; replayed: boolean }>> {
    try {
      return success({ op: await prisma.$transaction(create), replayed: false });
    } catch (err) {
      if (err instanceof Refusal) return { ok: false, errors: [err.userError] };
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
      const op = (await prisma.fundingOperation.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey: key } } }))!;
      if (op.requestHash !== hash) {
        return failure('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different request. Use a new key for a new request.', 'idempotencyKey');
      }
      return success({ op, replayed: true });
    }
  }

  /** Submits a new operation (or a retried one that never reached the processor) and answers with it. */
  async function afterCreate({ op, replayed }: { op: FundingRecord; replayed: boolean }, vaultToken: string) {
    let current = op;
    if (op.status === 'PENDING' && !op.providerRef) {
      await submit(op, vaultToken);
      current = (await prisma.fundingOperation.findUnique({ where: { id: op.id } }))!;
    }
    if (!replayed) notify(current, []);
    return { operation: current, replayed };
  }

  /**
   * The processors' settlement reports for `day` against our operations: money they moved that we
   * do not know or did not post, amounts that differ, and money we posted that they never moved.
   * (A movement settled within seconds of midnight can show on the two days around it.)
   */
  async function compareSettlements(day: string): Promise<Mismatch[]> {
    const mismatches: Mismatch[] = [];
    for (const provider of ['card', 'bank'] as const) {
      const lines = await (provider === 'card' ? deps.cards : deps.banks).settlementReport(day);
      const ids = lines.map((l) => l.reference).filter((r) => isUuid(r));
      const ops = new Map((await prisma.fundingOperation.findMany({ where: { id: { in: ids } } })).map((o) => [o.id, o]));
      for (const line of lines) {
        const op = ops.get(line.reference);
        const money = `${line.amount} ${line.currency} (minor units)`;
        const add = (problem: Mismatch['problem'], detail: string) => mismatches.push({ provider, reference: line.reference, problem, detail });
        if (!op) add('UNKNOWN_TO_LEDGER', `The processor moved ${money} under a reference no operation of ours has.`);
        else if (op.amount !== line.amount || op.currency !== line.currency) add('AMOUNT_DIFFERS', `The processor moved ${money}; we recorded ${op.amount} ${op.currency}.`);
        else if (op.status === 'PENDING') add('NOT_YET_POSTED', `The processor moved ${money}; the operation is still pending here.`);
        else if (op.status === 'FAILED') add('LEDGER_SAYS_FAILED', `The processor moved ${money}; the operation failed here.`);
      }
      const reported = new Set(lines.map((l) => l.reference));
      const posted = await prisma.$queryRaw<{ id: string; amount: bigint; currency: string }[]>`
        SELECT f.id::text, f.amount, f.currency FROM funding_operations f JOIN ledger_transactions t ON t.id = f.transaction_id
        WHERE f.provider = ${provider} AND t.created_at >= ${day}::date AND t.created_at < ${day}::date + 1`;
      for (const p of posted) {
        if (!reported.has(p.id)) {
          mismatches.push({ provider, reference: p.id, problem: 'NOT_SETTLED_BY_PROCESSOR', detail: `We posted ${p.amount} ${p.currency} (minor units) that the processor's report for ${day} does not show.` });
        }
      }
    }
    return mismatches;
  }

  const service: FundingService = {
    async addFunds(userId, input) {
      const checked = await checkRequest(userId, input.paymentMethodId, input.amount, input.idempotencyKey, 'paymentMethodId');
      if (!checked.ok) return checked;
      const { method, wallet, amount } = checked.value;
      if (!(method.kind === 'CARD' ? method.status === 'ACTIVE' : method.status === 'VERIFIED')) {
        return failure('PAYMENT_METHOD_UNUSABLE', 'Verify this bank account first (verifyBankAccount), or use another method.', 'paymentMethodId');
      }
      const provider: Provider = method.kind === 'CARD' ? 'card' : 'bank';
      const fee = feeFor(amount.amount, deps.fees[provider]);
      if (fee >= amount.amount) return failure('INVALID_AMOUNT', 'The amount must be more than the top-up fee.', 'amount.amount');
      const hash = requestHash(['addFunds', method.id, amount.currency, amount.amount]);
      const created = await createOnce(userId, input.idempotencyKey, hash, async (tx) => {
        await countFunding(tx, wallet.id, 'ADD', amount.amount);
        return tx.fundingOperation.create({
          data: {
            userId, walletId: wallet.id, currency: amount.currency, kind: 'DEPOSIT', paymentMethodId: method.id, provider,
            amount: amount.amount, fee, idempotencyKey: input.idempotencyKey, requestHash: hash,
          },
        });
      });
      if (!created.ok) return created;
      return success(await afterCreate(created.value, method.vaultToken));
    },

    async withdraw(userId, input) {
      const checked = await checkRequest(userId, input.bankAccountId, input.amount, input.idempotencyKey, 'bankAccountId');
      if (!checked.ok) return checked;
      const { method, wallet, amount } = checked.value;
      if (method.kind !== 'BANK_ACCOUNT' || method.status !== 'VERIFIED') {
        return failure('PAYMENT_METHOD_UNUSABLE', 'Withdrawals go to a verified bank account: add one and confirm its micro-deposits.', 'bankAccountId');
      }
      if (await deps.screenName(userId, method.holderName)) {
        return failure('WALLET_FROZEN', 'Your wallet is frozen pending a compliance review. Contact support.', 'bankAccountId');
      }
      const hash = requestHash(['withdraw', method.id, amount.currency, amount.amount]);
      const created = await createOnce(userId, input.idempotencyKey, hash, async (tx) => {
        await countFunding(tx, wallet.id, 'WITHDRAW', amount.amount);
        // The hold and the operation commit together. The conditional update is the balance check:
        // it takes the wallet's row lock, so transfers and other withdrawals spending the same
        // money wait, and available can never go below zero.
        const held = await tx.$executeRaw`
          UPDATE wallets SET held_amount = held_amount + ${amount.amount}, updated_at = now()
          WHERE id = ${wallet.id}::uuid AND status = 'ACTIVE' AND posted_balance - held_amount >= ${amount.amount}`;
        if (held === 0) refuse('INSUFFICIENT_FUNDS', 'Not enough available money in your wallet for this withdrawal.', 'amount');
        const hold = await tx.hold.create({ data: { walletId: wallet.id, amount: amount.amount, reason: 'withdrawal' } });
        return tx.fundingOperation.create({
          data: {
            userId, walletId: wallet.id, currency: amount.currency, kind: 'WITHDRAWAL', paymentMethodId: method.id, provider: 'bank',
            amount: amount.amount, fee: 0n, idempotencyKey: input.idempotencyKey, requestHash: hash, holdId: hold.id,
          },
        });
      });
      if (!created.ok) return created;
      return success(await afterCreate(created.value, method.vaultToken));
    },

    async refundDeposit(adminId, input) {
      const reason = input.reason.trim();
      const refused = [reasonProblem(reason), idempotencyKeyProblem(input.idempotencyKey)].filter((e): e is UserError => Boolean(e));
      if (refused.length) return { ok: false, errors: refused };
      const deposit = isUuid(input.fundingId) ? await prisma.fundingOperation.findUnique({ where: { id: input.fundingId } }) : null;
      if (!deposit || deposit.kind !== 'DEPOSIT') return failure('NOT_FOUND', 'No top-up has that id.', 'fundingId');
      if (deposit.provider !== 'card' || deposit.status !== 'SUCCEEDED') {
        return failure('INVALID_INPUT', 'Only a card top-up that succeeded (and was not charged back) can be refunded.', 'fundingId');
      }
      let requested: bigint | null = null;
      if (input.amount) {
        const amount = parsePositiveAmount(input.amount, deps.currencies);
        if (!amount.ok) return { ok: false, errors: [amount.error] };
        if (amount.currency !== deposit.currency) return failure('CURRENCY_MISMATCH', `The top-up was in ${deposit.currency}.`, 'amount.currency');
        requested = amount.amount;
      }
      const method = await prisma.paymentMethod.findUniqueOrThrow({ where: { id: deposit.paymentMethodId }, select: { vaultToken: true } });
      // Admin keys live beside the user's own keys: prefixed, so the two can never collide.
      const key = `admin:${adminId}:${input.idempotencyKey}`;
      const hash = requestHash(['refundDeposit', deposit.id, requested, reason]);
      const created = await createOnce(deposit.userId, key, hash, async (tx) => {
        // The top-up's row lock serialises refunds of it, so together they never exceed it.
        await tx.$queryRaw`SELECT id FROM funding_operations WHERE id = ${deposit.id}::uuid FOR UPDATE`;
        const [sum] = await tx.$queryRaw<{ refunded: bigint }[]>`
          SELECT coalesce(sum(amount), 0)::bigint AS refunded FROM funding_operations WHERE refund_of_id = ${deposit.id}::uuid AND status <> 'FAILED'`;
        const left = deposit.amount - sum!.refunded;
        const amount = requested ?? left;
        if (amount <= 0n || amount > left) {
          refuse('INVALID_AMOUNT', `At most ${formatAmount(left, deposit.currency)} ${deposit.currency} of this top-up can still be refunded.`, 'amount');
        }
        const held = await tx.$executeRaw`
          UPDATE wallets SET held_amount = held_amount + ${amount}, updated_at = now()
          WHERE id = ${deposit.walletId}::uuid AND status = 'ACTIVE' AND posted_balance - held_amount >= ${amount}`;
        if (held === 0) refuse('INSUFFICIENT_FUNDS', "The user's wallet no longer holds that much available money.", 'amount');
        const hold = await tx.hold.create({ data: { walletId: deposit.walletId, amount, reason: 'refund' } });
        return tx.fundingOperation.create({
          data: {
            userId: deposit.userId, walletId: deposit.walletId, currency: deposit.currency, kind: 'WITHDRAWAL', provider: 'card',
            paymentMethodId: deposit.paymentMethodId, amount, fee: 0n, idempotencyKey: key, requestHash: hash, holdId: hold.id,
            refundOfId: deposit.id, reason,
          },
        });
      });
      if (!created.ok) return created;
      return success(await afterCreate(created.value, method.vaultToken));
    },

    get: (userId, id) => (isUuid(id) ? prisma.fundingOperation.findFirst({ where: { id, userId } }) : Promise.resolve(null)),

    async list(userId, page) {
      const rows = await prisma.fundingOperation.findMany({ where: { userId, ...keysetWhere(page) }, orderBy: keysetOrder(page), take: page.limit + 1 });
      return toPage(rows, page, (r) => encodeCursor({ at: r.createdAt, id: r.id }));
    },

    async handleWebhook(provider, event) {
      const result = await prisma.$transaction(
        async (tx) => {
          if (!(await claimWebhookEvent(tx, provider, event))) return { outcome: 'DUPLICATE' as const };
          const reference = event.data.reference;
          const locked = isUuid(reference)
            ? await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM funding_operations WHERE id = ${reference}::uuid AND provider = ${provider} FOR UPDATE`
            : [];
          const op = locked.length ? await tx.fundingOperation.findUniqueOrThrow({ where: { id: reference } }) : null;
          const step: Step = !op
            ? 'unmatched'
            : event.data.amount !== op.amount.toString() || event.data.currency !== op.currency
              ? 'ignore'
              : stepFor(op.status, event.type);
          if (op && step === 'ignore' && event.data.amount !== op.amount.toString()) {
            log.warn({ fundingId: op.id, eventId: event.id }, 'webhook amount or currency differs from the deposit; ignored for reconciliation');
          }
          const outcome: RecordedOutcome = step === 'unmatched' ? 'UNMATCHED' : step === 'ignore' ? 'IGNORED' : 'APPLIED';
          const applied = op && outcome === 'APPLIED' ? await apply(tx, op, step, event) : null;
          await recordWebhookOutcome(tx, provider, event.id, outcome, { fundingOperationId: op?.id ?? null });
          return { outcome, applied };
        },
        { maxWait: 5_000, timeout: 15_000 },
      );
      if ('applied' in result && result.applied) notify(result.applied.updated, result.applied.events);
      return result.outcome;
    },

    async reconcile({ olderThanSeconds, day = new Date().toISOString().slice(0, 10) }) {
      const pending = await prisma.fundingOperation.findMany({
        where: { status: 'PENDING', createdAt: { lt: new Date(Date.now() - olderThanSeconds * 1000) } },
        include: { paymentMethod: { select: { vaultToken: true } } },
        orderBy: { createdAt: 'asc' },
        take: 500,
      });
      const report: ReconcileReport = { day, mismatches: [], checked: pending.length, resolved: [], resubmitted: [], stillPending: [] };
      for (const op of pending) {
        const provider = op.provider as Provider;
        const gateway = gatewayOf(op);
        const known = await gateway.lookup(op.id);
        if (!known) {
          await submit(op, op.paymentMethod.vaultToken);
          report.resubmitted.push(op.id);
        } else if (known.state === 'pending') {
          report.stillPending.push(op.id);
        } else {
          // Applied exactly like the webhook that never came (a fixed event id, so twice is once).
          await service.handleWebhook(provider, {
            id: `reconcile:${op.id}:${known.state}`,
            type: `${gateway.events}.${known.state}`,
            created: Math.floor(Date.now() / 1000),
            data: { reference: op.id, providerRef: known.providerRef, amount: known.amount.toString(), currency: known.currency },
          });
          report.resolved.push({ id: op.id, state: known.state });
        }
      }
      report.mismatches = await compareSettlements(day);
      return report;
    },
  };
  return service;
}
