// Runs the risk rules over a user's send before any money moves. `assessAndPost` returns the
// decision with every rule's result and a summary of what the rules saw; the posting function
// stores that with the outcome, in the same database transaction. Sends arriving together are
// assessed together (one facts query per batch, like the ledger's group commit).
//
// Velocity ("sends in the last minute / hour") is counted by the posting function on the sender's
// wallet row, under the lock it takes anyway: no Redis round trip per send, and exact across
// server processes. The rules see the counts as committed when the facts were read, plus the
// sends of the same batch before this one; the posting function checks them again under the lock
// and, when another send from the wallet came in between and moved a count across a threshold,
// answers RISK_FACTS_STALE: the send is then assessed again. `preview` is the same evaluation for
// a dry run: it counts nothing.
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { createBatcher, type BatchSettings } from '../batching/batcher.js';
import type { BaseAmountScaler } from '../compliance/limits.js';
import { failure, type Outcome } from '../errors.js';
import type { Party } from '../ledger/model.js';
import { readFacts, type StoredFacts } from './riskFacts.js';
import { strictest, type RiskDecision, type RiskFacts, type RiskRule, type RiskThresholds } from './riskRule.js';
import type { ServiceMetrics } from '../telemetry.js';
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
  /** The signed-in session sending, for the step-up a large send to a new recipient needs (none for other payments). */
  sessionId?: string | null;
}

export interface RiskAssessment {
  decision: RiskDecision;
  /** Every rule's result; empty for ALLOW (only objections are kept). */
  rules: { rule: string; decision: RiskDecision; reason: string }[];
  /** What the rules saw, stored with the evaluation (amounts as strings); empty for ALLOW. */
  inputs: Record<string, string | number | boolean | null>;
  /** The send counts the verdict rests on (this send included) and the velocity thresholds: the posting function checks them under the wallet's lock. */
  velocity: { minute: number; hour: number; perMinute: number; perHour: number };
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
  /**
   * A send of at least this much (major units of the base currency) to a recipient the sender never
   * paid needs a second factor proven within `stepUpMinutes` (STEP_UP_REQUIRED otherwise); 0: never.
   */
  stepUpNewRecipientAmount: number;
  stepUpMinutes: number;
}

/** The assessment of a send that must wait for the sender to prove a second factor. */
const STEP_UP = 'STEP_UP' as const;
const STEP_UP_MESSAGE =
  'This is a large first payment to this recipient: confirm it is you with stepUp (a code from your authenticator app, or ' +
  'one requestStepUpCode sends to your verified email or phone), then send again with the same idempotencyKey.';

/** How many times a send is assessed again when its verdict turns out stale under the lock. */
const ASSESSMENTS = 3;

export interface RiskEngine {
  /**
   * Assesses a send and posts it with `post`, given the decision (null when rules are off or the
   * key was used before: a replay). When the ledger answers RISK_FACTS_STALE (another send from the
   * wallet was posted in between and moved a velocity count across a threshold), assesses again
   * and posts again; after three stale answers, the last one (TRY_AGAIN).
   */
  assessAndPost<T>(request: RiskRequest, post: (assessment: RiskAssessment | null) => Promise<Outcome<T>>): Promise<Outcome<T>>;
  /** The decision a send would get now, counting nothing. */
  preview(request: RiskRequest): Promise<RiskDecision>;
}

export function createRiskEngine(deps: {
  sql: Sql;
  fromBase: BaseAmountScaler;
  settings: RiskSettings;
  batch: BatchSettings;
  log: Logger;
  metrics?: ServiceMetrics;
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

  /** `earlier`: sends from the same wallet ahead of this one in the batch, not yet committed. */
  function evaluate(request: RiskRequest, stored: StoredFacts, earlier: number): RiskAssessment {
    const facts: RiskFacts = {
      amount: request.amount,
      currency: request.currency,
      sendsLastMinute: stored.sendsLastMinute + earlier + 1,
      sendsLastHour: stored.sendsLastHour + earlier + 1,
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
    const decision = strictest(results);
    const velocity = {
      minute: facts.sendsLastMinute,
      hour: facts.sendsLastHour,
      perMinute: settings.velocityPerMinute,
      perHour: settings.velocityPerHour,
    };
    // Every send's evaluation is recorded; what the rules said and saw only where one of them
    // objected (REVIEW, BLOCK): that is what a reviewer reads, and an ALLOW's decision says it all.
    if (decision === 'ALLOW') return { decision, rules: [], inputs: {}, velocity };
    return {
      decision,
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
      velocity,
    };
  }

  /** A large send to someone never paid before, from a session that has not proved a second factor lately. */
  function needsStepUp(request: RiskRequest, stored: StoredFacts): boolean {
    if (!request.sessionId || settings.stepUpNewRecipientAmount <= 0 || stored.recipientKnown !== false) return false;
    if (request.amount < fromBase(settings.stepUpNewRecipientAmount, request.currency)) return false;
    return !(stored.secondFactorAt && stored.secondFactorAt.getTime() > Date.now() - settings.stepUpMinutes * 60_000);
  }

  const batcher = createBatcher<RiskRequest, RiskAssessment | typeof STEP_UP | null>(
    async (requests) => {
      const stored = await readFacts(sql, requests);
      // A replay (the key was used before) is not another send, and is not evaluated again.
      const ahead = new Map<string, number>();
      return requests.map((request, i) => {
        if (stored[i]!.keySeen) return null;
        if (needsStepUp(request, stored[i]!)) return STEP_UP;
        const wallet = `${request.userId}/${request.currency}`;
        const earlier = ahead.get(wallet) ?? 0;
        ahead.set(wallet, earlier + 1);
        return evaluate(request, stored[i]!, earlier);
      });
    },
    deps.batch,
    { what: 'risk', log: deps.log, metrics: deps.metrics },
  );

  const assess = (request: RiskRequest) => (settings.enabled ? batcher.run(request) : Promise.resolve(null));

  return {
    async assessAndPost(request, post) {
      const postAssessed = async () => {
        const assessment = await assess(request);
        // Refused before anything is written: the same idempotency key posts once the session steps up.
        return assessment === STEP_UP ? failure('STEP_UP_REQUIRED', STEP_UP_MESSAGE) : post(assessment);
      };
      let outcome = await postAssessed();
      for (let n = 1; n < ASSESSMENTS && isStale(outcome); n++) outcome = await postAssessed();
      return outcome;
    },
    async preview(request) {
      if (!settings.enabled) return 'ALLOW';
      const [stored] = await readFacts(sql, [{ ...request, key: null }]);
      return evaluate(request, stored!, 0).decision;
    },
  };
}

/** The ledger's answer when a verdict rested on send counts that changed before the posting call locked the wallet. */
const isStale = (outcome: Outcome<unknown>) => !outcome.ok && outcome.errors.some((e) => e.code === 'TRY_AGAIN');
