// Privacy wiring: the data export (its signed links) and account erasure (issue 18, GDPR).
import type { Config } from '../../config.js';
import type { AccountService } from '../accounts/accounts.js';
import type { SessionService } from '../auth/sessions.js';
import type { KycService } from '../compliance/kyc.js';
import { createDownloadLinks } from '../downloads/downloadLinks.js';
import type { SandboxInbox } from '../notifications/sandboxProviders.js';
import { createAccountErasure } from '../privacy/accountErasure.js';
import { createPrivacyService } from '../privacy/privacy.js';
import { createRetention } from '../privacy/retention.js';
import type { Phones } from '../accounts/phones.js';
import { openRecipient } from '../history/sentRecipients.js';
import type { SealedValues } from '../vault/sealedValues.js';
import type { SharedWithOutbox } from './shared.js';

export const privacySettings = (config: Config) => ({
  exportLinkSeconds: config.DATA_EXPORT_LINK_SECONDS,
  kycRetentionDays: config.KYC_RETENTION_DAYS,
  publicUrl: config.PUBLIC_URL ?? null,
  retention: {
    sessionDays: config.SESSION_RETENTION_DAYS,
    messageDays: config.MESSAGE_RETENTION_DAYS,
    notificationDays: config.NOTIFICATION_RETENTION_DAYS,
    webhookEventDays: config.WEBHOOK_EVENT_RETENTION_DAYS,
    fraudSignalDays: config.FRAUD_SIGNAL_RETENTION_DAYS,
  },
});

export function wirePrivacy(
  { prisma, sql, audit, outbox, log }: SharedWithOutbox,
  settings: ReturnType<typeof privacySettings>,
  needs: {
    jwtSecret: string;
    accounts: AccountService;
    sessions: SessionService;
    kyc: KycService;
    sandboxInbox: SandboxInbox;
    phones: Phones;
    sealed: SealedValues;
  },
) {
  const erasure = createAccountErasure({
    prisma,
    audit,
    outbox,
    log,
    revokeAllIn: needs.sessions.revokeAllIn,
    forgetAddresses: needs.sandboxInbox.forget,
    kycRetentionDays: settings.kycRetentionDays,
    phones: needs.phones,
  });
  const privacy = createPrivacyService({
    sql,
    audit,
    log,
    links: createDownloadLinks({
      jwtSecret: needs.jwtSecret,
      purpose: 'data-export',
      ttlSeconds: settings.exportLinkSeconds,
      encode: () => ({}),
      decode: () => ({}),
    }),
    publicUrl: settings.publicUrl,
    openIdentities: needs.kyc.openIdentities,
    sealedInRows: {
      phoneOf: (row) => needs.phones.of(row),
      recipientOf: (senderId, stored) => openRecipient(needs.sealed, senderId, stored),
    },
    confirmPassword: needs.accounts.confirmPassword,
    erasure,
  });
  return { privacy, retention: createRetention({ sql, settings: settings.retention }) };
}
