// Money-moving mutations.
import { builder } from '../schema/builder.js';
import { PreviewTransferPayload } from '../schema/risk.js';
import {
  AdminAdjustBalanceInput,
  AdminAdjustBalancePayload,
  PreviewTransferInput,
  SendMoneyInput,
  SendMoneyPayload,
} from '../schema/transfers.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

builder.mutationField('sendMoney', (t) =>
  t.field({
    type: SendMoneyPayload,
    description: "Pays another user from your wallet in the amount's currency. Exactly once per idempotencyKey.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SendMoneyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const outcome = await ctx.services.transfers.sendMoney(
        ctx.viewer!.userId,
        { ...input, recipient: { ...input.recipient, walletId: input.recipient.walletId?.id } },
        { deviceId: ctx.client.deviceId, sessionId: ctx.viewer?.sessionId ?? null },
      );
      return payload(outcome, (v) => ({ transfer: v.transfer, wallet: v.wallet, replayed: v.replayed }));
    },
  }),
);

builder.queryField('previewTransfer', (t) =>
  t.field({
    type: PreviewTransferPayload,
    description: 'A dry run of sendMoney: the fee, your limits after it, and the risk decision. Moves and reserves nothing.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: PreviewTransferInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const outcome = await ctx.services.transfers.previewTransfer(
        ctx.viewer!.userId,
        { ...input, recipient: { ...input.recipient, walletId: input.recipient.walletId?.id } },
        { deviceId: ctx.client.deviceId },
      );
      return payload(outcome, (preview) => ({ preview }));
    },
  }),
);

builder.mutationField('adminAdjustBalance', (t) =>
  t.field({
    type: AdminAdjustBalancePayload,
    description: 'Credits or debits a user wallet against the adjustments account (admins only); the admin and reason are recorded.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: AdminAdjustBalanceInput, required: true }) },
    resolve: stepUpRequired('ADMIN', async (_root, { input }, ctx) => {
      const outcome = await ctx.services.transfers.adjustBalance(ctx.viewer!.userId, { ...input, walletId: input.walletId.id });
      return payload(outcome, (v) => ({ transfer: v.transfer, wallet: v.wallet, replayed: v.replayed }));
    }),
  }),
);
