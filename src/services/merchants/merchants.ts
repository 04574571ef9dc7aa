// Merchants: registering one (its owner, its wallet in the settlement currency, its static QR
// code), members and their roles, and the one membership check every merchant operation uses.
// OWNER and STAFF take payments and refund them; only an OWNER manages members, API keys and
// webhooks. A user who is not a member sees nothing of a merchant (NOT_FOUND, like any missing id).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { normaliseEmail } from '../accounts/accountInput.js';
import { failure, parseInput, success, type Outcome } from '../errors.js';
import type { Currencies } from '../money/currencies.js';
import { newPaymentCode } from './paymentCodes.js';
import { webhookUrlProblem } from './webhookUrls.js';
import { isUuid } from '../ids.js';
import { categoryOfMcc, isMcc, type MerchantCategory } from '../insights/categories.js';

export type MerchantRole = 'OWNER' | 'STAFF';

export interface MerchantRecord {
  id: string;
  name: string;
  category: string;
  /** ISO 18245 merchant category code, when the merchant gave one. */
  mcc: string | null;
  /** The spending category its MCC falls in (OTHER without one): how payers' insights file its payments. */
  spendingCategory: MerchantCategory;
  settlementCurrency: string;
  webhookUrl: string | null;
  createdAt: Date;
}

/**
 * Who acts for a merchant: a signed-in member, or one of the merchant's API keys (STAFF powers;
 * its scopes are checked by the API). `createdBy` is the owner who made the key.
 */
/** A member as the merchant's OWNER sees them. */
export interface MerchantMemberRecord {
  userId: string;
  displayName: string;
  email: string;
  role: MerchantRole;
}

export type MerchantActor = { kind: 'user'; userId: string } | { kind: 'apiKey'; keyId: string; merchantId: string; createdBy: string };

/**
 * The user an actor's requests are recorded under, and its idempotency key as stored: an API
 * key's keys are kept apart from its creator's own (a space never occurs in a client's key).
 */
export function actingUser(actor: MerchantActor, idempotencyKey?: string): { userId: string; key: string } {
  if (actor.kind === 'user') return { userId: actor.userId, key: idempotencyKey ?? '' };
  const hashed = idempotencyKey === undefined ? '' : createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 48);
  return { userId: actor.createdBy, key: `apikey ${actor.keyId} ${hashed}` };
}

export interface MerchantService {
  /** The new merchant and its first webhook signing secret (shown this once). */
  register(
    userId: string,
    input: { name: string; category: string; categoryCode?: string | null; settlementCurrency: string; webhookUrl?: string | null },
  ): Promise<Outcome<{ merchant: MerchantRecord; webhookSecret: string }>>;
  /** OWNER only: sets the merchant's category code (and so its spending category); userErrors name the `categoryCode` argument. */
  setCategoryCode(ownerId: string, merchantId: string, mcc: string): Promise<Outcome<MerchantRecord & { role: MerchantRole }>>;
  /** The merchants the user is a member of, with their role. */
  listForUser(userId: string): Promise<(MerchantRecord & { role: MerchantRole })[]>;
  /** The merchant if the user is a member with one of `roles`; null otherwise (indistinguishable from missing). */
  forMember(userId: string, merchantId: string, roles?: readonly MerchantRole[]): Promise<(MerchantRecord & { role: MerchantRole }) | null>;
  /** Like forMember for any actor: an API key acts as STAFF of its own merchant only. */
  forActor(
    actor: MerchantActor,
    merchantId: string,
    roles?: readonly MerchantRole[],
  ): Promise<(MerchantRecord & { role: MerchantRole }) | null>;
  addMember(ownerId: string, input: { merchantId: string; email: string; role: MerchantRole }): Promise<Outcome<MerchantMemberRecord>>;
  members(merchantId: string): Promise<MerchantMemberRecord[]>;
  /** The merchant's wallets (posted and held, per currency). */
  balances(merchantId: string): Promise<{ currency: string; posted: bigint; held: bigint }[]>;
}

const mccField = z.string().trim().refine(isMcc, 'must be a four-digit ISO 18245 merchant category code, e.g. "5812"');

const registerSchema = z.object({
  name: z.string().trim().min(2).max(100),
  category: z.string().trim().min(2).max(50),
  categoryCode: mccField.nullish(),
  settlementCurrency: z.string(),
  webhookUrl: z.string().nullish(),
});

