// A merchant's payments as its members see them (the business screen, a request's screen): payer,
// amount, status, what was refunded, and a refund form per payment (refundPayment, in part or in
// full; one idempotency key per attempt, kept across retries of it). The business screen reads the
// list again on each payment the merchant receives (useMerchantPaymentsLive: merchantPaymentReceived).
import { useMutation, useSubscription } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { graphql } from '../gql';
import { onReconnect } from './apollo';
import type { MerchantPaymentStatus } from '../gql/graphql';
import { formatDate } from './activity';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, problem, SubmitButton, TextField, useAttempt, useSubmitOnce } from './forms';
import { checkAmount, exponentOf, formatMoney, type MoneyValue } from './money';
import { describeUserError, type SplitErrors, splitUserErrors } from './userErrors';

export const MerchantPaymentsQuery = graphql(`
  query MerchantPaymentsList($merchantId: ID!, $filter: MerchantPaymentFilter) {
    merchantPayments(merchantId: $merchantId, first: 20, filter: $filter) {
      edges {
        node { id amount { amount currency } net { amount currency } refunded { amount currency } payerName status createdAt requestCode }
      }
    }
  }
`);

const PaymentReceived = graphql(`
  subscription MerchantPaymentReceived($merchantId: ID!, $after: ID) {
    merchantPaymentReceived(merchantId: $merchantId, catchUp: true, after: $after) { id }
  }
`);

const RefundPayment = graphql(`
  mutation RefundPayment($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      refund { id amount { amount currency } }
      payment { id refunded { amount currency } status }
      userErrors { code message field }
    }
  }
`);

const STATUS_WORDS: Record<MerchantPaymentStatus, string> = {
  PAID: 'Paid',
  PARTIALLY_REFUNDED: 'Partly refunded',
  REFUNDED: 'Refunded',
};

export interface MerchantPaymentRow {
  id: string;
  amount: MoneyValue;
  refunded: MoneyValue;
  payerName: string;
  status: MerchantPaymentStatus;
  createdAt: string;
}

/**
 * Follows the payments a merchant receives (merchantPaymentReceived); `onPayment` runs on each, and
 * after the socket comes back (a payment may have arrived while it was away).
 *
 * Nothing falls between the list's read and the subscription: it starts once the list is read,
 * with catchUp from the newest payment in it (`newestPaymentId`: null for an empty list, undefined
 * while not read yet), so the server first sends any payment committed since, and the list is read
 * again. The starting point is kept for the subscription's life (a new one would restart it).
 */
export function useMerchantPaymentsLive(
  merchantId: string | undefined,
  newestPaymentId: string | null | undefined,
  onPayment: () => void,
): void {
  const latest = useRef(onPayment);
  latest.current = onPayment;
  useEffect(() => onReconnect(() => latest.current()), []);
  const [from, setFrom] = useState<{ merchantId: string; after: string | null } | null>(null);
  useEffect(() => {
    if (merchantId && newestPaymentId !== undefined && from?.merchantId !== merchantId) setFrom({ merchantId, after: newestPaymentId });
  }, [merchantId, newestPaymentId, from]);
  useSubscription(PaymentReceived, {
    variables: { merchantId: from?.merchantId ?? '', after: from?.after ?? null },
    skip: !from || from.merchantId !== merchantId,
    onData: () => latest.current(),
  });
}

/** What is left to refund of `p`, as a decimal string in its currency. */
function leftToRefund(p: MerchantPaymentRow): MoneyValue {
  const exponent = exponentOf(p.amount.currency, p.amount.amount);
  const minor = (s: string) => BigInt(s.replace('.', ''));
  const left = (minor(p.amount.amount) - minor(p.refunded.amount)).toString().padStart(exponent + 1, '0');
  const amount = exponent ? `${left.slice(0, -exponent)}.${left.slice(-exponent)}` : left;
  return { amount, currency: p.amount.currency };
}

const FIELDS = ['amount', 'reason'];

