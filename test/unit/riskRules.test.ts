// Each risk rule at its boundaries, as a plain function of facts and thresholds (the API tests in
// test/api/risk.test.ts show the same rules firing end to end), and how decisions combine.
import { describe, expect, it } from 'vitest';
import { strictest, type RiskFacts, type RiskThresholds } from '../../src/services/risk/riskRule.js';
import { amountVsHistory } from '../../src/services/risk/rules/amountVsHistory.js';
import { credentialChange } from '../../src/services/risk/rules/credentialChange.js';
import { failedPaymentMethods } from '../../src/services/risk/rules/failedPaymentMethods.js';
import { RULES } from '../../src/services/risk/rules/index.js';
import { newDevice } from '../../src/services/risk/rules/newDevice.js';
import { newRecipient } from '../../src/services/risk/rules/newRecipient.js';
import { velocity } from '../../src/services/risk/rules/velocity.js';

const now = new Date('2026-11-26T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

const thresholds: RiskThresholds = {
  velocityPerMinute: 10,
  velocityPerHour: 60,
  largeAmount: 500_00n,
  historyMultiplier: 5,
  historyFloor: 1000_00n,
  newDeviceHours: 24,
  credentialChangeHours: 24,
  credentialChangeAmount: 100_00n,
  failedMethodsReview: 3,
  failedMethodsBlock: 6,
};

/** An ordinary send that no rule objects to; each test changes what it is about. */
const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  amount: 20_00n,
  currency: 'USD',
  sendsLastMinute: 1,
  sendsLastHour: 1,
  recentSends: 10,
  largestRecentSend: 50_00n,
  recipientKnown: true,
  deviceId: 'phone-1',
  deviceFirstSeenAt: hoursAgo(24 * 30),
  credentialsChangedAt: null,
  failedMethodAdds: 0,
  now,
  ...over,
});

const decision = (rule: typeof velocity, over: Partial<RiskFacts>) => rule.evaluate(facts(over), thresholds).decision;

describe('risk rules', () => {
  it('an ordinary send is allowed by every rule', () => {
    expect(RULES.map((r) => r.evaluate(facts(), thresholds).decision)).toEqual(RULES.map(() => 'ALLOW'));
  });

  it('velocity: reviewed above the hourly count, blocked above the per-minute count', () => {
    expect(decision(velocity, { sendsLastHour: 60 })).toBe('ALLOW');
    expect(decision(velocity, { sendsLastHour: 61 })).toBe('REVIEW');
    expect(decision(velocity, { sendsLastMinute: 10, sendsLastHour: 10 })).toBe('ALLOW');
    expect(decision(velocity, { sendsLastMinute: 11, sendsLastHour: 11 })).toBe('BLOCK');
  });

  it('amount vs history: above max(floor, multiplier × largest recent send)', () => {
    expect(decision(amountVsHistory, { amount: 1000_00n, largestRecentSend: 0n })).toBe('ALLOW');
    expect(decision(amountVsHistory, { amount: 1000_01n, largestRecentSend: 0n })).toBe('REVIEW');
    expect(decision(amountVsHistory, { amount: 2500_00n, largestRecentSend: 500_00n })).toBe('ALLOW');
    expect(decision(amountVsHistory, { amount: 2500_01n, largestRecentSend: 500_00n })).toBe('REVIEW');
  });

  it('new recipient: large (at or above) to someone never paid; unknown recipients are left to the ledger', () => {
    expect(decision(newRecipient, { recipientKnown: false, amount: 499_99n })).toBe('ALLOW');
    expect(decision(newRecipient, { recipientKnown: false, amount: 500_00n })).toBe('REVIEW');
    expect(decision(newRecipient, { recipientKnown: true, amount: 900_00n })).toBe('ALLOW');
    expect(decision(newRecipient, { recipientKnown: null, amount: 900_00n })).toBe('ALLOW');
  });

  it('new device: first seen under the window ago, never seen, or not sent, with a large amount', () => {
    const large = { amount: 500_00n };
    expect(decision(newDevice, { ...large, deviceFirstSeenAt: hoursAgo(24) })).toBe('ALLOW');
    expect(decision(newDevice, { ...large, deviceFirstSeenAt: hoursAgo(23.9) })).toBe('REVIEW');
    expect(decision(newDevice, { ...large, deviceFirstSeenAt: null })).toBe('REVIEW');
    expect(decision(newDevice, { ...large, deviceId: null, deviceFirstSeenAt: null })).toBe('REVIEW');
    expect(decision(newDevice, { amount: 499_99n, deviceFirstSeenAt: null })).toBe('ALLOW');
  });

  it('credential change: above the amount within the window of a change', () => {
    expect(decision(credentialChange, { credentialsChangedAt: hoursAgo(1), amount: 100_00n })).toBe('ALLOW');
    expect(decision(credentialChange, { credentialsChangedAt: hoursAgo(1), amount: 100_01n })).toBe('REVIEW');
    expect(decision(credentialChange, { credentialsChangedAt: hoursAgo(24), amount: 900_00n })).toBe('ALLOW');
    expect(decision(credentialChange, { credentialsChangedAt: null, amount: 900_00n })).toBe('ALLOW');
  });

  it('failed payment methods: reviewed from the review count, blocked from the block count', () => {
    expect(decision(failedPaymentMethods, { failedMethodAdds: 2 })).toBe('ALLOW');
    expect(decision(failedPaymentMethods, { failedMethodAdds: 3 })).toBe('REVIEW');
    expect(decision(failedPaymentMethods, { failedMethodAdds: 6 })).toBe('BLOCK');
  });

  it('the strictest decision wins', () => {
    expect(strictest([])).toBe('ALLOW');
    expect(strictest([{ decision: 'ALLOW' }, { decision: 'REVIEW' }])).toBe('REVIEW');
    expect(strictest([{ decision: 'BLOCK' }, { decision: 'REVIEW' }, { decision: 'ALLOW' }])).toBe('BLOCK');
  });

  it('every rule has a unique name (stored with each evaluation)', () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });
});
