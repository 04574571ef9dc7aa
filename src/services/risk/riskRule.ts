// The one interface every risk rule implements, and what rules are given. A rule is a plain
// function of facts gathered before the money moves (src/services/risk/riskFacts.ts) and the
// thresholds from configuration; it answers ALLOW, REVIEW or BLOCK with a reason. Adding a rule
// is one file in rules/ and one line in rules/index.ts.

export type RiskDecision = 'ALLOW' | 'REVIEW' | 'BLOCK';

/** What is known about a transfer and its sender when the rules run. */
export interface RiskFacts {
  /** Minor units of `currency`. */
  amount: bigint;
  currency: string;
  /** Sends the user attempted in the last minute and hour, this one included. */
  sendsLastMinute: number;
  sendsLastHour: number;
  /** The user's recent sends from this wallet (up to the last 50) and the largest of them. */
  recentSends: number;
  largestRecentSend: bigint;
  /** Whether the sender has paid this recipient before; null when the recipient is not resolved. */
  recipientKnown: boolean | null;
  /** The X-Device-Id of the request (null when none was sent) and when it first signed in. */
  deviceId: string | null;
  deviceFirstSeenAt: Date | null;
  /** When the password or email last changed; null if never since sign-up. */
  credentialsChangedAt: Date | null;
  /** Cards and bank accounts the user failed to add in the last 24 hours. */
  failedMethodAdds: number;
  now: Date;
}

/** Thresholds, with amounts already in the transfer's currency (minor units). */
export interface RiskThresholds {
  velocityPerMinute: number;
  velocityPerHour: number;
  /** "Large" for the new-recipient and new-device rules. */
  largeAmount: bigint;
  historyMultiplier: number;
  /** Above this a transfer is unusual even without history. */
  historyFloor: bigint;
  newDeviceHours: number;
  credentialChangeHours: number;
  /** A send above this soon after a credential change is reviewed. */
  credentialChangeAmount: bigint;
  failedMethodsReview: number;
  failedMethodsBlock: number;
}

export interface RuleResult {
  decision: RiskDecision;
  reason: string;
}

export interface RiskRule {
  /** Stable name, stored with every evaluation. */
  name: string;
  evaluate(facts: RiskFacts, thresholds: RiskThresholds): RuleResult;
}

export const allow = (reason: string): RuleResult => ({ decision: 'ALLOW', reason });

const SEVERITY: Record<RiskDecision, number> = { ALLOW: 0, REVIEW: 1, BLOCK: 2 };

/** The strictest of the rules' decisions. */
export function strictest(results: { decision: RiskDecision }[]): RiskDecision {
  return results.reduce<RiskDecision>((worst, r) => (SEVERITY[r.decision] > SEVERITY[worst] ? r.decision : worst), 'ALLOW');
}
