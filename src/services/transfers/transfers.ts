// Money moving between wallets on a user's or an admin's request: P2P sendMoney (with its dry run,
// previewTransfer) and admin balance adjustments. Input is validated here and the risk rules run
// here; everything that depends on the state of the database (recipient, balances, limits,
// idempotency) is decided by the ledger's posting function in the same transaction, which also
// applies the risk decision and records refusals against the idempotency key.
import type { AuditLog } from '../audit/auditLog.js';
import { z } from 'zod';
import { normaliseEmail, phoneField } from '../accounts/accountInput.js';
import { parseInput, reasonProblem, type Outcome, type UserError } from '../errors.js';
import { viewOfPosted, walletAfterPosted, type TransactionView } from '../history/history.js';
import { refusalError, type Ledger, type LedgerCaller, type Party, type TransferResult } from '../ledger/ledger.js';
import type { LimitsService, LimitUsage } from '../compliance/limits.js';
import type { Currencies } from '../money/currencies.js';
import type { RiskDecision } from '../risk/riskRule.js';
import type { RiskEngine } from '../risk/riskEngine.js';
import type { WalletRecord } from '../wallets/wallets.js';
import type { Phones } from '../accounts/phones.js';
import { sealRecipient, type SentRecipient } from '../history/sentRecipients.js';
import type { SealedValues } from '../vault/sealedValues.js';
import { idempotencyKeyProblem, parseNote, parsePositiveAmount, requestHash, type MoneyInput } from './transferInput.js';

export interface SendMoneyInput {
  recipient: { email?: string | null; phone?: string | null; walletId?: string | null };
  amount: MoneyInput;
  note?: string | null;
  idempotencyKey: string;
}

export interface AdjustBalanceInput {
  walletId: string;
  amount: MoneyInput;
  direction: 'CREDIT' | 'DEBIT';
  reason: string;
  idempotencyKey: string;
}

export interface TransferOutcome {
  transfer: TransactionView;
  wallet: WalletRecord;
  /** True when this answer replays an earlier request with the same idempotency key. */
  replayed: boolean;
}

/** Where a request came from, as the risk rules see it. */
export interface RequestOrigin {
  /** The X-Device-Id header (HTTP) or connection parameter (WebSocket). */
  deviceId?: string | null;
  /** The signed-in session sending (a large first payment to someone needs its second factor). */
  sessionId?: string | null;
}

export interface TransferPreview {
  currency: string;
  amount: bigint;
  fee: bigint;
  /** amount + fee: what leaves the wallet. */
  total: bigint;
  /** The send limits of that wallet as they would be after this transfer. */
  limitsAfter: (LimitUsage & { exceeded: boolean })[];
  riskDecision: RiskDecision;
}

export interface TransferService {
  sendMoney(userId: string, input: SendMoneyInput, origin?: RequestOrigin): Promise<Outcome<TransferOutcome>>;
  /** What sendMoney would do now (fee, limits after, risk decision), moving and reserving nothing. */
  previewTransfer(userId: string, input: Omit<SendMoneyInput, 'idempotencyKey'>, origin?: RequestOrigin): Promise<Outcome<TransferPreview>>;
  adjustBalance(adminId: string, input: AdjustBalanceInput): Promise<Outcome<TransferOutcome>>;
}

const recipientSchema = z
  .object({
    email: z.string().max(300).nullish(),
    phone: phoneField.nullish(),
    walletId: z.uuid().nullish(),
  })
  .refine((r) => [r.email, r.phone, r.walletId].filter((v) => v != null && v !== '').length === 1, {
    message: 'give exactly one of email, phone or walletId',
  });

/** Who a user can send to: someone's email, or phone (by its keyed hash: phones.ts), or a wallet id. */
type SendParty = { email: string } | { phoneHash: string; phone?: string } | { walletId: string };

const SEND_LIMITS = new Set(['PER_TRANSACTION', 'DAILY_SEND', 'MONTHLY_SEND']);

