// Many cards or bank accounts that failed to add: someone testing stolen card numbers.
import type { RiskRule } from '../riskRule.js';

export const failedPaymentMethods: RiskRule = {
  name: 'failedPaymentMethods',
  evaluate(f, t) {
    if (f.failedMethodAdds >= t.failedMethodsBlock) {
      return { decision: 'BLOCK', reason: `${f.failedMethodAdds} failed payment-method additions in 24 h` };
    }
    if (f.failedMethodAdds >= t.failedMethodsReview) {
      return { decision: 'REVIEW', reason: `${f.failedMethodAdds} failed payment-method additions in 24 h` };
    }
    return { decision: 'ALLOW', reason: `${f.failedMethodAdds} failed payment-method additions in 24 h` };
  },
};
