// Too many sends in a short time: a script or a taken-over account emptying the wallet.
// Over the per-minute count is blocked; over the per-hour count is reviewed.
import type { RiskRule } from '../riskRule.js';

export const velocity: RiskRule = {
  name: 'velocity',
  evaluate(f, t) {
    if (f.sendsLastMinute > t.velocityPerMinute) {
      return { decision: 'BLOCK', reason: `${f.sendsLastMinute} sends in a minute (more than ${t.velocityPerMinute})` };
    }
    if (f.sendsLastHour > t.velocityPerHour) {
      return { decision: 'REVIEW', reason: `${f.sendsLastHour} sends in an hour (more than ${t.velocityPerHour})` };
    }
    return { decision: 'ALLOW', reason: `${f.sendsLastMinute} sends this minute, ${f.sendsLastHour} this hour` };
  },
};
