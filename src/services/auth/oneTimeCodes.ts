// One-time codes and links: the 6-digit codes that verify an email address or phone number and
// step a session up, and the 256-bit tokens of password-reset links. Only keyed hashes are stored
// (HMAC-SHA256 under a key derived from VAULT_FINGERPRINT_KEY, which the database never holds, as
// the MFA recovery codes and the audit log's pseudonyms are), with a keyed hash of the address the
// code went to. A user has at most one code per purpose: a new one replaces the last.
//
// A code is accepted once, before it expires, while the account still has the address it went to
// (a code for an email changed since is void), and for a step-up only on the session that asked.
// A wrong guess counts against the code: at MAX_CODE_ATTEMPTS it is used up. Claims run in the
// caller's transaction under the code row's lock, so two requests with one code cannot both pass,
// and the work the code is for commits (or rolls back) with its use.
import { createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';

export type CodePurpose = 'EMAIL_VERIFICATION' | 'PHONE_VERIFICATION' | 'STEP_UP' | 'PASSWORD_RESET';

/** Wrong guesses a code survives; then it is used up and a new one must be asked for. */
export const MAX_CODE_ATTEMPTS = 5;

export type CodeRefusal = 'NONE' | 'WRONG' | 'EXPIRED' | 'USED' | 'ADDRESS_CHANGED';
export type ClaimResult = { ok: true } | { ok: false; reason: CodeRefusal };

type Tx = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

export interface OneTimeCodes {
  /**
   * A new code for the user and purpose, written through `tx` (the one before it is void): six
   * digits, or for PASSWORD_RESET a link token. The code itself goes into the message, nowhere else.
   */
  issue(
    tx: Tx,
    input: { userId: string; purpose: CodePurpose; target: string; sessionId?: string | null; ttlSeconds: number },
  ): Promise<{ code: string; expiresAt: Date }>;
  /**
   * Claims the user's code for `purpose` through `tx`: once, unexpired, sent to `target` (the
   * account's address now; null: not checked) and asked for by `sessionId` (when given).
   */
  claim(
    tx: Tx,
    input: { userId: string; purpose: CodePurpose; code: string; target: string | null; sessionId?: string | null },
  ): Promise<ClaimResult>;
  /** Whose live password-reset token this is, if it is one (reads only). */
  resetTokenOwner(token: string): Promise<string | null>;
}

const isDigits = (code: string) => /^\d{6}$/.test(code);
const isToken = (code: string) => /^[A-Za-z0-9_-]{43}$/.test(code);

export function createOneTimeCodes(deps: { prisma: PrismaClient; fingerprintKey: Buffer }): OneTimeCodes {
  const key = Buffer.from(hkdfSync('sha256', deps.fingerprintKey, Buffer.alloc(0), 'wallet one-time codes v1', 32));
  const hmac = (text: string) => createHmac('sha256', key).update(text).digest('hex');
  // Six digits are few: the user and purpose are in the hash, so a table of hashes reveals nothing
  // without the key. Reset tokens are found by their hash alone (the link carries no user).
  const codeHash = (purpose: CodePurpose, userId: string, code: string) =>
    purpose === 'PASSWORD_RESET' ? hmac(`${purpose}::${code}`) : hmac(`${purpose}:${userId}:${code}`);
  const targetHash = (target: string) => hmac(`to:${target.trim().toLowerCase()}`);
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  return {
    async issue(tx, { userId, purpose, target, sessionId, ttlSeconds }) {
      const code = purpose === 'PASSWORD_RESET' ? randomBytes(32).toString('base64url') : String(randomInt(0, 1_000_000)).padStart(6, '0');
      const [row] = await tx.$queryRaw<{ expires_at: Date }[]>`
        INSERT INTO one_time_codes (user_id, purpose, code_hash, target_hash, session_id, expires_at)
        VALUES (${userId}::uuid, ${purpose}::"OneTimeCodePurpose", ${codeHash(purpose, userId, code)}, ${targetHash(target)},
                ${sessionId ?? null}::uuid, now() + make_interval(secs => ${ttlSeconds}))
        ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = EXCLUDED.code_hash, target_hash = EXCLUDED.target_hash,
          session_id = EXCLUDED.session_id, attempts = 0, created_at = now(), expires_at = EXCLUDED.expires_at, used_at = NULL
        RETURNING expires_at`;
      return { code, expiresAt: row!.expires_at };
    },

    async claim(tx, { userId, purpose, code, target, sessionId }) {
      const [row] = await tx.$queryRaw<
        { id: string; code_hash: string; target_hash: string; session_id: string | null; attempts: number; live: boolean; used: boolean }[]
      >`
        SELECT id::text, code_hash, target_hash, session_id::text, attempts, expires_at > now() AS live, used_at IS NOT NULL AS used
        FROM one_time_codes WHERE user_id = ${userId}::uuid AND purpose = ${purpose}::"OneTimeCodePurpose" FOR UPDATE`;
      if (!row || (sessionId !== undefined && row.session_id !== sessionId)) return { ok: false, reason: 'NONE' };
      if (row.used) return { ok: false, reason: 'USED' };
      if (!row.live) return { ok: false, reason: 'EXPIRED' };
      const wellFormed = purpose === 'PASSWORD_RESET' ? isToken(code) : isDigits(code);
      if (!wellFormed || !same(codeHash(purpose, userId, code), row.code_hash)) {
        // A wrong guess counts against this code; the last one allowed uses it up.
        await tx.$executeRaw`
          UPDATE one_time_codes SET attempts = attempts + 1,
            used_at = CASE WHEN attempts + 1 >= ${MAX_CODE_ATTEMPTS} THEN now() ELSE used_at END
          WHERE id = ${row.id}::uuid`;
        return { ok: false, reason: 'WRONG' };
      }
      if (target !== null && !same(targetHash(target), row.target_hash)) return { ok: false, reason: 'ADDRESS_CHANGED' };
      await tx.$executeRaw`UPDATE one_time_codes SET used_at = now() WHERE id = ${row.id}::uuid`;
      return { ok: true };
    },

    async resetTokenOwner(token) {
      if (!isToken(token)) return null;
      const [row] = await deps.prisma.$queryRaw<{ user_id: string }[]>`
        SELECT user_id::text FROM one_time_codes
        WHERE code_hash = ${codeHash('PASSWORD_RESET', '', token)} AND purpose = 'PASSWORD_RESET' AND used_at IS NULL AND expires_at > now()`;
      return row?.user_id ?? null;
    },
  };
}
