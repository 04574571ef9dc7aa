// Cards and bank accounts a user funds their wallet from or withdraws to. Numbers go straight
// into the vault; this service keeps the token, the fingerprint and what may be shown (brand,
// last 4, expiry, holder). The CVC is passed to the gateway once, for verification, and is never
// stored or logged. Another user's method is NOT_FOUND, so ids cannot be probed.
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, inputPath, parseInput, success, type Outcome, type UserError } from '../errors.js';
import type { BankGateway, CardGateway } from '../gateways/gateways.js';
import { parseAmount } from '../money/money.js';
import type { VaultWriter } from '../vault/vault.js';
import { validateBankAccount } from './bankAccounts.js';
import { validateCard } from './cardNumbers.js';
import { isUuid } from '../ids.js';

export type PaymentMethodRecord = Prisma.PaymentMethodGetPayload<object>;

export interface AddCardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holderName: string;
}

export interface AddBankAccountInput {
  country: string;
  routingNumber?: string | null;
  iban?: string | null;
  accountNumber?: string | null;
  holderName: string;
}

export interface PaymentMethodService {
  addCard(userId: string, input: AddCardInput): Promise<Outcome<PaymentMethodRecord>>;
  addBankAccount(userId: string, input: AddBankAccountInput): Promise<Outcome<PaymentMethodRecord>>;
  verifyBankAccount(userId: string, input: { id: string; amounts: string[] }): Promise<Outcome<PaymentMethodRecord>>;
  list(userId: string): Promise<PaymentMethodRecord[]>;
  /** The method if it is the user's and not removed; null otherwise. */
  get(userId: string, id: string): Promise<PaymentMethodRecord | null>;
  remove(userId: string, id: string): Promise<Outcome<PaymentMethodRecord>>;
  setDefault(userId: string, id: string): Promise<Outcome<PaymentMethodRecord>>;
}

/** Wrong micro-deposit confirmations before the account is locked. */
export const MAX_VERIFICATION_ATTEMPTS = 3;
const MAX_METHODS_PER_USER = 20;

const holderNameSchema = z
  .string()
  .trim()
  .min(2, 'holderName must be 2 to 140 characters.')
  .max(140, 'holderName must be 2 to 140 characters.');
/** Usable for moving money: a verified card or a verified bank account. */
const USABLE = ['ACTIVE', 'VERIFIED'] as const;

