// Money leaving soon after the password or email changed: what an account takeover looks like.
import type { RiskRule } from '../riskRule.js';

export const credentialChange: RiskRule = {
  name: 'credentialChange',
  evaluate(f, t) {
    const changed = f.credentialsChangedAt;
    const recent = changed !== null && f.now.getTime() - changed.getTime() < t.credentialChangeHours * 3_600_000;
    if (recent && f.amount > t.credentialChangeAmount) {
      return { decision: 'REVIEW', reason: `send within ${t.credentialChangeHours} h of a password or email change` };
    }
    return { decision: 'ALLOW', reason: recent ? 'recent credential change, small amount' : 'no recent credential change' };
  },
};
