// Payment methods: load, list, add, verify, remove, choose the default. The viewer's own only.
import { builder } from '../schema/builder.js';
import {
  AddBankAccountInput,
  AddBankAccountPayload,
  AddCardInput,
  AddCardPayload,
  PaymentMethodIdInput,
  PaymentMethodRef,
  RemovePaymentMethodPayload,
  SetDefaultPaymentMethodPayload,
  VerifyBankAccountInput,
  VerifyBankAccountPayload,
} from '../schema/paymentMethods.js';
import { loadNodeWith } from './nodes.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

// Owners only: payment methods are not even shown to admins through the API.
loadNodeWith(PaymentMethodRef, (id, ctx) => (ctx.viewer ? ctx.services.paymentMethods.get(ctx.viewer.userId, id) : null));

const asPaymentMethod = <T>(paymentMethod: T) => ({ paymentMethod });

builder.queryField('paymentMethods', (t) =>
  t.field({
    type: [PaymentMethodRef],
    description: 'Your cards and bank accounts, oldest first (removed ones are not listed).',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.services.paymentMethods.list(ctx.viewer!.userId),
  }),
);

builder.mutationField('addCard', (t) =>
  t.field({
    type: AddCardPayload,
    description: 'Adds a card after the processor verifies it. Adding the same card again returns the existing one.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AddCardInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }, ctx) =>
      payload(await ctx.services.paymentMethods.addCard(ctx.viewer!.userId, input), asPaymentMethod),
    ),
  }),
);

builder.mutationField('addBankAccount', (t) =>
  t.field({
    type: AddBankAccountPayload,
    description: 'Adds a bank account and sends it two micro-deposits; confirm them with verifyBankAccount before using it.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AddBankAccountInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }, ctx) =>
      payload(await ctx.services.paymentMethods.addBankAccount(ctx.viewer!.userId, input), asPaymentMethod),
    ),
  }),
);

builder.mutationField('verifyBankAccount', (t) =>
  t.field({
    type: VerifyBankAccountPayload,
    description: 'Confirms a bank account with the two micro-deposit amounts. Three wrong tries lock it.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: VerifyBankAccountInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(
        await ctx.services.paymentMethods.verifyBankAccount(ctx.viewer!.userId, { id: input.id.id, amounts: input.amounts }),
        asPaymentMethod,
      ),
  }),
);

builder.mutationField('removePaymentMethod', (t) =>
  t.field({
    type: RemovePaymentMethodPayload,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: PaymentMethodIdInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.paymentMethods.remove(ctx.viewer!.userId, input.id.id), asPaymentMethod),
  }),
);

builder.mutationField('setDefaultPaymentMethod', (t) =>
  t.field({
    type: SetDefaultPaymentMethodPayload,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: PaymentMethodIdInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.paymentMethods.setDefault(ctx.viewer!.userId, input.id.id), asPaymentMethod),
  }),
);