export function createPaymentMethodService(deps: {
  prisma: PrismaClient;
  vault: VaultWriter;
  cards: CardGateway;
  banks: BankGateway;
  log: Logger;
}): PaymentMethodService {
  const { prisma, vault, log } = deps;

  const live = (userId: string) => ({ userId, status: { not: 'REMOVED' as const } });

  async function find(userId: string, id: string) {
    if (!isUuid(id)) return null;
    return prisma.paymentMethod.findFirst({ where: { id, ...live(userId) } });
  }

  async function existing(userId: string, kind: 'CARD' | 'BANK_ACCOUNT', fingerprint: string) {
    return prisma.paymentMethod.findFirst({ where: { ...live(userId), kind, fingerprint } });
  }

  /**
   * Stores a new method whose number is already in the vault. The same number added twice at
   * once meets the unique (user, kind, fingerprint) index: the loser returns the winner's row and
   * its vault record is discarded.
   */
  async function insert(data: Prisma.PaymentMethodUncheckedCreateInput): Promise<Outcome<PaymentMethodRecord>> {
    const count = await prisma.paymentMethod.count({ where: live(data.userId) });
    if (count >= MAX_METHODS_PER_USER) {
      await vault.discard(data.vaultToken);
      return failure('INVALID_INPUT', `You can keep at most ${MAX_METHODS_PER_USER} payment methods. Remove one first.`);
    }
    try {
      // The first usable method becomes the default.
      const isDefault =
        data.status === 'ACTIVE' && !(await prisma.paymentMethod.findFirst({ where: { ...live(data.userId), isDefault: true } }));
      return success(await prisma.paymentMethod.create({ data: { ...data, isDefault } }));
    } catch (err) {
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
      await vault.discard(data.vaultToken);
      const winner = await existing(data.userId, data.kind as 'CARD' | 'BANK_ACCOUNT', data.fingerprint);
      if (winner) return success(winner);
      // Only the default index left to clash with: store it as not the default.
      return success(await prisma.paymentMethod.create({ data: { ...data, isDefault: false } }));
    }
  }

  const invalid = (problems: { field: string; message: string }[]): Outcome<never> => ({
    ok: false,
    errors: problems.map((p): UserError => ({ field: inputPath(p.field), code: 'INVALID_INPUT', message: p.message })),
  });

  /** A card or account that could not be added: many in a day make the risk rules review or block sends. */
  async function recordFailure(userId: string, kind: 'CARD' | 'BANK_ACCOUNT', reason: string) {
    await prisma.paymentMethodFailure.create({ data: { userId, kind, reason } });
  }

  return {
    async addCard(userId, input) {
      const card = validateCard({ number: input.number, expMonth: input.expMonth, expYear: input.expYear, cvc: input.cvc }, new Date());
      const holder = parseInput(holderNameSchema, input.holderName);
      const problems = [
        ...(card.ok ? [] : card.problems),
        ...(holder.ok ? [] : [{ field: 'holderName', message: holder.errors[0]!.message }]),
      ];
      if (!card.ok) await recordFailure(userId, 'CARD', 'invalid card details');
      if (!card.ok || !holder.ok) return invalid(problems);

      const same = await existing(userId, 'CARD', vault.fingerprint('PAN', card.digits));
      if (same) return success(same);
      const { token, fingerprint } = await vault.store('PAN', card.digits, { ownerId: userId });
      const verified = await deps.cards.verifyCard({ vaultToken: token, expMonth: input.expMonth, expYear: input.expYear, cvc: input.cvc });
      if (!verified.ok) {
        await vault.discard(token);
        await recordFailure(userId, 'CARD', 'declined by the processor');
        return failure('CARD_DECLINED', verified.message, 'number');
      }
      return insert({
        userId,
        kind: 'CARD',
        status: 'ACTIVE',
        vaultToken: token,
        fingerprint,
        last4: card.last4,
        holderName: holder.value,
        brand: card.brand,
        expMonth: input.expMonth,
        expYear: input.expYear,
        gatewayRef: verified.gatewayRef,
      });
    },

    async addBankAccount(userId, input) {
      const account = validateBankAccount(input);
      if (!account.ok) return invalid(account.problems);
      const identity = `${account.country}:${account.routingNumber ?? ''}:${account.accountNumber}`;
      const same = await existing(userId, 'BANK_ACCOUNT', vault.fingerprint('BANK_ACCOUNT', identity));
      if (same) return success(same);
      // The fingerprint covers routing number and account; the vault keeps only the account number.
      const { token } = await vault.store('BANK_ACCOUNT', account.accountNumber, { ownerId: userId });
      const { gatewayRef } = await deps.banks.linkAccount({
        vaultToken: token,
        scheme: account.scheme,
        country: account.country,
        routingNumber: account.routingNumber,
      });
      return insert({
        userId,
        kind: 'BANK_ACCOUNT',
        status: 'PENDING_VERIFICATION',
        vaultToken: token,
        fingerprint: vault.fingerprint('BANK_ACCOUNT', identity),
        last4: account.last4,
        holderName: input.holderName.trim(),
        country: account.country,
        scheme: account.scheme,
        routingNumber: account.routingNumber,
        gatewayRef,
      });
    },

    async verifyBankAccount(userId, input) {
      const { id } = input;
      const method = await find(userId, id);
      if (method?.kind !== 'BANK_ACCOUNT') return failure('NOT_FOUND', 'No bank account of yours has that id.', 'id');
      if (method.status === 'VERIFIED') return success(method);
      if (method.status === 'LOCKED') {
        return failure('VERIFICATION_LOCKED', 'Too many wrong amounts: this bank account is locked. Remove it and add it again.', 'id');
      }
      // Micro-deposits are under one unit of the account's currency (USD for ACH, EUR for SEPA).
      const parsed = input.amounts.map((a) => parseAmount(a, method.scheme === 'ACH' ? 'USD' : 'EUR'));
      const amounts = parsed.flatMap((p) => (p.ok && p.amount > 0n && p.amount < 100n ? [p.amount] : []));
      if (input.amounts.length !== 2 || amounts.length !== 2) {
        return failure(
          'INVALID_INPUT',
          'Give the two micro-deposit amounts as they appear on your statement, e.g. ["0.12", "0.34"].',
          'amounts',
        );
      }
      if (await deps.banks.confirmMicroDeposits({ gatewayRef: method.gatewayRef!, amounts })) {
        const verified = await prisma.paymentMethod.updateManyAndReturn({
          where: { id, status: 'PENDING_VERIFICATION' },
          data: { status: 'VERIFIED', updatedAt: new Date() },
        });
        const row = verified[0] ?? (await find(userId, id));
        if (row?.status === 'VERIFIED' && !(await prisma.paymentMethod.findFirst({ where: { ...live(userId), isDefault: true } }))) {
          return success(await setDefaultRow(userId, row.id));
        }
        return row ? success(row) : failure('NOT_FOUND', 'No bank account of yours has that id.', 'id');
      }
      // A wrong guess counts even when several arrive at once: the increment is one statement.
      const [after] = await prisma.$queryRaw<{ verification_attempts: number; status: string }[]>`
        UPDATE payment_methods
        SET verification_attempts = verification_attempts + 1,
            status = CASE WHEN verification_attempts + 1 >= ${MAX_VERIFICATION_ATTEMPTS} THEN 'LOCKED'::"PaymentMethodStatus" ELSE status END,
            updated_at = now()
        WHERE id = ${id}::uuid AND status = 'PENDING_VERIFICATION'
        RETURNING verification_attempts, status::text`;
      await recordFailure(userId, 'BANK_ACCOUNT', 'wrong micro-deposit amounts');
      if (!after || after.status === 'LOCKED') {
        log.info({ paymentMethodId: id }, 'bank account locked after wrong micro-deposit amounts');
        return failure(
          'VERIFICATION_LOCKED',
          'Too many wrong amounts: this bank account is locked. Remove it and add it again.',
          'amounts',
        );
      }
      const left = MAX_VERIFICATION_ATTEMPTS - after.verification_attempts;
      return failure('VERIFICATION_FAILED', `Those are not the amounts we sent. ${left} ${left === 1 ? 'try' : 'tries'} left.`, 'amounts');
    },

    list: (userId) => prisma.paymentMethod.findMany({ where: live(userId), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    get: find,

    async remove(userId, id) {
      const method = await find(userId, id);
      if (!method) return failure('NOT_FOUND', 'No payment method of yours has that id.', 'id');
      const [removed] = await prisma.paymentMethod.updateManyAndReturn({
        where: { id, status: { not: 'REMOVED' } },
        data: { status: 'REMOVED', isDefault: false, removedAt: new Date(), updatedAt: new Date() },
      });
      return removed ? success(removed) : failure('NOT_FOUND', 'No payment method of yours has that id.', 'id');
    },

    async setDefault(userId, id) {
      const method = await find(userId, id);
      if (!method) return failure('NOT_FOUND', 'No payment method of yours has that id.', 'id');
      if (!(USABLE as readonly string[]).includes(method.status)) {
        return failure('PAYMENT_METHOD_UNUSABLE', 'Only a verified card or bank account can be the default.', 'id');
      }
      return success(await setDefaultRow(userId, id));
    },
  };

  async function setDefaultRow(userId: string, id: string) {
    return prisma.$transaction(async (tx) => {
      await tx.paymentMethod.updateMany({ where: { userId, isDefault: true, id: { not: id } }, data: { isDefault: false } });
      return tx.paymentMethod.update({ where: { id }, data: { isDefault: true, updatedAt: new Date() } });
    });
  }
}
