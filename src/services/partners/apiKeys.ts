// Merchants' API keys for partner integrations. A key is "wk_<12 characters>_<32 characters>":
// the first part is its visible prefix (how it is found and shown), the whole key is stored only
// as a SHA-256 (190 random bits need no slow hash) and shown once, at creation. Keys carry scopes
// (checked per field by the API), act for their merchant with STAFF powers, and run only their
// client's trusted documents. Verified keys are cached briefly per process; a revocation removes
// the key from every process's cache at once (written to the outbox with the revocation, so a
// Redis outage delays it but never loses it), and ends what the key holds open (onRevoked).
import type { AuditLog } from '../audit/auditLog.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { failure, parseInput, success, type Outcome } from '../errors.js';
import { writeOutbox, type OutboxPublisher } from '../events/outbox.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type ApiKeysRevoked } from '../events/topics.js';
import type { MerchantService } from '../merchants/merchants.js';
import { isUuid, randomChars } from '../ids.js';

export const API_SCOPES = ['payments:read', 'payments:write', 'refunds:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKeyRecord {
  id: string;
  merchantId: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  client: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A request authenticated by an API key. */
export interface ApiKeyPrincipal {
  keyId: string;
  merchantId: string;
  scopes: ApiScope[];
  client: string;
  /** The owner who created the key: requests are recorded (and their idempotency keys kept) under them. */
  createdBy: string;
}

export interface ApiKeyService {
  create(
    ownerId: string,
    input: { merchantId: string; name: string; scopes: string[]; client?: string | null },
  ): Promise<Outcome<{ apiKey: ApiKeyRecord; key: string }>>;
  list(merchantId: string): Promise<ApiKeyRecord[]>;
  /** The key if `ownerId` owns its merchant; null otherwise (or if there is none). */
  getForOwner(ownerId: string, keyId: string): Promise<ApiKeyRecord | null>;
  revoke(ownerId: string, keyId: string): Promise<Outcome<ApiKeyRecord>>;
  /** The principal of a presented key, or null (unknown, wrong, revoked). */
  authenticate(key: string): Promise<ApiKeyPrincipal | null>;
  /** Of these keys, the ones not revoked, read from the database (for re-checks, not per request). */
  liveAmong(keyIds: string[]): Promise<Set<string>>;
  /** Called with revoked key ids (from this process, and from others once listening); 'recheck' after a broadcast outage. */
  onRevoked(listener: (keyIds: string[] | 'recheck') => void): () => void;
  /** Listens for revocations from other processes; returns a stop function. */
  listen(): Promise<() => Promise<void>>;
}

const KEY = /^(wk_[A-Za-z0-9]{12})_([A-Za-z0-9]{32})$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const CACHE_MS = 60_000;

export const isApiKey = (token: string) => token.startsWith('wk_');

const createSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1).max(3),
  client: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'lower-case letters, digits and dashes')
    .nullish(),
});

const toRecord = (r: Awaited<ReturnType<PrismaClient['apiKey']['findFirstOrThrow']>>): ApiKeyRecord => ({
  ...r,
  scopes: r.scopes as ApiScope[],
});

