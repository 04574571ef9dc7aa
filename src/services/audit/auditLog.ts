// The tamper-evident audit log: security and admin events, append-only, chained. Each event is
// appended under the lock of the chain's head row (so ids run 1, 2, 3 … without gaps), and its
// hash is HMAC-SHA256(key, previous hash ‖ the row's canonical form), with a key derived from the
// vault's fingerprint key: the server holds it, the database never does. So the database refuses
// edits (a trigger, WL004), and whoever gets past that (a superuser disabling triggers) cannot make
// a changed, removed or inserted row fit the chain: `verify` (`npm run audit:verify`) names the
// first one that does not. An event is appended in the same database transaction as what it
// records, or in one of its own for what changes nothing else (a failed sign-in).
//
// Details hold ids and facts, never personal data (no emails, names, phones, card or account
// numbers): a failed sign-in keeps a keyed hash of the address it tried. So erasing a user
// (issue 18) never needs to touch this log.
import { createHmac, hkdfSync } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { isUuid } from '../ids.js';

/** What is recorded. A new kind is added here and in docs/security.md. */
export const AUDIT_KINDS = [
  'auth.sign_up',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sessions_revoked',
  'auth.password_changed',
  'auth.email_changed',
  'auth.mfa_enabled',
  'auth.mfa_disabled',
  'auth.mfa_failed',
  'auth.recovery_code_used',
  'auth.code_sent',
  'auth.code_failed',
  'auth.contact_verified',
  'auth.stepped_up',
  'auth.password_reset_requested',
  'auth.password_reset',
  'auth.new_device',
  'admin.balance_adjusted',
  'admin.wallet_status_set',
  'admin.roles_set',
  'kyc.decided',
  'risk.review_decided',
  'aml.case_decided',
  'api_key.created',
  'api_key.revoked',
  'webhook_secret.rolled',
  'vault.rotated',
  'account.data_exported',
  'account.erased',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEventInput {
  kind: AuditKind;
  /** Who did it (a user; an admin for admin actions); null for the system or an unknown caller. */
  actorId?: string | null;
  /** Whom it concerns, when not the actor. */
  subjectId?: string | null;
  ip?: string | null;
  /** Ids and facts; never personal data. */
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditEvent {
  id: bigint;
  createdAt: Date;
  kind: string;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  kind?: string | null;
  actorId?: string | null;
  subjectId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** Where the chain breaks: the first row that does not fit, and how. */
export interface AuditBreak {
  id: bigint;
  problem: string;
}

export interface AuditLog {
  /** Appends within the caller's transaction: the events commit, or roll back, with what they record. */
  append(tx: Prisma.TransactionClient, events: AuditEventInput[]): Promise<void>;
  /** Appends in a transaction of its own. */
  record(event: AuditEventInput): Promise<void>;
  /** Newest first, `limit` events with ids below `before` (keyset). */
  list(filter: AuditFilter, page: { limit: number; before?: bigint | null }): Promise<AuditEvent[]>;
  get(id: bigint): Promise<AuditEvent | null>;
  /** A keyed hash of an identifier that must not be stored (an email tried at sign-in). */
  pseudonym(value: string): string;
  /** Recomputes the whole chain; null when every row fits. */
  verify(progress?: (checked: number, total: bigint) => void): Promise<{ checked: number; broken: AuditBreak | null }>;
}

const GENESIS = Buffer.alloc(32);
const BATCH = 2000;

/** JSON with object keys sorted at every level: one text per value, whatever order jsonb returns. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function createAuditLog(deps: { prisma: PrismaClient; fingerprintKey: Buffer }): AuditLog {
  const { prisma } = deps;
  const key = Buffer.from(hkdfSync('sha256', deps.fingerprintKey, Buffer.alloc(0), 'wallet audit chain v1', 32));
  const pseudonymKey = Buffer.from(hkdfSync('sha256', deps.fingerprintKey, Buffer.alloc(0), 'wallet audit pseudonym v1', 32));

  const hashOf = (prev: Buffer, e: AuditEvent) =>
    createHmac('sha256', key)
      .update(prev)
      .update(canonical([e.id.toString(), e.createdAt.toISOString(), e.kind, e.actorId, e.subjectId, e.ip, e.details]))
      .digest();

  /** A row as stored (details as jsonb returns it), as an event. */
  const toEvent = (r: Omit<AuditEvent, 'details'> & { details: unknown }): AuditEvent => ({
    ...r,
    details: (r.details ?? {}) as Record<string, unknown>,
  });

  const log: AuditLog = {
    async append(tx, inputs) {
      if (!inputs.length) return;
      const [head] = await tx.$queryRaw<{ last_id: bigint; hash: Uint8Array }[]>`
        SELECT last_id, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
      let id = head!.last_id;
      let prev = Buffer.from(head!.hash);
      const rows = inputs.map((input) => {
        id += 1n;
        const event: AuditEvent = {
          id,
          createdAt: new Date(),
          kind: input.kind,
          actorId: input.actorId ?? null,
          subjectId: input.subjectId ?? null,
          ip: input.ip ?? null,
          details: input.details ?? {},
        };
        const hash = hashOf(prev, event);
        const row = {
          ...event,
          id: event.id.toString(),
          createdAt: event.createdAt.toISOString(),
          prev: prev.toString('hex'),
          hash: hash.toString('hex'),
        };
        prev = hash;
        return row;
      });
      await tx.$executeRaw`
        WITH appended AS (
          INSERT INTO audit_events (id, created_at, kind, actor_id, subject_id, ip, details, prev_hash, hash)
          SELECT r.id, r."createdAt", r.kind, r."actorId", r."subjectId", r.ip, r.details, decode(r.prev, 'hex'), decode(r.hash, 'hex')
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS r(id BIGINT, "createdAt" TIMESTAMPTZ, kind TEXT, "actorId" UUID, "subjectId" UUID, ip TEXT, details JSONB, prev TEXT, hash TEXT)
        )
        UPDATE audit_chain_head SET last_id = ${id}, hash = decode(${prev.toString('hex')}, 'hex') WHERE id = 1`;
    },

    async record(event) {
      await prisma.$transaction((tx) => log.append(tx, [event]));
    },

    async list(filter, page) {
      const rows = await prisma.auditEvent.findMany({
        where: {
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.actorId ? { actorId: filter.actorId } : {}),
          ...(filter.subjectId ? { subjectId: filter.subjectId } : {}),
          ...(filter.since || filter.until
            ? { createdAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } }
            : {}),
          ...(page.before ? { id: { lt: page.before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: page.limit,
        omit: { prevHash: true, hash: true },
      });
      return rows.map(toEvent);
    },

    async get(id) {
      const row = await prisma.auditEvent.findUnique({ where: { id }, omit: { prevHash: true, hash: true } });
      return row && toEvent(row);
    },

    pseudonym: (value) => createHmac('sha256', pseudonymKey).update(value).digest('hex').slice(0, 32),

    async verify(progress) {
      const [head] = await prisma.$queryRaw<
        { last_id: bigint; hash: Uint8Array }[]
      >`SELECT last_id, hash FROM audit_chain_head WHERE id = 1`;
      let prev: Buffer = GENESIS;
      let expected = 1n;
      let checked = 0;
      for (;;) {
        const rows = await prisma.auditEvent.findMany({ where: { id: { gte: expected } }, orderBy: { id: 'asc' }, take: BATCH });
        for (const row of rows) {
          if (row.id !== expected) return { checked, broken: { id: expected, problem: `is missing (the next row is ${row.id})` } };
          if (!Buffer.from(row.prevHash).equals(prev))
            return { checked, broken: { id: row.id, problem: 'does not follow the row before it (its previous hash differs)' } };
          const hash = hashOf(prev, toEvent(row));
          if (!hash.equals(Buffer.from(row.hash)))
            return { checked, broken: { id: row.id, problem: 'was changed after it was written (its hash does not match its content)' } };
          prev = hash;
          expected += 1n;
          checked += 1;
        }
        progress?.(checked, head!.last_id);
        if (rows.length < BATCH) break;
      }
      if (expected - 1n !== head!.last_id)
        return {
          checked,
          broken: { id: expected, problem: `is missing: the chain's head says ${head!.last_id} rows were written, ${checked} are there` },
        };
      if (!prev.equals(Buffer.from(head!.hash)))
        return { checked, broken: { id: head!.last_id, problem: 'does not end the chain the head recorded (the last hash differs)' } };
      return { checked, broken: null };
    },
  };
  return log;
}

/** An actor or subject id as stored: a user's uuid, or null. */
export const auditUserId = (id: string | null | undefined) => (id && isUuid(id) ? id : null);
