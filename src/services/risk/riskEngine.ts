// Runs the risk rules over a user's send before any money moves. `assess` counts the attempt
// (velocity counters in Redis, or in memory on the embedded default, so parallel requests and
// several server processes count together) and returns the decision with every rule's result and
// a summary of what the rules saw; the posting function stores that with the outcome, in the same
// database transaction. `preview` is the same evaluation for a dry run: it counts nothing.
import type { Sql } from '../../db/sql.js';
import type { BaseAmountScaler } from '../compliance/limits.js';
import type { Party } from '../ledger/postTransfers.js';
import type { LimiterFactory } from '../ratelimit/limiters.js';
import { readFacts } from './riskFacts.js';
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

const LARGE_COUNT = 1_000_000_000;

export function createRiskEngine(deps: {
  sql: Sql;
  limiters: LimiterFactory;
  fromBase: BaseAmountScaler;
  settings: RiskSettings;
  rules?: readonly RiskRule[];
}): RiskEngine {
  const { sql, settings, fromBase } = deps;
  const rules = deps.rules ?? RULES;
  // Fixed windows of a minute and an hour; `points` is only a ceiling for the counter.
  const perMinute = deps.limiters({ keyPrefix: 'risk-sends-minute', points: LARGE_COUNT, durationSeconds: 60 });
  const perHour = deps.limiters({ keyPrefix: 'risk-sends-hour', points: LARGE_COUNT, durationSeconds: 3600 });

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

  async function evaluate(request: RiskRequest, count: boolean): Promise<RiskAssessment | null> {
    const stored = await readFacts(sql, request);
    if (stored.keySeen) return null;
    const [minute, hour] = count
      ? await Promise.all([perMinute.penalty(request.userId, 1), perHour.penalty(request.userId, 1)])
      : await Promise.all([perMinute.get(request.userId), perHour.get(request.userId)]);
    const facts: RiskFacts = {
      amount: request.amount,
      currency: request.currency,
      sendsLastMinute: (minute?.consumedPoints ?? 0) + (count ? 0 : 1),
      sendsLastHour: (hour?.consumedPoints ?? 0) + (count ? 0 : 1),
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

  return {
    async assess(request) {
      if (!settings.enabled) return null;
      return evaluate(request, true);
    },
    async preview(request) {
      if (!settings.enabled) return 'ALLOW';
      return (await evaluate({ ...request, key: null }, false))!.decision;
    },
  };
}
