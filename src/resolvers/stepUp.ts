// The one way a risky mutation asks for a recent second factor (issue 18, step-up): its resolver
// is wrapped, so the check runs first, before anything is read or changed, over HTTP and
// WebSocket alike (both build the same context). The rule itself is the MFA service's
// (stepUpRefusal); a refusal is the payload's userError STEP_UP_REQUIRED (or, for an admin's
// money action without MFA, MFA_ENROLMENT_REQUIRED). sendMoney is not wrapped: it is the hot path.
import type { GraphQLContext } from '../schema/context.js';
import type { StepUpAction } from '../services/auth/mfa.js';
import type { UserError } from '../services/errors.js';

export function stepUpRequired<Root, Args, Result>(
  action: StepUpAction,
  resolve: (root: Root, args: Args, ctx: GraphQLContext) => Promise<Result>,
): (root: Root, args: Args, ctx: GraphQLContext) => Promise<Result | { userErrors: UserError[] }> {
  return async (root, args, ctx) => {
    const refusal = await ctx.services.mfa.stepUpRefusal(ctx.viewer!, action);
    return refusal ? { userErrors: [refusal] } : resolve(root, args, ctx);
  };
}
