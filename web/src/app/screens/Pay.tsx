// Pay a payment request: /app/pay/<code>, where the hosted page's "Pay with wallet" leads (signed-out
// payers sign in first and come back here). Shows the merchant, the description and the amount (or
// asks for it on an open-amount request, checked against the currency's decimals), pays with
// payPaymentRequest and ends on a receipt. paymentRequestUpdated keeps the request's status live,
// so a request paid, cancelled or expired meanwhile says so and can no longer be paid.
//
// Exactly once: one idempotency key per attempt (useAttempt), kept while the attempt has had no
// answer, so pressing Pay again after a lost answer never pays twice; the button runs one request
// at a time (useSubmitOnce).
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'wouter';
import { graphql } from '../../gql';
import { formatDate } from '../activity';
import { FormProblems, NETWORK_PROBLEM, NO_ERRORS, SubmitButton, TextField, useAttempt, useSubmitOnce } from '../forms';
import { checkAmount, exponentOf, formatMoney, type MoneyValue, moneyWithCode } from '../money';
import { REQUEST_STATUS_WORDS } from '../paymentRequests';
import { describeUserError, type SplitErrors, splitUserErrors } from '../userErrors';

const PayRequestQuery = graphql(`
  query PayRequest($code: String!) {
    paymentRequest(code: $code) { code merchantName description amount { amount currency } currency status expiresAt }
    me { id wallets { id currency balance { available { amount currency } } } }
  }
`);

const PayRequestUpdated = graphql(`
  subscription PayRequestUpdated($code: String!) {
    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }
  }
`);

const PayPaymentRequest = graphql(`
  mutation PayPaymentRequest($input: PayPaymentRequestInput!) {
    payPaymentRequest(input: $input) {
      payment { id amount { amount currency } merchantName createdAt requestCode }
      transaction { id }
      userErrors { code message field }
    }
  }
`);

const FIELDS = ['amount', 'code'];
interface Receipt {
  id: string;
  amount: MoneyValue;
  merchantName: string;
  createdAt: string;
  requestCode: string;
  transactionId: string | null;
  description: string | null;
}

