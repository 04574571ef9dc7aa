// Erasing an account (issue 18, GDPR "right to erasure"). Refused while money or a matter is open:
// a balance or a hold, a debt, a top-up or withdrawal in flight, a KYC case, a review or an AML
// case (the last not named as such: the law forbids telling), or a merchant only they own.
// Otherwise, in one transaction:
// - the user row keeps its id (the ledger points at it) and loses the rest: the email becomes
//   erased+<id>@erased.invalid, the name "Erased user", the phone and password go;
// - wallets are closed; the ledger's rows keep their money and lose the names in them
//   (ledger/personalDetails.ts);
// - sessions end (and their live subscriptions with them) and lose their IP, agent and device;
//   MFA, recovery codes, one-time codes, queued messages and merchant memberships are deleted;
//   payment methods are removed (their holder's name with them);
// - vault records the user owns are destroyed, but for the identity a KYC case holds, which the
//   AML rules keep for KYC_RETENTION_DAYS after the relationship ends (sealed, destroyed after);
// - an audit event records the erasure under the user's id.
// After commit the sessions' revocation and the wallets' closing are published, and the message
// providers are asked to forget what they hold for the user's addresses (the sandbox ones delete
// their copies; a real provider's deletion API goes there).
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../audit/auditLog.js';
import { failure, success, type Outcome } from '../errors.js';
import type { OutboxPublisher } from '../events/outbox.js';
import type { Phones } from '../accounts/phones.js';
import { forgetPersonalDetails } from '../ledger/personalDetails.js';
import { changeWalletStatus } from '../wallets/wallets.js';

export const ERASED_NAME = 'Erased user';
export const erasedEmail = (userId: string) => `erased+${userId}@erased.invalid`;

export interface AccountErasure {
  /** Erases the account, or says what must happen first. The caller has checked the password. */
  erase(userId: string): Promise<Outcome<{ erasedAt: Date }>>;
}

export interface AccountErasureDeps {
  prisma: PrismaClient;
  audit: AuditLog;
  outbox: OutboxPublisher;
  log: Logger;
  /** Ends every session of the user inside `tx`; `afterCommit` closes their live connections. */
  revokeAllIn(tx: Prisma.TransactionClient, userId: string, reason: string): Promise<{ afterCommit: () => void }>;
  /** Asks the message providers to forget what they keep for these addresses. */
  forgetAddresses(addresses: string[]): Promise<void>;
  kycRetentionDays: number;
  /** Opens the user's phone (sealed in the row, decision 63), to take it out of stored answers and providers. */
  phones: Pick<Phones, 'of'>;
}

interface Blockers {
  balances: string | null;
  owes: boolean;
  funding: boolean;
  under_review: boolean;
  sole_owner: string | null;
}

const BLOCKERS_SQL = `
  SELECT
    (SELECT string_agg(w.currency, ', ' ORDER BY w.currency) FROM wallets w
      WHERE w.user_id = $1::uuid AND (w.posted_balance <> 0 OR w.held_amount <> 0)) AS balances,
    EXISTS (SELECT 1 FROM user_debts d WHERE d.user_id = $1::uuid AND d.outstanding > 0) AS owes,
    EXISTS (SELECT 1 FROM funding_operations f WHERE f.user_id = $1::uuid AND f.status = 'PENDING') AS funding,
    EXISTS (SELECT 1 FROM kyc_cases c WHERE c.user_id = $1::uuid AND c.status IN ('PENDING', 'MANUAL_REVIEW'))
      OR EXISTS (SELECT 1 FROM risk_reviews r WHERE r.user_id = $1::uuid AND r.status = 'PENDING')
      OR EXISTS (SELECT 1 FROM aml_cases a WHERE a.user_id = $1::uuid AND a.status = 'OPEN') AS under_review,
    (SELECT string_agg(m.name, ', ' ORDER BY m.name) FROM merchant_members mm JOIN merchants m ON m.id = mm.merchant_id
      WHERE mm.user_id = $1::uuid AND mm.role = 'OWNER'
        AND NOT EXISTS (SELECT 1 FROM merchant_members o WHERE o.merchant_id = mm.merchant_id AND o.role = 'OWNER' AND o.user_id <> $1::uuid))
      AS sole_owner`;

function refusal(b: Blockers): Outcome<never> | null {
  if (b.balances)
    return failure(
      'ACCOUNT_NOT_EMPTY',
      `Your ${b.balances} wallet is not empty: send or withdraw all of it (and wait for holds to end) first.`,
    );
  if (b.owes)
    return failure('ACCOUNT_NOT_EMPTY', 'You owe an amount from a reversed top-up: add funds to repay it first (Wallet.amountOwed).');
  if (b.funding) return failure('ACCOUNT_NOT_EMPTY', 'A top-up or withdrawal is still in progress: wait for it to finish.');
  if (b.under_review)
    return failure('ACCOUNT_UNDER_REVIEW', 'Your account has a review in progress: wait for its decision, or contact support.');
  if (b.sole_owner) return failure('ACCOUNT_NOT_EMPTY', `You are the only owner of ${b.sole_owner}: add another owner or close it first.`);
  return null;
}

