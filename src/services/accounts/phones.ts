// Users' phone numbers at rest (issue 18, part 7; decision 63). A number is stored twice, never in
// the clear: users.phone_hash, HMAC-SHA256 of the E.164 number under a key derived from
// VAULT_FINGERPRINT_KEY (never rotated, so the hash of a number never changes), which every lookup
// and the unique index use (send by phone, PHONE_TAKEN, verification); and users.phone_sealed, the
// number sealed with the vault's newest data key and bound to the user's id (sealedValues.ts),
// opened here from the row that was read anyway (me.phone, the codes' addresses).
//
// Numbers written before stay in users.legacy_phone until sealed: the server seals them in the
// background at start (sealLegacyInBackground) and `npm run vault:rotate` does too. Until this
// process has seen none left, a lookup by phone also carries the number, so that the posting
// function and the checks find users not sealed yet.
import { createHmac, hkdfSync } from 'node:crypto';
import type { PrismaClient } from '../../db/database.js';
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import type { SealedValues } from '../vault/sealedValues.js';

/** The users columns that hold a phone (Prisma's names). */
export interface PhoneColumns {
  phoneHash: string | null;
  phoneSealed: string | null;
  legacyPhone: null;
}

/** What a users row holds of its phone (select `phoneSelect`). */
export interface PhoneRow {
  id: string;
  phoneSealed: string | null;
  legacyPhone: string | null;
}

export const phoneSelect = { id: true, phoneSealed: true, legacyPhone: true } as const;

/** How a transfer names a user by phone (wallet_resolve_party): the hash, plus the number while some are not sealed. */
export type PhoneParty = { phoneHash: string; phone?: string };

export interface Phones {
  /** The keyed hash of an E.164 number: what users.phone_hash holds and lookups compare. */
  digest(phone: string): string;
  /** The columns that store `phone` (null: no phone) for this user. */
  columns(userId: string, phone: string | null): PhoneColumns;
  /** The user's number in the clear, opened from the row (fails closed on a wrong key or tampering). */
  of(row: PhoneRow): string | null;
  /** A transfer's party for a number. */
  party(phone: string): PhoneParty;
  /** Whether another account holds this number not sealed yet (the unique index sees only hashes). */
  takenInClear(phone: string, exceptUserId?: string): Promise<boolean>;
  /** Seals the numbers kept in the clear, in batches; returns how many were sealed and how many could not be (taken). */
  sealLegacy(options?: {
    batchSize?: number;
    onProgress?: (done: number) => void;
    /** Checked between batches: true stops early (shutdown). */
    stopped?: () => boolean;
  }): Promise<{ sealed: number; skipped: number }>;
  /** Re-encrypts sealed numbers under older keys with the newest; returns how many. */
  rotate(options?: { batchSize?: number; onProgress?: (done: number) => void }): Promise<number>;
  /**
   * At start: if numbers from before sealing are left, seals them in the background (the server
   * serves meanwhile; lookups find them by number). Returns a stop function for shutdown.
   */
  sealLegacyInBackground(): Promise<() => Promise<void>>;
}

const contextOf = (userId: string) => `users.phone:${userId}`;