export function createTransferService(deps: {
  ledger: Ledger;
  currencies: Currencies;
  risk: RiskEngine;
  limits: LimitsService;
  audit: AuditLog;
  phones: Pick<Phones, 'party'>;
  sealed: SealedValues;
}): TransferService {
  const { ledger, currencies, risk } = deps;

  /** Turns a ledger result into the API outcome, seen from one side, without reading again. */
  function finish(
    result: TransferResult,
    caller: LedgerCaller,
    side: 'from' | 'to',
    recipient?: { email?: string; phone?: string },
  ): Outcome<TransferOutcome> {
    if (!result.ok) return { ok: false, errors: [refusalError(result, caller)], replayed: result.replayed };
    return {
      ok: true,
      value: {
        transfer: viewOfPosted(result.transfer, side, recipient),
        wallet: walletAfterPosted(result.transfer, side),
        replayed: result.replayed,
      },
    };
  }

  function firstError(...checks: (UserError | null | undefined)[]): Outcome<never> | null {
    const errors = checks.filter((e): e is UserError => Boolean(e));
    return errors.length ? { ok: false, errors } : null;
  }

  /** A send's input, checked: who to, how much, the note. */
  function parseSend(
    input: Omit<SendMoneyInput, 'idempotencyKey'>,
    idempotencyKey: string | null,
  ): Outcome<{ to: SendParty; typed: SentRecipient | null; currency: string; amount: bigint; note: string | null }> {
    const recipient = parseInput(recipientSchema, input.recipient);
    if (!recipient.ok) {
      return { ok: false, errors: recipient.errors.map((e) => ({ ...e, field: ['input', 'recipient', ...(e.field?.slice(1) ?? [])] })) };
    }
    const amount = parsePositiveAmount(input.amount, currencies);
    const note = parseNote(input.note);
    const refused = firstError(
      amount.ok ? null : amount.error,
      note.ok ? null : note.error,
      idempotencyKey === null ? null : idempotencyKeyProblem(idempotencyKey),
    );
    if (refused || !amount.ok || !note.ok) return refused!;
    const r = recipient.value;
    const typed: SentRecipient | null = r.email ? { email: normaliseEmail(r.email) } : r.phone ? { phone: r.phone } : null;
    const to: SendParty = typed ? ('email' in typed ? typed : deps.phones.party(typed.phone)) : { walletId: r.walletId! };
    return { ok: true, value: { to, typed, currency: amount.currency, amount: amount.amount, note: note.note } };
  }

  return {
    async sendMoney(userId, input, origin = {}) {
      const parsed = parseSend(input, input.idempotencyKey);
      if (!parsed.ok) return parsed;
      const { to, typed, note, currency, amount } = parsed.value;
      // The request's fingerprint names a phone by its hash alone (stored with the key: no number in it).
      const named = 'phoneHash' in to ? { phoneHash: to.phoneHash } : to;
      const request = {
        userId,
        key: input.idempotencyKey,
        currency,
        amount,
        to,
        deviceId: origin.deviceId ?? null,
        sessionId: origin.sessionId ?? null,
      };
      return risk.assessAndPost(request, async (assessment) => {
        const [result] = await ledger.postTransfers([
          {
            userId,
            key: input.idempotencyKey,
            operation: 'sendMoney',
            hash: requestHash(['sendMoney', named, currency, amount, note]),
            type: 'P2P_TRANSFER',
            currency,
            amount,
            from: { userId },
            to,
            note,
            // Kept so the sender (only) sees the identifier they typed, sealed (sentRecipients.ts).
            ...(typed ? { metadata: { recipient: sealRecipient(deps.sealed, userId, typed) } } : {}),
            initiatedBy: userId,
            limits: true,
            risk: assessment,
          },
        ]);
        return finish(result!, 'sendMoney', 'from', typed ?? undefined);
      });
    },

    async previewTransfer(userId, input, origin = {}) {
      const parsed = parseSend(input, null);
      if (!parsed.ok) return parsed;
      const { to, currency, amount } = parsed.value;
      const [refusal, riskDecision, mine] = await Promise.all([
        ledger.previewRefusal({ userId }, to, currency, amount),
        risk.preview({ userId, key: null, currency, amount, to, deviceId: origin.deviceId ?? null }),
        deps.limits.forUser(userId),
      ]);
      // What sendMoney would refuse, the preview refuses in the same words and order: a BLOCK before
      // anything else (the posting function's step 2), then the ledger's own checks.
      if (riskDecision === 'BLOCK')
        return { ok: false, errors: [refusalError({ code: 'TRANSFER_DECLINED', part: null, facts: {} }, 'sendMoney')] };
      if (refusal) return { ok: false, errors: [refusalError(refusal, 'sendMoney')] };
      // P2P sends carry no fee; the field is here so a client shows one total for every kind of send.
      const fee = 0n;
      const limitsAfter = mine.limits
        .filter((l) => l.currency === currency && SEND_LIMITS.has(l.kind))
        .map((l) => {
          const used = l.kind === 'PER_TRANSACTION' ? amount : l.used + amount;
          return { ...l, used, remaining: l.limit > used ? l.limit - used : 0n, exceeded: used > l.limit };
        });
      return { ok: true, value: { currency, amount, fee, total: amount + fee, limitsAfter, riskDecision } };
    },

    async adjustBalance(adminId, input) {
      const amount = parsePositiveAmount(input.amount, currencies);
      const reason = input.reason.trim();
      const refused = firstError(amount.ok ? null : amount.error, reasonProblem(reason), idempotencyKeyProblem(input.idempotencyKey));
      if (refused || !amount.ok) return refused!;
      const target: Party = { walletId: input.walletId };
      const system: Party = { system: 'ADJUSTMENTS' };
      const [result] = await ledger.postTransfers([
        {
          userId: adminId,
          key: input.idempotencyKey,
          operation: 'adjustBalance',
          hash: requestHash(['adjustBalance', input.walletId, input.direction, amount.currency, amount.amount, reason]),
          type: 'ADJUSTMENT',
          currency: amount.currency,
          amount: amount.amount,
          from: input.direction === 'CREDIT' ? system : target,
          to: input.direction === 'CREDIT' ? target : system,
          note: reason.slice(0, 280),
          metadata: { reason, adminId, direction: input.direction },
          initiatedBy: adminId,
        },
      ]);
      if (result!.ok && !result!.replayed) {
        // After the posting call, which is its own transaction: the adjustment itself is the
        // ledger's append-only record (with the admin and the reason); this is its audit entry.
        const side = input.direction === 'CREDIT' ? result!.transfer.to : result!.transfer.from;
        await deps.audit.record({
          kind: 'admin.balance_adjusted',
          actorId: adminId,
          subjectId: side.userId,
          details: {
            walletId: input.walletId,
            transactionId: result!.transfer.transactionId,
            direction: input.direction,
            amount: amount.amount.toString(),
            currency: amount.currency,
          },
        });
      }
      return finish(result!, 'adjustBalance', input.direction === 'CREDIT' ? 'to' : 'from');
    },
  };
}
