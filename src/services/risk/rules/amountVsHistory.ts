// An amount far above what the user usually sends: above the multiplier times their largest
// recent send, and above a floor (so a user with little history can still send everyday amounts).
import type { RiskRule } from '../riskRule.js';

export const amountVsHistory: RiskRule = {
  name: 'amountVsHistory',
  evaluate(f, t) {
    const usual = f.largestRecentSend * BigInt(t.historyMultiplier);
    const ceiling = usual > t.historyFloor ? usual : t.historyFloor;
    if (f.amount > ceiling) {
      return {
        decision: 'REVIEW',
        reason: `amount above ${t.historyMultiplier}× the largest of ${f.recentSends} recent sends and above the floor`,
      };
    }
    return { decision: 'ALLOW', reason: 'amount within the usual range' };
  },
};
