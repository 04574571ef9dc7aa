// Who a merchant operation is done by: the signed-in user, or the merchant's API key.
import type { GraphQLContext } from './context.js';
import type { MerchantActor } from '../services/merchants/merchants.js';

export function merchantActor(ctx: GraphQLContext): MerchantActor {
  if (ctx.apiKey) return { kind: 'apiKey', keyId: ctx.apiKey.keyId, merchantId: ctx.apiKey.merchantId, createdBy: ctx.apiKey.createdBy };
  return { kind: 'user', userId: ctx.viewer!.userId };
}

/** The actor, when there is one (a field readable without signing in has none). */
export function optionalActor(ctx: GraphQLContext): MerchantActor | null {
  return ctx.apiKey || ctx.viewer ? merchantActor(ctx) : null;
}
