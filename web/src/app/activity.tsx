// How a transaction reads in a list (home's recent activity, history) and its words: who, what,
// how much (signed by direction), when, and its status when it is not simply done.
import { Link } from 'wouter';
import type { Direction, TransactionStatus, TransactionType } from '../gql/graphql';
import { formatMoney, type MoneyValue } from './money';

export interface TransactionSummary {
  id: string;
  amount: MoneyValue;
  direction: Direction;
  status: TransactionStatus;
  type: TransactionType;
  note?: string | null;
  createdAt: string;
  counterparty: { displayName: string };
}

export const TYPE_WORDS: Record<TransactionType, string> = {
  P2P_TRANSFER: 'Transfer',
  PAYMENT: 'Payment',
  DEPOSIT: 'Money added',
  WITHDRAWAL: 'Withdrawal',
  REFUND: 'Refund',
  REVERSAL: 'Reversal',
  FEE: 'Fee',
  ADJUSTMENT: 'Adjustment',
};

export const STATUS_WORDS: Record<TransactionStatus, string> = {
  POSTED: 'Completed',
  PENDING: 'Pending',
  IN_REVIEW: 'Being reviewed',
  DECLINED: 'Declined',
  FAILED: 'Failed',
  VOIDED: 'Cancelled',
  REVERSED: 'Reversed',
};

export function signedAmount(t: Pick<TransactionSummary, 'amount' | 'direction'>): string {
  return `${t.direction === 'IN' ? '+' : '−'}${formatMoney(t.amount)}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export function TransactionRow({ transaction: t }: { transaction: TransactionSummary }) {
  const who = t.direction === 'IN' ? `From ${t.counterparty.displayName}` : `To ${t.counterparty.displayName}`;
  return (
    <li className="transaction">
      <Link href={`/history/${encodeURIComponent(t.id)}`} className="transaction-link">
        <span className="transaction-who">{who}</span>
        <span className={`transaction-amount ${t.direction === 'IN' ? 'in' : 'out'}`}>{signedAmount(t)}</span>
        <span className="transaction-meta">
          {TYPE_WORDS[t.type]} · <time dateTime={t.createdAt}>{formatDate(t.createdAt)}</time>
          {t.status !== 'POSTED' && <span className={`status status-${t.status.toLowerCase()}`}>{STATUS_WORDS[t.status]}</span>}
        </span>
        {t.note && <span className="transaction-note">{t.note}</span>}
      </Link>
    </li>
  );
}
