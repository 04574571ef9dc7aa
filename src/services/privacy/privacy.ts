// The user's rights over their data (issue 18, GDPR; docs/privacy.md): a copy of everything held
// about them, through a short-lived signed link, and erasure. Both are audited under the user's id.
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { ClientInfo } from '../auth/sessions.js';
import type { KycIdentity } from '../compliance/kycIdentity.js';
import type { DownloadGrant, DownloadLinks } from '../downloads/downloadLinks.js';
import { failure, success, type Outcome } from '../errors.js';
import type { AccountErasure } from './accountErasure.js';
import { writeDataExport, type DataExportDeps } from './dataExport.js';

export const DATA_EXPORT_PATH = '/downloads/my-data';

export interface PrivacyService {
  /** Where links point: the server's public origin (set once it listens, unless PUBLIC_URL is). */
  setPublicOrigin(origin: string): void;
  /** A link to download the user's data as JSON, valid for DATA_EXPORT_LINK_SECONDS, for this session only. */
  exportLink(viewer: { userId: string; sessionId: string }, client: ClientInfo): Promise<{ url: string; expiresAt: Date }>;
  /** The grant of an export link, or null when it is not a valid one. */
  verifyExportLink(token: string): Promise<DownloadGrant<Record<string, never>> | null>;
  /** Writes the archive through `write`; false when the user no longer exists. */
  writeExport(userId: string, write: (chunk: string) => Promise<void>): Promise<boolean>;
  /** Erases the account after the password is confirmed (INVALID_CREDENTIALS otherwise). */
  deleteMyAccount(userId: string, password: string, client: ClientInfo): Promise<Outcome<{ erasedAt: Date }>>;
}

export function createPrivacyService(deps: {
  sql: Sql;
  audit: AuditLog;
  log: Logger;
  links: DownloadLinks<Record<string, never>>;
  publicUrl: string | null;
  openIdentities: (tokens: string[]) => Promise<Map<string, KycIdentity>>;
  sealedInRows: DataExportDeps['sealedInRows'];
  confirmPassword: (userId: string, password: string, client: ClientInfo) => Promise<boolean>;
  erasure: AccountErasure;
}): PrivacyService {
  let origin = deps.publicUrl ?? '';
  return {
    setPublicOrigin(value) {
      origin = deps.publicUrl ?? value;
    },

    async exportLink(viewer, client) {
      const { token, expiresAt } = await deps.links.sign({ ...viewer, claims: {} });
      await deps.audit.record({ kind: 'account.data_exported', actorId: viewer.userId, subjectId: viewer.userId, ip: client.ip });
      return { url: `${origin}${DATA_EXPORT_PATH}?token=${encodeURIComponent(token)}`, expiresAt };
    },

    verifyExportLink: (token) => deps.links.verify(token),

    writeExport: (userId, write) =>
      writeDataExport({ sql: deps.sql, openIdentities: deps.openIdentities, sealedInRows: deps.sealedInRows }, userId, write),

    async deleteMyAccount(userId, password, client) {
      if (!(await deps.confirmPassword(userId, password, client)))
        return failure('INVALID_CREDENTIALS', 'The password is incorrect.', 'password');
      const erased = await deps.erasure.erase(userId);
      if (!erased.ok) return erased;
      deps.log.info({ userId }, 'account erased at its owner’s request');
      return success(erased.value);
    },
  };
}
