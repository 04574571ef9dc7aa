// Compliance wiring: KYC tier limits (one file, written to the database by every process; the
// database enforces them), sanctions screening (AML), the AML monitor and KYC checks.
import type { Config } from '../../config.js';
import { createAmlService } from '../compliance/aml.js';
import { createAmlMonitor } from '../compliance/amlMonitor.js';
import { createKycService } from '../compliance/kyc.js';
import { createLimitsService, loadLimitsFile, syncTierLimits } from '../compliance/limits.js';
import { loadSanctionsList } from '../compliance/sanctions.js';
import type { KycProvider } from '../gateways/gateways.js';
import type { Currencies } from '../money/currencies.js';
import type { Vault } from '../vault/vault.js';
import type { SharedWithOutbox } from './shared.js';

export const complianceSettings = (config: Config) => ({
  limitsFile: config.KYC_LIMITS_FILE,
  sanctionsFile: config.SANCTIONS_LIST_FILE,
  aml: {
    reportingThreshold: config.AML_REPORTING_THRESHOLD,
    structuringCount: config.AML_STRUCTURING_COUNT,
    structuringWindowHours: config.AML_STRUCTURING_WINDOW_HOURS,
    rapidMin: config.AML_RAPID_MIN,
    rapidWindowHours: config.AML_RAPID_WINDOW_HOURS,
    fanCount: config.AML_FAN_COUNT,
    fanWindowHours: config.AML_FAN_WINDOW_HOURS,
  },
});

export async function wireCompliance(
  { prisma, pubsub, outbox, audit, log }: SharedWithOutbox,
  settings: ReturnType<typeof complianceSettings>,
  needs: { currencies: Currencies; vault: Vault; kycProvider: KycProvider },
) {
  // Every process writes the same limits from the same file; the database enforces them.
  const limitsFile = loadLimitsFile(settings.limitsFile, needs.currencies);
  await syncTierLimits(prisma, limitsFile.rows);
  const aml = createAmlService({ prisma, audit, outbox, sanctions: loadSanctionsList(settings.sanctionsFile), log });
  const limits = createLimitsService({ prisma });
  const amlMonitor = createAmlMonitor({ prisma, log, thresholds: settings.aml });
  const kyc = createKycService({
    prisma,
    audit,
    vault: { store: needs.vault.store, fingerprint: needs.vault.fingerprint, discard: needs.vault.discard },
    openPersonal: (tokens) => needs.vault.revealMany(tokens, 'PERSONAL'),
    provider: needs.kycProvider,
    screenName: (userId, name) => aml.screen(userId, name, 'KYC'),
    pubsub,
    outbox,
    log,
  });
  return { limitsFile, limits, aml, amlMonitor, kyc };
}
