// Statements and spending insights on the API. Loading them, Statement.wallet/lines/downloadUrl and
// what insights link to: src/resolvers/statements.ts.
import type { UserError } from '../services/errors.js';
import type { CategoryInsight, CounterpartyFigures, Insights } from '../services/insights/insights.js';
import { SPENDING_CATEGORIES } from '../services/insights/categories.js';
import type { Statement, StatementLine, StatementPeriod } from '../services/statements/statements.js';
import { builder } from './builder.js';
import { MoneyRef } from './money.js';
import { userErrorsField } from './userErrors.js';
import { DirectionEnum, TransactionTypeEnum } from './wallet.js';

const money = (amount: bigint, currency: string) => ({ amount, currency });

export const SpendingCategoryEnum = builder.enumType('SpendingCategory', {
  description:
    "Where money went or came from. A merchant's category comes from its ISO 18245 category code; P2P is other users, CARDS_AND_BANKS top-ups and withdrawals, FEES the platform's fees, ADJUSTMENTS its corrections and promotions.",
  values: SPENDING_CATEGORIES,
});

export const StatementFormatEnum = builder.enumType('StatementFormat', {
  values: { CSV: { description: 'RFC 4180, amounts as decimal strings.' }, PDF: { description: 'A printable document.' } } as const,
});

export const StatementPeriodInput = builder.inputType('StatementPeriodInput', {
  description: "A calendar month, or a range of dates (both included). Days and months are in the time zone given, else your profile's.",
  fields: (t) => ({
    month: t.string({ required: false, description: '"YYYY-MM", e.g. "2026-11". Not with from/to.' }),
    from: t.string({ required: false, description: 'First day, "YYYY-MM-DD".' }),
    to: t.string({ required: false, description: 'Last day, "YYYY-MM-DD" (included); at most STATEMENT_MAX_DAYS (366) days after from.' }),
    timeZone: t.string({ required: false, description: "IANA time zone name; default your profile's (User.timeZone)." }),
  }),
});

export const StatementPeriodRef = builder.objectRef<StatementPeriod>('StatementPeriod').implement({
  fields: (t) => ({
    month: t.exposeString('month', { nullable: true, description: '"YYYY-MM" for a monthly statement.' }),
    from: t.exposeString('from', { description: 'First local day, "YYYY-MM-DD".' }),
    to: t.exposeString('to', { description: 'Last local day (included).' }),
    timeZone: t.exposeString('timeZone'),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'The first instant covered.' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', description: 'The first instant after the period.' }),
  }),
});

/** A line as the API shows it: the ledger line with its wallet's currency. */
export type StatementLineShape = StatementLine & { currency: string; walletId: string };

export const StatementLineRef = builder.objectRef<StatementLineShape>('StatementLine').implement({
  description: 'One posted transaction on a statement.',
  fields: (t) => ({
    date: t.expose('createdAt', { type: 'DateTime' }),
    type: t.field({ type: TransactionTypeEnum, resolve: (l) => l.type }),
    counterparty: t.exposeString('counterparty', { description: 'Display name of the other side.' }),
    note: t.exposeString('note', { nullable: true }),
    amount: t.field({ type: MoneyRef, description: 'Signed: negative took money out.', resolve: (l) => money(l.amount, l.currency) }),
    direction: t.field({ type: DirectionEnum, resolve: (l) => (l.amount < 0n ? 'OUT' : 'IN') }),
    balanceAfter: t.field({ type: MoneyRef, resolve: (l) => money(l.balanceAfter, l.currency) }),
    sequence: t.field({ type: 'BigInt', description: "The wallet's entry sequence number.", resolve: (l) => l.sequence }),
  }),
});

export const StatementRef = builder.objectRef<Statement>('Statement').implement({
  description:
    "A wallet's money over a period, from the ledger: opening balance + every line = closing balance, exactly. Money in and out leave fees out; fees are their own total.",
  fields: (t) => ({
    period: t.field({ type: StatementPeriodRef, resolve: (s) => s.period }),
    openingBalance: t.field({ type: MoneyRef, resolve: (s) => money(s.openingBalance, s.currency) }),
    closingBalance: t.field({ type: MoneyRef, resolve: (s) => money(s.closingBalance, s.currency) }),
    totalIn: t.field({ type: MoneyRef, resolve: (s) => money(s.totalIn, s.currency) }),
    totalOut: t.field({ type: MoneyRef, description: 'Positive.', resolve: (s) => money(s.totalOut, s.currency) }),
    totalFees: t.field({ type: MoneyRef, description: 'Positive.', resolve: (s) => money(s.totalFees, s.currency) }),
    lineCount: t.int({ resolve: (s) => s.lineCount }),
  }),
});

export const MonthlyStatementRef = builder.objectRef<Statement>('MonthlyStatement');
builder.node(MonthlyStatementRef, {
  description: "A statement made after a month ended (in the holder's time zone); listed by statements(walletId).",
  id: { resolve: (s) => s.id! },
  fields: (t) => ({
    month: t.string({ description: '"YYYY-MM"', resolve: (s) => s.period.month! }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt! }),
    statement: t.field({ type: StatementRef, resolve: (s) => s }),
  }),
});

