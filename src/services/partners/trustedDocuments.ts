// Trusted documents: the GraphQL operations a partner client may run, registered by their sha256
// id from codegen's persisted-documents manifest (partners/<client>/gql/persisted-documents.json).
// A request made with an API key names a document by id and never sends a query of its own, so
// a leaked key can do only what the partner's reviewed operations do. Documents never change
// under an id (the id is the hash of the text), so lookups are cached without expiry.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';

export interface TrustedDocumentService {
  /** Registers a manifest ({ "sha256:<hex>": "<document>" }); every id must be the hash of its document. */
  register(client: string, manifest: Record<string, string>): Promise<number>;
  /** Registers <dir>/<client>/gql/persisted-documents.json for every client folder under `dir`. */
  registerDirectory(dir: string): Promise<number>;
  /** The document with that id in the client's safelist, or null. */
  find(client: string, id: string): Promise<string | null>;
}

const CLIENT = /^[a-z0-9][a-z0-9-]{0,49}$/;
const ID = /^[0-9a-f]{64}$/;
export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function createTrustedDocumentService(deps: { prisma: PrismaClient; log: Logger }): TrustedDocumentService {
  const { prisma, log } = deps;
  const cache = new Map<string, string>();

  const service: TrustedDocumentService = {
    async register(client, manifest) {
      if (!CLIENT.test(client)) throw new Error(`"${client}" is not a client name: lower-case letters, digits and dashes.`);
      const entries = Object.entries(manifest).map(([id, body]) => [id.replace(/^sha256:/, ''), body] as const);
      for (const [id, body] of entries) {
        if (!ID.test(id) || sha256Hex(body) !== id)
          throw new Error(
            `The document ${id.slice(0, 16)}… of ${client} is not the sha256 of its text: regenerate the manifest (npm run codegen).`,
          );
      }
      await prisma.trustedDocument.createMany({ data: entries.map(([id, body]) => ({ client, id, body })), skipDuplicates: true });
      return entries.length;
    },

    async registerDirectory(dir) {
      if (!existsSync(dir)) return 0;
      let total = 0;
      for (const client of readdirSync(dir)) {
        const file = path.join(dir, client, 'gql', 'persisted-documents.json');
        if (!CLIENT.test(client) || !existsSync(file)) continue;
        total += await service.register(client, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
      }
      if (total) log.info({ documents: total }, 'trusted documents registered');
      return total;
    },

    async find(client, id) {
      if (!ID.test(id)) return null;
      const cacheKey = `${client}/${id}`;
      const cached = cache.get(cacheKey);
      if (cached !== undefined) return cached;
      const row = await prisma.trustedDocument.findUnique({ where: { client_id: { client, id } }, select: { body: true } });
      if (row) {
        if (cache.size > 10_000) cache.clear();
        cache.set(cacheKey, row.body);
      }
      return row?.body ?? null;
    },
  };
  return service;
}
