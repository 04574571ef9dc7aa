// The assembled GraphQL schema: the types src/schema/ declares, with the fields and node loaders
// src/resolvers/ attaches to them. It lives here, above both folders, because it is neither alone;
// the server, the schema printer and the tests import `schema` from this file and nowhere else.
import './schema/scalars.js';
import './schema/money.js';
import './schema/userErrors.js';
import './schema/user.js';
import './schema/auth.js';
import './schema/wallet.js';
import './schema/transfers.js';
import './schema/paymentMethods.js';
import './schema/funding.js';
import './schema/debts.js';
import './schema/limits.js';
import './schema/kyc.js';
import './schema/aml.js';
import './schema/risk.js';
import './schema/merchants.js';
import './schema/partners.js';
import './schema/merchantWebhooks.js';
import './resolvers/auth.js';
import './resolvers/viewer.js';
import './resolvers/admin.js';
import './resolvers/wallets.js';
import './resolvers/transfers.js';
import './resolvers/paymentMethods.js';
import './resolvers/funding.js';
import './resolvers/debts.js';
import './resolvers/limits.js';
import './resolvers/kyc.js';
import './resolvers/aml.js';
import './resolvers/risk.js';
import './resolvers/merchants.js';
import './resolvers/partners.js';
import './resolvers/merchantWebhooks.js';
import './resolvers/subscriptions.js';
import { builder } from './schema/builder.js';

export const schema = builder.toSchema({ sortSchema: true });
