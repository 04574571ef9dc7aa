// Risk wiring: the rules engine run before every send (its fact reads batched with settings of
// their own, RISK_BATCH_*) and the review queue of sends it held.
import type { Config } from '../../config.js';
import type { Ledger } from '../ledger/ledger.js';
import { createRiskEngine } from '../risk/riskEngine.js';
import { createRiskReviewService } from '../risk/riskReviews.js';
import type { SharedWithOutbox } from './shared.js';

export const riskSettings = (config: Config) => ({
  batch: { windowMs: config.RISK_BATCH_WINDOW_MS, maxBatch: config.RISK_BATCH_MAX, maxInFlight: config.RISK_BATCH_IN_FLIGHT },
  rules: {
    enabled: config.RISK_RULES,
    velocityPerMinute: config.RISK_VELOCITY_PER_MINUTE,
    velocityPerHour: config.RISK_VELOCITY_PER_HOUR,
    largeAmount: config.RISK_LARGE_AMOUNT,
    stepUpNewRecipientAmount: config.STEP_UP_NEW_RECIPIENT_AMOUNT,
    stepUpMinutes: config.STEP_UP_MINUTES,
    historyMultiplier: config.RISK_HISTORY_MULTIPLIER,
    historyFloor: config.RISK_HISTORY_FLOOR,
    newDeviceHours: config.RISK_NEW_DEVICE_HOURS,
    credentialChangeHours: config.RISK_CREDENTIAL_CHANGE_HOURS,
    credentialChangeAmount: config.RISK_CREDENTIAL_CHANGE_AMOUNT,
    failedMethodsReview: config.RISK_FAILED_METHODS_REVIEW,
    failedMethodsBlock: config.RISK_FAILED_METHODS_BLOCK,
  },
});

export function wireRisk(
  { prisma, sql, audit, log, metrics }: SharedWithOutbox,
  settings: ReturnType<typeof riskSettings>,
  /** Converts amounts into the limits file's base currency, in which the rules' amounts are set. */
  needs: { fromBase: Parameters<typeof createRiskEngine>[0]['fromBase']; ledger: Ledger },
) {
  const risk = createRiskEngine({
    sql,
    batch: settings.batch,
    log,
    metrics,
    fromBase: needs.fromBase,
    settings: settings.rules,
  });
  const riskReviews = createRiskReviewService({ prisma, ledger: needs.ledger, audit, log });
  return { risk, riskReviews };
}