export function createMerchantService(deps: {
  prisma: PrismaClient;
  currencies: Currencies;
  /** Accept http and loopback/private webhook URLs (development, tests). */
  allowLocalWebhookUrls: boolean;
  /** A new webhook signing secret in the vault (recorded for the merchant in its registration transaction). */
  newWebhookSecret: () => Promise<{ secret: string; vaultToken: string }>;
  log: Logger;
}): MerchantService {
  const { prisma, log } = deps;
  const select = {
    id: true,
    name: true,
    category: true,
    mcc: true,
    spendingCategory: true,
    settlementCurrency: true,
    webhookUrl: true,
    createdAt: true,
  } as const;
  // spending_category is a text column CHECKed against MERCHANT_CATEGORIES.
  const toRecord = <M extends { spendingCategory: string }>(m: M) => ({ ...m, spendingCategory: m.spendingCategory as MerchantCategory });

  const service: MerchantService = {
    async register(userId, input) {
      const parsed = parseInput(registerSchema, input);
      const urlProblem = input.webhookUrl ? webhookUrlProblem(input.webhookUrl, deps.allowLocalWebhookUrls) : null;
      if (!parsed.ok || urlProblem) {
        const errors = [
          ...(parsed.ok ? [] : parsed.errors),
          ...(urlProblem ? [{ field: ['input', 'webhookUrl'], code: 'INVALID_INPUT' as const, message: urlProblem }] : []),
        ];
        return { ok: false, errors };
      }
      const { name, category, settlementCurrency } = parsed.value;
      const mcc = parsed.value.categoryCode ?? null;
      if (!deps.currencies.get(settlementCurrency))
        return failure('UNSUPPORTED_CURRENCY', `${settlementCurrency} is not a supported currency.`, 'settlementCurrency');
      // The merchant, its owner, its wallet, its static QR code and its webhook secret exist
      // together or not at all (a secret vaulted for a registration that failed is never used).
      const { secret, vaultToken } = await deps.newWebhookSecret();
      const merchant = await prisma.$transaction(async (tx) => {
        const m = await tx.merchant.create({
          data: {
            name,
            category,
            mcc,
            spendingCategory: mcc ? categoryOfMcc(mcc) : 'OTHER',
            settlementCurrency,
            webhookUrl: parsed.value.webhookUrl ?? null,
            createdBy: userId,
          },
          select,
        });
        await tx.merchantMember.create({ data: { merchantId: m.id, userId, role: 'OWNER' } });
        await tx.wallet.create({ data: { kind: 'MERCHANT', merchantId: m.id, currency: settlementCurrency } });
        await tx.paymentRequest.create({
          data: {
            merchantId: m.id,
            code: newPaymentCode(),
            currency: settlementCurrency,
            singleUse: false,
            isStatic: true,
            createdBy: userId,
          },
        });
        await tx.merchantWebhookSecret.create({ data: { merchantId: m.id, vaultToken } });
        return m;
      });
      log.info({ merchantId: merchant.id, userId }, 'merchant registered');
      return success({ merchant: toRecord(merchant), webhookSecret: secret });
    },

    async listForUser(userId) {
      const rows = await prisma.merchantMember.findMany({
        where: { userId },
        include: { merchant: { select } },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((r) => ({ ...toRecord(r.merchant), role: r.role }));
    },

    async forMember(userId, merchantId, roles = ['OWNER', 'STAFF']) {
      if (!isUuid(merchantId)) return null;
      const row = await prisma.merchantMember.findUnique({
        where: { merchantId_userId: { merchantId, userId } },
        include: { merchant: { select } },
      });
      return row && roles.includes(row.role) ? { ...toRecord(row.merchant), role: row.role } : null;
    },

    async forActor(actor, merchantId, roles = ['OWNER', 'STAFF']) {
      if (actor.kind === 'user') return service.forMember(actor.userId, merchantId, roles);
      if (actor.merchantId !== merchantId || !roles.includes('STAFF')) return null;
      const merchant = await prisma.merchant.findUnique({ where: { id: merchantId }, select });
      return merchant ? { ...toRecord(merchant), role: 'STAFF' as const } : null;
    },

    async setCategoryCode(ownerId, merchantId, mcc) {
      // Whose merchant first: a stranger learns nothing about it, not even that the code was wrong.
      const merchant = await service.forMember(ownerId, merchantId, ['OWNER']);
      if (!merchant) return failure('NOT_FOUND', 'No merchant of yours has that id.', { argument: 'merchantId' });
      const parsed = parseInput(z.object({ mcc: mccField }), { mcc });
      if (!parsed.ok)
        return {
          ok: false,
          errors: parsed.errors.map((e) => ({ ...e, field: ['categoryCode'], message: `categoryCode ${e.message.replace(/^mcc: /, '')}` })),
        };
      const code = parsed.value.mcc;
      const updated = await prisma.merchant.update({
        where: { id: merchant.id },
        data: { mcc: code, spendingCategory: categoryOfMcc(code) },
        select,
      });
      return success({ ...toRecord(updated), role: merchant.role });
    },

    async addMember(ownerId, input) {
      const merchant = await service.forMember(ownerId, input.merchantId, ['OWNER']);
      if (!merchant) return failure('NOT_FOUND', 'No merchant of yours has that id.', 'merchantId');
      const user = await prisma.user.findUnique({
        where: { email: normaliseEmail(input.email) },
        select: { id: true, displayName: true, email: true },
      });
      if (!user) return failure('NOT_FOUND', 'No user has that email.', 'email');
      const member = await prisma.merchantMember.upsert({
        where: { merchantId_userId: { merchantId: merchant.id, userId: user.id } },
        create: { merchantId: merchant.id, userId: user.id, role: input.role },
        update: { role: input.role },
      });
      return success({ userId: member.userId, displayName: user.displayName, email: user.email, role: member.role });
    },

    async members(merchantId) {
      const rows = await prisma.merchantMember.findMany({
        where: { merchantId },
        include: { user: { select: { displayName: true, email: true } } },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((r) => ({ userId: r.userId, displayName: r.user.displayName, email: r.user.email, role: r.role }));
    },

    async balances(merchantId) {
      const rows = await prisma.wallet.findMany({ where: { merchantId }, orderBy: { currency: 'asc' } });
      return rows.map((w) => ({ currency: w.currency, posted: w.postedBalance, held: w.heldAmount }));
    },
  };
  return service;
}