export const StatementDownloadRef = builder.objectRef<{ url: string; expiresAt: Date }>('StatementDownload').implement({
  description: 'A link that downloads the statement: it works for a few minutes, for your session only (signing out ends it).',
  fields: (t) => ({
    url: t.exposeString('url'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

export const StatementPayload = builder.objectRef<{ statement?: Statement | null; userErrors: UserError[] }>('StatementPayload').implement({
  fields: (t) => ({
    statement: t.field({ type: StatementRef, nullable: true, resolve: (p) => p.statement ?? null }),
    userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
  }),
});

const InsightTotalsRef = builder
  .objectRef<{ month: string | null; totalIn: bigint; totalOut: bigint; currency: string }>('InsightTotals')
  .implement({
    fields: (t) => ({
      month: t.exposeString('month', { nullable: true, description: '"YYYY-MM"; null for an average.' }),
      moneyIn: t.field({ type: MoneyRef, resolve: (m) => money(m.totalIn, m.currency) }),
      moneyOut: t.field({ type: MoneyRef, resolve: (m) => money(m.totalOut, m.currency) }),
    }),
  });

const CategoryInsightRef = builder.objectRef<CategoryInsight & { currency: string }>('CategoryInsight').implement({
  fields: (t) => ({
    category: t.field({ type: SpendingCategoryEnum, resolve: (c) => c.category }),
    moneyIn: t.field({ type: MoneyRef, resolve: (c) => money(c.in, c.currency) }),
    moneyOut: t.field({ type: MoneyRef, resolve: (c) => money(c.out, c.currency) }),
    transactions: t.exposeInt('transactions'),
    previousMonthIn: t.field({ type: MoneyRef, resolve: (c) => money(c.previousIn, c.currency) }),
    previousMonthOut: t.field({ type: MoneyRef, resolve: (c) => money(c.previousOut, c.currency) }),
    threeMonthAverageIn: t.field({ type: MoneyRef, resolve: (c) => money(c.averageIn, c.currency) }),
    threeMonthAverageOut: t.field({ type: MoneyRef, resolve: (c) => money(c.averageOut, c.currency) }),
  }),
});

const CounterpartyInsightRef = builder.objectRef<CounterpartyFigures & { currency: string }>('CounterpartyInsight').implement({
  fields: (t) => ({
    displayName: t.exposeString('displayName'),
    isUser: t.boolean({ resolve: (c) => c.kind === 'USER' }),
    isMerchant: t.boolean({ resolve: (c) => c.kind === 'MERCHANT' }),
    category: t.field({ type: SpendingCategoryEnum, resolve: (c) => c.category }),
    moneyIn: t.field({ type: MoneyRef, resolve: (c) => money(c.in, c.currency) }),
    moneyOut: t.field({ type: MoneyRef, resolve: (c) => money(c.out, c.currency) }),
    transactions: t.exposeInt('transactions'),
  }),
});

export const SpendingInsightsRef = builder.objectRef<Insights>('SpendingInsights').implement({
  description:
    "A month of a wallet's money in the holder's time zone, by category and counterparty, against the month before and the average of the three before. Money out includes fees.",
  fields: (t) => ({
    month: t.exposeString('month'),
    timeZone: t.exposeString('timeZone'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    complete: t.exposeBoolean('complete', { description: 'The month has ended: these figures are final.' }),
    moneyIn: t.field({ type: MoneyRef, resolve: (i) => money(i.totalIn, i.currency) }),
    moneyOut: t.field({ type: MoneyRef, resolve: (i) => money(i.totalOut, i.currency) }),
    net: t.field({ type: MoneyRef, description: 'moneyIn - moneyOut.', resolve: (i) => money(i.totalIn - i.totalOut, i.currency) }),
    previousMonth: t.field({ type: InsightTotalsRef, resolve: (i) => ({ ...i.previous, currency: i.currency }) }),
    threeMonthAverage: t.field({
      type: InsightTotalsRef,
      description: 'The average of the three months before this one (rounded half away from zero to the minor unit).',
      resolve: (i) => ({ month: null, ...i.average, currency: i.currency }),
    }),
    categories: t.field({
      type: [CategoryInsightRef],
      description: 'Every category with money this month or in the three before, most spent this month first.',
      resolve: (i) => i.categories.map((c) => ({ ...c, currency: i.currency })),
    }),
    topCounterparties: t.field({
      type: [CounterpartyInsightRef],
      description: 'The five counterparties with the most money either way this month.',
      resolve: (i) => i.counterparties.map((c) => ({ ...c, currency: i.currency })),
    }),
  }),
});

export const InsightsPayload = builder.objectRef<{ insights?: Insights | null; userErrors: UserError[] }>('InsightsPayload').implement({
  fields: (t) => ({
    insights: t.field({ type: SpendingInsightsRef, nullable: true, resolve: (p) => p.insights ?? null }),
    userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
  }),
});
