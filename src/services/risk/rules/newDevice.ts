// A large amount from a device the account has not used for long (first seen within
// newDeviceHours, or never seen: no sign-in from it, or no X-Device-Id at all).
import type { RiskRule } from '../riskRule.js';

export const newDevice: RiskRule = {
  name: 'newDevice',
  evaluate(f, t) {
    const known = f.deviceFirstSeenAt !== null && f.now.getTime() - f.deviceFirstSeenAt.getTime() >= t.newDeviceHours * 3_600_000;
    if (!known && f.amount >= t.largeAmount) {
      return { decision: 'REVIEW', reason: f.deviceId ? 'large amount from a new device' : 'large amount from an unidentified device' };
    }
    return { decision: 'ALLOW', reason: known ? 'known device' : 'new device, amount not large' };
  },
};
