// Money moving between wallets on a user's or an admin's request: P2P sendMoney and admin
// balance adjustments. Input is validated here; everything that depends on the state of the
// database (recipient, balances, idempotency) is decided by the ledger's posting function in the
// same transaction, and refusals from there are recorded against the idempotency key.
import { z } from 'zod';
import { normaliseEmail, phoneField } from '../accounts/accountInput.js';
import { inputPath, parseInput, reasonProblem, type Outcome, type UserError } from '../errors.js';
import { viewOfPosted, walletAfterPosted, type TransactionView } from '../history/transactions.js';
import type { Ledger, Party, TransferResult } from '../ledger/postTransfers.js';
import type { Currencies } from '../money/currencies.js';
import type { WalletRecord } from '../wallets/wallets.js';
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

export interface TransferService {
  sendMoney(userId: string, input: SendMoneyInput): Promise<Outcome<TransferOutcome>>;
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

export function createTransferService(deps: { ledger: Ledger; currencies: Currencies }): TransferService {
  const { ledger, currencies } = deps;

  /** Turns a ledger result into the API outcome, seen from one side, without reading again. */
  function finish(result: TransferResult, side: 'from' | 'to', recipient?: { email?: string; phone?: string }): Outcome<TransferOutcome> {
    if (!result.ok) {
      return { ok: false, errors: [{ field: result.field ? inputPath(result.field) : null, code: result.code, message: result.message }] };
    }
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

  return {
    async sendMoney(userId, input) {
      const recipient = parseInput(recipientSchema, input.recipient);
      if (!recipient.ok) {
        return { ok: false, errors: recipient.errors.map((e) => ({ ...e, field: ['input', 'recipient', ...(e.field?.slice(1) ?? [])] })) };
      }
      const amount = parsePositiveAmount(input.amount, currencies);
      const note = parseNote(input.note);
      const refused = firstError(
        amount.ok ? null : amount.error,
        note.ok ? null : note.error,
        idempotencyKeyProblem(input.idempotencyKey),
      );
      if (refused || !amount.ok || !note.ok) return refused!;

      const r = recipient.value;
      const to: Party = r.email ? { email: normaliseEmail(r.email) } : r.phone ? { phone: r.phone } : { walletId: r.walletId! };
      const [result] = await ledger.postTransfers([
        {
          userId,
          key: input.idempotencyKey,
          operation: 'sendMoney',
          hash: requestHash(['sendMoney', to, amount.currency, amount.amount, note.note]),
          type: 'P2P_TRANSFER',
          currency: amount.currency,
          amount: amount.amount,
          from: { userId },
          to,
          note: note.note,
          // Kept so the sender (only) sees the identifier they typed.
          metadata: { recipient: to },
          initiatedBy: userId,
          limits: true,
        },
      ]);
      return finish(result!, 'from', 'walletId' in to ? undefined : to);
    },

    async adjustBalance(adminId, input) {
      const amount = parsePositiveAmount(input.amount, currencies);
      const reason = input.reason.trim();
      const refused = firstError(
        amount.ok ? null : amount.error,
        reasonProblem(reason),
        idempotencyKeyProblem(input.idempotencyKey),
      );
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
      if (!result!.ok && (result!.code === 'RECIPIENT_NOT_FOUND' || result!.code === 'NO_WALLET_IN_CURRENCY')) {
        return { ok: false, errors: [{ field: ['input', 'walletId'], code: 'NOT_FOUND', message: 'No user wallet with that id.' }] };
      }
      return finish(result!, input.direction === 'CREDIT' ? 'to' : 'from');
    },
  };
}
