// Registers every field on the builder, then prints the schema.
import '../schema/scalars.js';
import '../schema/money.js';
import './auth.js';
import './viewer.js';
import './admin.js';
import './subscriptions.js';
import { builder } from '../schema/builder.js';

export const schema = builder.toSchema({ sortSchema: true });
