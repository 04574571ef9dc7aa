// Who is asking, in the terms the services take: the viewer for wallet reads, and for merchant
// operations the signed-in user or the merchant's API key.
import type { GraphQLContext } from '../schema/context.js';
import type { MerchantActor } from '../services/merchants/merchants.js';

export function merchantActor(ctx: GraphQLContext): MerchantActor {
  if (ctx.apiKey) return { kind: 'apiKey', keyId: ctx.apiKey.keyId, merchantId: ctx.apiKey.merchantId, createdBy: ctx.apiKey.createdBy };
  return { kind: 'user', userId: ctx.viewer!.userId };
}

/** The actor, when there is one (a field readable without signing in has none). */
export function optionalActor(ctx: GraphQLContext): MerchantActor | null {
  return ctx.apiKey || ctx.viewer ? merchantActor(ctx) : null;
}

/** The viewer as the wallet service sees them: whose wallets, and whether they may see anyone's. */
export function viewerOf(viewer: { userId: string; roles: string[] }) {
  return { userId: viewer.userId, isAdmin: viewer.roles.includes('ADMIN') };
}
