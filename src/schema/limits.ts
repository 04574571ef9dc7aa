// KYC tiers and limits as their user sees them.
import { LIMIT_KINDS, type KYC_TIERS, type KycTier, type LimitUsage } from '../services/compliance/limits.js';
import { builder } from './builder.js';
import { MoneyRef } from './money.js';

export const KycTierEnum = builder.enumType('KycTier', {
  values: {
    TIER_0: { description: 'Signed up. Can receive and hold a small balance; cannot withdraw.' },
    TIER_1: { description: 'Name, date of birth, address and phone verified.' },
    TIER_2: { description: 'Government ID and selfie checked.' },
  } satisfies Record<(typeof KYC_TIERS)[number], { description: string }>,
});

export const LimitKindEnum = builder.enumType('LimitKind', { values: LIMIT_KINDS });

export const LimitRef = builder.objectRef<LimitUsage & { exceeded?: boolean }>('Limit').implement({
  description: 'One limit of one wallet: how much it allows, how much is used, how much is left.',
  fields: (t) => ({
    kind: t.field({ type: LimitKindEnum, resolve: (l) => l.kind }),
    limit: t.field({ type: MoneyRef, resolve: (l) => ({ amount: l.limit, currency: l.currency }) }),
    used: t.field({
      type: MoneyRef,
      description: 'For MAX_BALANCE: the posted balance.',
      resolve: (l) => ({ amount: l.used, currency: l.currency }),
    }),
    remaining: t.field({ type: MoneyRef, resolve: (l) => ({ amount: l.remaining, currency: l.currency }) }),
    resetsAt: t.field({ type: 'DateTime', nullable: true, description: 'Null for limits that do not reset.', resolve: (l) => l.resetsAt }),
    exceeded: t.boolean({ description: 'Used is over the limit (only a preview can show this).', resolve: (l) => l.exceeded ?? false }),
  }),
});

export const MyLimitsRef = builder.objectRef<{ tier: KycTier; limits: LimitUsage[] }>('MyLimits').implement({
  fields: (t) => ({
    tier: t.field({ type: KycTierEnum, resolve: (m) => m.tier }),
    limits: t.field({ type: [LimitRef], description: 'For each of your wallets, every limit.', resolve: (m) => m.limits }),
  }),
});
