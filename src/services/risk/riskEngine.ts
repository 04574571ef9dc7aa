// Runs the risk rules over a user's send before any money moves. `assess` counts the attempt
// (velocity counters in Redis, or in memory on the embedded default, so parallel requests and
// several server processes count together) and returns the decision with every rule's result and
// a summary of what the rules saw; the posting function stores that with the outcome, in the same
// database transaction. Sends arriving together are assessed together (one facts query and one
// counter round trip per batch, like the ledger's group commit). `preview` is the same evaluation
// for a dry run: it counts nothing.
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { createBatcher, type BatchSettings } from '../batching/batcher.js';
import type { BaseAmountScaler } from '../compliance/limits.js';
import type { Party } from '../ledger/model.js';
import type { WindowCounter } from '../ratelimit/limiters.js';
import { readFacts, type StoredFacts } from './riskFacts.js';
import { strictest, type RiskDecision, type RiskFacts, type RiskRule, type RiskThresholds } from './riskRule.js';
import { RULES } from './rules/index.js';

export interface RiskRequest {
  userId: string;
  /** The request's idempotency key (null for a preview). */
  key: string | null;
  currency: string;
  amount: bigint;
  to: Party;
  /** The X-Device-Id header of the request, if any. */
  deviceId: string | null;
}

export interface RiskAssessment {
  decision: RiskDecision;
  rules: { rule: string; decision: RiskDecision; reason: string }[];
  /** What the rules saw, stored with the evaluation (amounts as strings). */
  inputs: Record<string, string | number | boolean | null>;
}

export interface RiskSettings {
  enabled: boolean;
  velocityPerMinute: number;
  velocityPerHour: number;
  /** Amounts in major units of the base currency. */
  largeAmount: number;
  historyMultiplier: number;
  historyFloor: number;
  newDeviceHours: number;
  credentialChangeHours: number;
  credentialChangeAmount: number;
  failedMethodsReview: number;
  failedMethodsBlock: number;
}

export interface RiskEngine {
  /** The decision for a send about to be posted; null when rules are off or the key was used before (a replay). */
  assess(request: RiskRequest): Promise<RiskAssessment | null>;
  /** The decision a send would get now, counting nothing. */
  preview(request: RiskRequest): Promise<RiskDecision>;
}

export function createRiskEngine(deps: {
  sql: Sql;
  /** Sends per user in windows of 60 s and 3600 s (createWindowCounter(redis, prefix, [60, 3600])). */
  sends: WindowCounter;
  fromBase: BaseAmountScaler;
  settings: RiskSettings;
  batch: BatchSettings;
  log: Logger;
  rules?: readonly RiskRule[];
}): RiskEngine {
  const { sql, settings, fromBase } = deps;
  const rules = deps.rules ?? RULES;

  const thresholdsFor = (currency: string): RiskThresholds => ({
    velocityPerMinute: settings.velocityPerMinute,
    velocityPerHour: settings.velocityPerHour,
    largeAmount: fromBase(settings.largeAmount, currency),
    historyMultiplier: settings.historyMultiplier,
    historyFloor: fromBase(settings.historyFloor, currency),
    newDeviceHours: settings.newDeviceHours,
    credentialChangeHours: settings.credentialChangeHours,
    credentialChangeAmount: fromBase(settings.credentialChangeAmount, currency),
    failedMethodsReview: settings.failedMethodsReview,
    failedMethodsBlock: settings.failedMethodsBlock,
  });

  function evaluate(request: RiskRequest, stored: StoredFacts, [minute, hour]: number[]): RiskAssessment {
    const facts: RiskFacts = {
      amount: request.amount,
      currency: request.currency,
      sendsLastMinute: minute!,
      sendsLastHour: hour!,
      recentSends: stored.recentSends,
      largestRecentSend: stored.largestRecentSend,
      recipientKnown: stored.recipientKnown,
      deviceId: request.deviceId,
      deviceFirstSeenAt: stored.deviceFirstSeenAt,
      credentialsChangedAt: stored.credentialsChangedAt,
      failedMethodAdds: stored.failedMethodAdds,
      now: new Date(),
    };
    const thresholds = thresholdsFor(request.currency);
    const results = rules.map((rule) => ({ rule: rule.name, ...rule.evaluate(facts, thresholds) }));
    return {
      decision: strictest(results),
      rules: results,
      inputs: {
        amount: facts.amount.toString(),
        currency: facts.currency,
        sendsLastMinute: facts.sendsLastMinute,
        sendsLastHour: facts.sendsLastHour,
        recentSends: facts.recentSends,
        largestRecentSend: facts.largestRecentSend.toString(),
        recipientKnown: facts.recipientKnown,
        deviceSent: facts.deviceId !== null,
        deviceFirstSeenAt: facts.deviceFirstSeenAt?.toISOString() ?? null,
        credentialsChangedAt: facts.credentialsChangedAt?.toISOString() ?? null,
        failedMethodAdds: facts.failedMethodAdds,
      },
    };
  }

  const batcher = createBatcher<RiskRequest, RiskAssessment | null>(
    async (requests) => {
      const stored = await readFacts(sql, requests);
      // Counted only once the key is known to be new: a replay is not another send.
      const fresh = requests.map((_r, i) => i).filter((i) => !stored[i]!.keySeen);
      const counts = await deps.sends.hit(fresh.map((i) => requests[i]!.userId));
      const assessments: (RiskAssessment | null)[] = requests.map(() => null);
      fresh.forEach((i, n) => (assessments[i] = evaluate(requests[i]!, stored[i]!, counts[n]!)));
      return assessments;
    },
    deps.batch,
    { what: 'risk', log: deps.log },
  );

  return {
    async assess(request) {
      if (!settings.enabled) return null;
      return batcher.run(request);
    },
    async preview(request) {
      if (!settings.enabled) return 'ALLOW';
      const [stored] = await readFacts(sql, [{ ...request, key: null }]);
      const counts = (await deps.sends.peek(request.userId)).map((n) => n + 1);
      return evaluate(request, stored!, counts).decision;
    },
  };
}
