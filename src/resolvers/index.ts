// Registers every field on the builder, then prints the schema.
import '../schema/scalars.js';
import '../schema/money.js';
import '../schema/wallet.js';
import '../schema/transfers.js';
import '../schema/paymentMethods.js';
import '../schema/funding.js';
import '../schema/limits.js';
import '../schema/kyc.js';
import '../schema/aml.js';
import '../schema/risk.js';
import '../schema/merchants.js';
import './auth.js';
import './viewer.js';
import './admin.js';
import './wallets.js';
import './transfers.js';
import './paymentMethods.js';
import './funding.js';
import './limits.js';
import './kyc.js';
import './aml.js';
import './risk.js';
import './merchants.js';
import './subscriptions.js';
import { builder } from '../schema/builder.js';

export const schema = builder.toSchema({ sortSchema: true });
