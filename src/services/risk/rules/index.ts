// The rules every user-initiated send is evaluated against, in the order they are reported.
import type { RiskRule } from '../riskRule.js';
import { amountVsHistory } from './amountVsHistory.js';
import { credentialChange } from './credentialChange.js';
import { failedPaymentMethods } from './failedPaymentMethods.js';
import { newDevice } from './newDevice.js';
import { newRecipient } from './newRecipient.js';
import { velocity } from './velocity.js';

export const RULES: readonly RiskRule[] = [velocity, amountVsHistory, newRecipient, newDevice, credentialChange, failedPaymentMethods];