export function createAccountErasure(deps: AccountErasureDeps): AccountErasure {
  const { prisma, log } = deps;
  return {
    async erase(userId) {
      const result = await prisma.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<
          { email: string; display_name: string; phone_sealed: string | null; legacy_phone: string | null; erased_at: Date | null }[]
        >`SELECT email, display_name, phone_sealed, legacy_phone, erased_at FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
        if (!row || row.erased_at) return failure('NOT_FOUND', 'This account no longer exists.');
        const user = { ...row, phone: deps.phones.of({ id: userId, phoneSealed: row.phone_sealed, legacyPhone: row.legacy_phone }) };
        // Under the user row's lock: nothing new of theirs can start (every money movement of a
        // user reads their row first), so what is checked here is what is erased.
        const [blockers] = await tx.$queryRawUnsafe<Blockers[]>(BLOCKERS_SQL, userId);
        const refused = refusal(blockers!);
        if (refused) return refused;

        const erasedAt = new Date();
        const wallets = await changeWalletStatus(tx, { userId }, 'CLOSED');
        const walletIds = (await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM wallets WHERE user_id = ${userId}::uuid`).map(
          (w) => w.id,
        );
        await forgetPersonalDetails(tx, {
          userId,
          walletIds,
          values: [user.display_name, user.email, ...(user.phone ? [user.phone] : [])],
          replacement: ERASED_NAME,
        });
        const sessions = await deps.revokeAllIn(tx, userId, 'account erased');
        await tx.$executeRaw`UPDATE sessions SET ip = NULL, user_agent = NULL, device_id = NULL, device_key = NULL WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`
          UPDATE users SET email = ${erasedEmail(userId)}, display_name = ${ERASED_NAME}, phone_hash = NULL, phone_sealed = NULL,
            legacy_phone = NULL, password_hash = '!',
            roles = '{USER}', erased_at = ${erasedAt}, updated_at = ${erasedAt}
          WHERE id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM mfa_recovery_codes WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM user_mfa WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM merchant_members WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM one_time_codes WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM notification_messages WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM notifications WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM notification_preferences WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`DELETE FROM push_devices WHERE user_id = ${userId}::uuid`;
        // Others' notifications name this user as who paid them or whom they paid: those people are
        // found through the ledger (indexed by wallet), their notifications by user.
        await tx.$executeRaw`
          UPDATE notifications n SET data = n.data || jsonb_build_object('counterparty', ${ERASED_NAME}::text)
          WHERE n.data->>'counterparty' = ${user.display_name}
            AND n.user_id IN (
              SELECT w.user_id FROM ledger_transactions t JOIN wallets w ON w.id = t.to_wallet_id
              WHERE t.from_wallet_id = ANY (${wallets.walletIds}::uuid[]) AND w.user_id IS NOT NULL
              UNION
              SELECT w.user_id FROM ledger_transactions t JOIN wallets w ON w.id = t.from_wallet_id
              WHERE t.to_wallet_id = ANY (${wallets.walletIds}::uuid[]) AND w.user_id IS NOT NULL)`;
        await tx.$executeRaw`
          UPDATE payment_methods SET holder_name = ${ERASED_NAME}, status = 'REMOVED', removed_at = coalesce(removed_at, ${erasedAt}),
            is_default = false, updated_at = ${erasedAt}
          WHERE user_id = ${userId}::uuid`;
        await tx.$executeRaw`
          UPDATE vault.secrets SET destroy_after = ${erasedAt}::timestamptz + make_interval(days => ${deps.kycRetentionDays}::int)
          WHERE owner_id = ${userId}::uuid AND kind = 'PERSONAL'`;
        await tx.$executeRaw`DELETE FROM vault.secrets WHERE owner_id = ${userId}::uuid AND kind <> 'PERSONAL'`;
        await deps.audit.append(tx, [{ kind: 'account.erased', subjectId: userId, details: { walletsClosed: wallets.walletIds.length } }]);
        return success({ erasedAt, events: wallets.events, sessions, addresses: [user.email, ...(user.phone ? [user.phone] : [])] });
      });
      if (!result.ok) return result;
      const { erasedAt, events, sessions, addresses } = result.value;
      sessions.afterCommit();
      await deps.outbox.publishCommitted(events);
      await deps.forgetAddresses(addresses);
      log.info({ userId }, 'account erased');
      return success({ erasedAt });
    },
  };
}