function PaidReceipt({ receipt }: { receipt: Receipt }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The page changed under the button that was pressed: move focus (and screen readers) to the outcome.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card narrow" aria-labelledby="receipt-heading">
      <h1 id="receipt-heading" ref={heading} tabIndex={-1}>
        Paid {moneyWithCode(receipt.amount)} to {receipt.merchantName}
      </h1>
      <p className="success" role="status">
        Payment complete. {receipt.merchantName} has received it.
      </p>
      <dl className="summary">
        <div>
          <dt>Paid to</dt>
          <dd>{receipt.merchantName}</dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd>{formatMoney(receipt.amount)}</dd>
        </div>
        {receipt.description && (
          <div>
            <dt>For</dt>
            <dd>{receipt.description}</dd>
          </div>
        )}
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={receipt.createdAt}>{formatDate(receipt.createdAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Payment ID</dt>
          <dd className="reference" data-testid="receipt-id">
            {receipt.id}
          </dd>
        </div>
        <div>
          <dt>Request code</dt>
          <dd className="reference">{receipt.requestCode}</dd>
        </div>
      </dl>
      <div className="actions">
        {receipt.transactionId && (
          <Link href={`/history/${encodeURIComponent(receipt.transactionId)}`} className="button primary">
            See it in your history
          </Link>
        )}
        <Link href="/" className="button">
          Back to your wallets
        </Link>
      </div>
    </section>
  );
}

/** What a request that can no longer be paid says, beside its status. */
function closedWords(status: string, merchant: string): string {
  if (status === 'PAID') return 'This payment request has already been paid. Nothing more to pay.';
  if (status === 'EXPIRED') return `This payment request has expired. Ask ${merchant} for a new one.`;
  return `${merchant} cancelled this payment request. Ask them for a new one if you still want to pay.`;
}

export default function Pay() {
  const { code = '' } = useParams<{ code: string }>();
  const { data, error } = useQuery(PayRequestQuery, { variables: { code } });
  // Started with the query, not after it, so a change between the two is not missed. Its events
  // land in Apollo's cache by code (apollo.ts): the status below changes live.
  useSubscription(PayRequestUpdated, { variables: { code } });
  const [pay] = useMutation(PayPaymentRequest);
  const attempt = useAttempt<{ code: string; amount: string | null }>();
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  const request = data?.paymentRequest;
  const wallet = request ? data.me.wallets.find((w) => w.currency === request.currency) : undefined;

  const submit = useSubmitOnce(async () => {
    if (!request) return;
    let open: string | null = null;
    if (!request.amount) {
      const checked = checkAmount(amount, request.currency, exponentOf(request.currency, wallet?.balance.available.amount));
      if (!checked.ok) return setErrors({ byField: { amount: checked.message }, general: [] });
      open = checked.amount;
    }
    setErrors(NO_ERRORS);
    const idempotencyKey = attempt.keyFor({ code, amount: open });
    let answer;
    try {
      const { data: paid } = await pay({
        variables: { input: { code, idempotencyKey, ...(open ? { amount: { amount: open, currency: request.currency } } : {}) } },
      });
      answer = paid!.payPaymentRequest;
    } catch {
      // No answer: the payment may or may not have been made. The same key makes a retry safe.
      return setErrors({ byField: {}, general: [`${NETWORK_PROBLEM} Pressing Pay again will not pay twice.`] });
    }
    if (answer.userErrors.some((e) => e.code === 'IDEMPOTENCY_IN_PROGRESS')) {
      return setErrors({ byField: {}, general: answer.userErrors.map(describeUserError) });
    }
    attempt.answered();
    if (answer.payment) {
      setReceipt({
        ...answer.payment,
        transactionId: answer.transaction?.id ?? null,
        description: request.description ?? null,
      });
    } else {
      setErrors(splitUserErrors(answer.userErrors, FIELDS));
    }
  });

  if (receipt) return <PaidReceipt receipt={receipt} />;
  if (error) return <p role="alert">This payment request could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  if (!request) {
    return (
      <section className="card narrow">
        <h1>Payment request not found</h1>
        <p>Check the link, or ask the merchant for a new one.</p>
        <Link href="/">Back to your wallets</Link>
      </section>
    );
  }

  const isOpen = request.status === 'OPEN';
  const amountError = errors.byField.amount;
  const codeError = isOpen ? errors.byField.code : closedWords(request.status, request.merchantName);
  const available = wallet
    ? `${formatMoney(wallet.balance.available)} available in your ${wallet.currency} wallet.`
    : `You have no ${request.currency} wallet to pay from.`;

  return (
    <section className="card narrow pay" aria-labelledby="pay-heading">
      <p className="muted">Pay</p>
      <h1 id="pay-heading" data-testid="merchant">
        {request.merchantName}
      </h1>
      {request.description && <p data-testid="description">{request.description}</p>}
      <p className="request-status">
        <span
          className={`status status-request-${request.status.toLowerCase()}`}
          data-testid="request-status"
          role="status"
          aria-describedby={codeError ? 'pay-code-error' : undefined}
        >
          {REQUEST_STATUS_WORDS[request.status]}
        </span>
        {isOpen && request.expiresAt && (
          <span className="muted">
            {' '}
            Expires <time dateTime={request.expiresAt}>{formatDate(request.expiresAt)}</time>
          </span>
        )}
      </p>
      {codeError && (
        <p className="field-error" id="pay-code-error" data-testid="request-problem">
          {codeError}
        </p>
      )}
      <form
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void submit.run();
        }}
      >
        {request.amount ? (
          <div className="field">
            <p className="big-amount" data-testid="amount" aria-describedby={amountError ? 'pay-amount-error' : undefined}>
              {moneyWithCode(request.amount)}
            </p>
            <p className="field-hint">{available}</p>
            {amountError && (
              <p className="field-error" id="pay-amount-error">
                {amountError}
              </p>
            )}
          </div>
        ) : (
          <TextField
            label={`Amount (${request.currency})`}
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            disabled={!isOpen}
            onChange={(e) => setAmount(e.target.value)}
            hint={`You choose the amount. ${available}`}
            error={amountError}
          />
        )}
        <FormProblems messages={errors.general} />
        <SubmitButton
          busy={submit.busy}
          busyLabel="Paying…"
          disabled={!isOpen}
          aria-describedby={amountError ? 'pay-amount-error' : undefined}
        >
          {request.amount ? `Pay ${moneyWithCode(request.amount)}` : 'Pay'}
        </SubmitButton>
      </form>
    </section>
  );
}
