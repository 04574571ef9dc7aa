// A large amount to someone the sender has never paid: the usual shape of a scam payment.
import type { RiskRule } from '../riskRule.js';

export const newRecipient: RiskRule = {
  name: 'newRecipient',
  evaluate(f, t) {
    if (f.recipientKnown === false && f.amount >= t.largeAmount) {
      return { decision: 'REVIEW', reason: 'large amount to a first-time recipient' };
    }
    return { decision: 'ALLOW', reason: f.recipientKnown ? 'recipient paid before' : 'first-time recipient, amount not large' };
  },
};