export function createApiKeyService(deps: {
  prisma: PrismaClient;
  audit: AuditLog;
  merchants: MerchantService;
  pubsub: PubSub;
  outbox: OutboxPublisher;
  defaultClient: string;
  log: Logger;
}): ApiKeyService {
  const { prisma, log } = deps;
  const cache = new Map<string, { principal: ApiKeyPrincipal | null; until: number }>();
  const lastTouched = new Map<string, number>();
  const revocations = new EventEmitter();
  revocations.setMaxListeners(0);

  function forget(keyIds: string[] | 'recheck') {
    if (keyIds === 'recheck') cache.clear();
    else for (const [hash, entry] of cache) if (entry.principal && keyIds.includes(entry.principal.keyId)) cache.delete(hash);
    revocations.emit('revoked', keyIds);
  }

  return {
    async create(ownerId, input) {
      const merchant = await deps.merchants.forMember(ownerId, input.merchantId, ['OWNER']);
      if (!merchant) return failure('NOT_FOUND', 'No merchant you own has that id.', 'merchantId');
      const parsed = parseInput(createSchema, input);
      if (!parsed.ok) return parsed;
      const prefix = `wk_${randomChars(ALPHABET, 12)}`;
      const key = `${prefix}_${randomChars(ALPHABET, 32)}`;
      const row = await prisma.$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: {
            merchantId: merchant.id,
            name: parsed.value.name,
            prefix,
            secretHash: sha256(key),
            scopes: [...new Set(parsed.value.scopes)],
            client: parsed.value.client ?? deps.defaultClient,
            createdBy: ownerId,
          },
        });
        await deps.audit.append(tx, [
          {
            kind: 'api_key.created',
            actorId: ownerId,
            details: { apiKeyId: created.id, merchantId: merchant.id, prefix, scopes: created.scopes.join(',') },
          },
        ]);
        return created;
      });
      log.info({ apiKeyId: row.id, merchantId: merchant.id, prefix }, 'API key created');
      return success({ apiKey: toRecord(row), key });
    },

    async list(merchantId) {
      return (await prisma.apiKey.findMany({ where: { merchantId }, orderBy: { createdAt: 'desc' } })).map(toRecord);
    },

    async getForOwner(ownerId, keyId) {
      const row = isUuid(keyId) ? await prisma.apiKey.findUnique({ where: { id: keyId } }) : null;
      return row && (await deps.merchants.forMember(ownerId, row.merchantId, ['OWNER'])) ? toRecord(row) : null;
    },

    async revoke(ownerId, keyId) {
      const row = isUuid(keyId) ? await prisma.apiKey.findUnique({ where: { id: keyId } }) : null;
      if (!row || !(await deps.merchants.forMember(ownerId, row.merchantId, ['OWNER']))) {
        return failure('NOT_FOUND', 'No API key of a merchant you own has that id.', { argument: 'id' });
      }
      const { revoked, events } = await prisma.$transaction(async (tx) => {
        if (!row.revokedAt)
          await deps.audit.append(tx, [
            { kind: 'api_key.revoked', actorId: ownerId, details: { apiKeyId: keyId, merchantId: row.merchantId } },
          ]);
        return {
          revoked: row.revokedAt ? row : await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } }),
          events: await writeOutbox(tx, [{ topic: topics.apiKeysRevoked, payload: { keyIds: [keyId] } satisfies ApiKeysRevoked }]),
        };
      });
      forget([keyId]);
      await deps.outbox.publishCommitted(events);
      log.info({ apiKeyId: keyId }, 'API key revoked');
      return success(toRecord(revoked));
    },

    async authenticate(key) {
      const match = KEY.exec(key);
      if (!match) return null;
      const hash = sha256(key);
      const cached = cache.get(hash);
      if (cached && cached.until > Date.now()) return cached.principal;
      const row = await prisma.apiKey.findUnique({ where: { prefix: match[1]! } });
      const valid = row !== null && row.revokedAt === null && timingSafeEqual(Buffer.from(row.secretHash, 'hex'), Buffer.from(hash, 'hex'));
      const principal = valid
        ? { keyId: row.id, merchantId: row.merchantId, scopes: row.scopes as ApiScope[], client: row.client, createdBy: row.createdBy }
        : null;
      if (cache.size > 10_000) cache.clear();
      // While the broadcast channel is down a revocation elsewhere would not reach the cache.
      if (deps.pubsub.isUp()) cache.set(hash, { principal, until: Date.now() + CACHE_MS });
      // last used: written at most once a minute per key, not on every request.
      if (principal && (lastTouched.get(principal.keyId) ?? 0) < Date.now() - 60_000) {
        lastTouched.set(principal.keyId, Date.now());
        prisma.apiKey
          .update({ where: { id: principal.keyId }, data: { lastUsedAt: new Date() } })
          .catch((err) => log.warn({ err: (err as Error).message }, "recording an API key's last use failed"));
      }
      return principal;
    },

    async liveAmong(keyIds) {
      if (!keyIds.length) return new Set();
      const rows = await prisma.apiKey.findMany({ where: { id: { in: keyIds }, revokedAt: null }, select: { id: true } });
      return new Set(rows.map((r) => r.id));
    },

    onRevoked(listener) {
      revocations.on('revoked', listener);
      return () => void revocations.off('revoked', listener);
    },

    async listen() {
      const events = await deps.pubsub.subscribe<ApiKeysRevoked>(topics.apiKeysRevoked, { internal: true });
      const done = (async () => {
        for await (const event of events) forget(event.keyIds);
      })();
      // Down: the cache stops filling; back: it is emptied and open connections re-checked.
      const stopWatching = deps.pubsub.onStateChange((up) => (up ? forget('recheck') : cache.clear()));
      return async () => {
        stopWatching();
        await events.return?.();
        await done;
      };
    },
  };
}