export function createPhones(deps: { prisma: PrismaClient; sql: Sql; sealed: SealedValues; fingerprintKey: Buffer; log: Logger }): Phones {
  const { prisma, sql, sealed, log } = deps;
  const key = Buffer.from(hkdfSync('sha256', deps.fingerprintKey, Buffer.alloc(0), 'wallet phone lookup v1', 32));
  const digest = (phone: string) => createHmac('sha256', key).update(phone).digest('hex');
  // Until this process has looked and found none, numbers in the clear may be left.
  let legacyLeft = true;

  const phones: Phones = {
    digest,

    columns(userId, phone) {
      return phone === null
        ? { phoneHash: null, phoneSealed: null, legacyPhone: null }
        : { phoneHash: digest(phone), phoneSealed: sealed.seal(contextOf(userId), phone), legacyPhone: null };
    },

    of(row) {
      if (row.phoneSealed) return sealed.open(contextOf(row.id), row.phoneSealed);
      return row.legacyPhone;
    },

    party(phone) {
      return legacyLeft ? { phoneHash: digest(phone), phone } : { phoneHash: digest(phone) };
    },

    async takenInClear(phone, exceptUserId) {
      if (!legacyLeft) return false;
      const row = await prisma.user.findUnique({ where: { legacyPhone: phone }, select: { id: true } });
      return row !== null && row.id !== exceptUserId;
    },

    async sealLegacy({ batchSize = 500, onProgress, stopped = () => false } = {}) {
      let done = 0;
      let skipped = 0;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = await sql.query<{ id: string; legacy_phone: string }>(
          'SELECT id::text, legacy_phone FROM users WHERE legacy_phone IS NOT NULL AND id > $1::uuid ORDER BY id LIMIT $2',
          [after, batchSize],
        );
        if (rows.length === 0) break;
        if (stopped()) return { sealed: done, skipped };
        const values = rows.map((r) => ({ id: r.id, phone: r.legacy_phone, ...phones.columns(r.id, r.legacy_phone) }));
        // Only rows still holding that number change, and not to a hash another account has; the
        // setting tells the verification trigger this is the same number sealed, not a new one.
        const changed = await prisma.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT set_config('wallet.sealing_phones', 'on', true)`;
          return tx.$executeRaw`
            UPDATE users u SET phone_hash = v.hash, phone_sealed = v.sealed, legacy_phone = NULL
            FROM unnest(${values.map((v) => v.id)}::uuid[], ${values.map((v) => v.phone)}::text[],
                        ${values.map((v) => v.phoneHash)}::text[], ${values.map((v) => v.phoneSealed)}::text[]) AS v (id, phone, hash, sealed)
            WHERE u.id = v.id AND u.legacy_phone = v.phone AND NOT EXISTS (SELECT 1 FROM users o WHERE o.phone_hash = v.hash)`;
        });
        done += changed;
        skipped += rows.length - changed;
        after = rows[rows.length - 1]!.id;
        onProgress?.(done);
      }
      if (skipped === 0) legacyLeft = false;
      return { sealed: done, skipped };
    },

    async rotate({ batchSize = 500, onProgress } = {}) {
      let done = 0;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = await sql.query<{ id: string; phone_sealed: string }>(
          `SELECT id::text, phone_sealed FROM users
           WHERE phone_sealed IS NOT NULL AND split_part(phone_sealed, '.', 2) <> $1 AND id > $2::uuid ORDER BY id LIMIT $3`,
          [sealed.newestKeyId, after, batchSize],
        );
        if (rows.length === 0) return done;
        // Open everything first: one value that fails stops the rotation before any write.
        const resealed = rows.map((r) => sealed.seal(contextOf(r.id), sealed.open(contextOf(r.id), r.phone_sealed)));
        const [result] = await sql.query<{ n: number }>(
          `WITH changed AS (
             UPDATE users u SET phone_sealed = v.new FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v (id, old, new)
             WHERE u.id = v.id AND u.phone_sealed = v.old RETURNING 1)
           SELECT count(*)::int AS n FROM changed`,
          [rows.map((r) => r.id), rows.map((r) => r.phone_sealed), resealed],
        );
        done += result!.n;
        after = rows[rows.length - 1]!.id;
        onProgress?.(done);
      }
    },

    async sealLegacyInBackground() {
      const [left] = await sql.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM users WHERE legacy_phone IS NOT NULL) AS any', []);
      if (!left!.any) {
        legacyLeft = false;
        return async () => {};
      }
      let stopping = false;
      const running = phones
        .sealLegacy({ stopped: () => stopping })
        .then(({ sealed: count, skipped }) =>
          log.info({ sealed: count, skipped }, 'phone numbers kept in the clear sealed (skipped: taken by another account since)'),
        )
        .catch((err: Error) =>
          log.warn({ err: err.message }, 'sealing phone numbers kept in the clear failed; npm run vault:rotate seals them'),
        );
      return async () => {
        stopping = true;
        await running;
      };
    },
  };
  return phones;
}