function RefundForm({ payment, onDone }: { payment: MerchantPaymentRow; onDone: (message: string) => void }) {
  const [refund] = useMutation(RefundPayment);
  const attempt = useAttempt<{ amount: string | null; reason: string }>();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const left = leftToRefund(payment);

  const submit = useSubmitOnce(async () => {
    const byField: Record<string, string> = {};
    let part: string | null = null;
    if (amount.trim()) {
      const checked = checkAmount(amount, left.currency, exponentOf(left.currency, left.amount));
      if (checked.ok) part = checked.amount;
      else byField.amount = checked.message;
    }
    if (reason.trim().length < 3) byField.reason = 'Say why in a few words (3 to 500 characters), e.g. "Wrong order".';
    setErrors({ ...NO_ERRORS, byField });
    if (Object.keys(byField).length) return;
    const request = { amount: part, reason: reason.trim() };
    const idempotencyKey = attempt.keyFor(request);
    let answer;
    try {
      const { data } = await refund({
        variables: {
          input: {
            paymentId: payment.id,
            reason: request.reason,
            idempotencyKey,
            ...(part ? { amount: { amount: part, currency: left.currency } } : {}),
          },
        },
      });
      answer = data!.refundPayment;
    } catch {
      return setErrors(problem(`${NETWORK_PROBLEM} Pressing Refund again will not refund twice.`));
    }
    if (answer.userErrors.some((e) => e.code === 'IDEMPOTENCY_IN_PROGRESS')) {
      return setErrors({ byField: {}, general: answer.userErrors.map(describeUserError) });
    }
    attempt.answered();
    if (answer.refund) onDone(`Refunded ${formatMoney(answer.refund.amount)} to ${payment.payerName}.`);
    else setErrors(splitUserErrors(answer.userErrors, FIELDS));
  });

  return (
    <Form className="refund-form" onSubmit={() => void submit.run()}>
      <TextField
        label={`Refund amount (${left.currency})`}
        inputMode="decimal"
        autoComplete="off"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        hint={`Leave empty to refund all that is left: ${formatMoney(left)}.`}
        error={errors.byField.amount}
      />
      <TextField label="Reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} error={errors.byField.reason} />
      <FormProblems messages={errors.general} />
      <SubmitButton busy={submit.busy} busyLabel="Refunding…">
        Refund
      </SubmitButton>
    </Form>
  );
}

function PaymentItem({ payment }: { payment: MerchantPaymentRow }) {
  const [refunding, setRefunding] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const formId = useId();
  return (
    <li className="merchant-payment" data-testid="merchant-payment">
      <div className="merchant-payment-row">
        <span className="transaction-who">{payment.payerName}</span>
        <span className="transaction-amount in">{formatMoney(payment.amount)}</span>
        <span className="transaction-meta">
          <time dateTime={payment.createdAt}>{formatDate(payment.createdAt)}</time>
          <span className={`status status-payment-${payment.status.toLowerCase()}`}>{STATUS_WORDS[payment.status]}</span>
          {/[1-9]/.test(payment.refunded.amount) && <> · {formatMoney(payment.refunded)} refunded</>}
        </span>
      </div>
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {payment.status !== 'REFUNDED' && (
        <button
          type="button"
          className="link-button"
          aria-expanded={refunding}
          aria-controls={formId}
          onClick={() => setRefunding(!refunding)}
        >
          {refunding ? 'Close refund' : `Refund ${payment.payerName}`}
        </button>
      )}
      {refunding && payment.status !== 'REFUNDED' && (
        <div id={formId}>
          <RefundForm
            payment={payment}
            onDone={(message) => {
              setDone(message);
              setRefunding(false);
            }}
          />
        </div>
      )}
    </li>
  );
}

export function MerchantPaymentList({ payments }: { payments: readonly MerchantPaymentRow[] }) {
  if (!payments.length) return <p className="muted">No payments yet.</p>;
  return (
    <ul className="transactions merchant-payments" aria-live="polite">
      {payments.map((p) => (
        <PaymentItem key={p.id} payment={p} />
      ))}
    </ul>
  );
}
