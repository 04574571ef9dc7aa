// exportMyData and deleteMyAccount: both need a recent second factor (a stolen session must not be
// able to take a copy of everything, or erase the account).
import { builder } from '../schema/builder.js';
import { DeleteMyAccountInput, DeleteMyAccountPayload, ExportMyDataPayload } from '../schema/privacy.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

builder.mutationField('exportMyData', (t) =>
  t.field({
    type: ExportMyDataPayload,
    description:
      'A short-lived link to download everything held about you as JSON: profile, wallets and every ledger entry, payment methods ' +
      '(masked), KYC cases and decisions, sessions and devices, the audit events about you, merchant memberships and payments. ' +
      'What is left out and why is in the document (notIncluded). Needs a recent second factor.',
    authScopes: { authenticated: true },
    resolve: stepUpRequired('USER', async (_root, _args, ctx) => {
      const link = await ctx.services.privacy.exportLink(ctx.viewer!, ctx.client);
      return { downloadUrl: link.url, expiresAt: link.expiresAt, userErrors: [] };
    }),
  }),
);

builder.mutationField('deleteMyAccount', (t) =>
  t.field({
    type: DeleteMyAccountPayload,
    description:
      'Erases your account: your name, email and phone are removed everywhere, your sessions end and your wallets close; the ' +
      'ledger keeps its entries under a pseudonymous id. Refused (ACCOUNT_NOT_EMPTY, ACCOUNT_UNDER_REVIEW) while money or a ' +
      'review is open. Needs your password and a recent second factor. Cannot be undone.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: DeleteMyAccountInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }, ctx) =>
      payload(await ctx.services.privacy.deleteMyAccount(ctx.viewer!.userId, input.password, ctx.client), (v) => v),
    ),
  }),
);
