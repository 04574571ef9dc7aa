// One payment request on the merchant's screen, turned to the customer: its QR code large (it
// encodes PUBLIC_URL's /pay/<code>, so a phone's camera opens the payment page), the amount and
// description, and its status live from paymentRequestUpdated: a clear success state when paid,
// with who paid; expired and cancelled say so. The request's payments (with refunds) below.
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'wouter';
import { graphql } from '../../gql';
import { formatDate } from '../activity';
import { MerchantPaymentList, MerchantPaymentsQuery } from '../merchantPayments';
import { moneyWithCode } from '../money';
import { qrCodePath, REQUEST_STATUS_WORDS } from '../paymentRequests';
import { describeUserError } from '../userErrors';
import { MyMerchants, useChosenMerchant } from './Merchant';

const RequestQuery = graphql(`
  query MerchantRequest($code: String!) {
    paymentRequest(code: $code) {
      code merchantName description amount { amount currency } currency status expiresAt singleUse paidCount url reference isStatic
    }
  }
`);

const RequestLive = graphql(`
  subscription MerchantRequestLive($code: String!) {
    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }
  }
`);

const CancelRequest = graphql(`
  mutation CancelPaymentRequest($code: String!) {
    cancelPaymentRequest(code: $code) { paymentRequest { code status } userErrors { code message } }
  }
`);

export default function MerchantRequest() {
  const { code = '' } = useParams<{ code: string }>();
  const request = useQuery(RequestQuery, { variables: { code } });
  const merchants = useQuery(MyMerchants);
  const merchant = useChosenMerchant(merchants.data?.myMerchants);
  const payments = useQuery(MerchantPaymentsQuery, {
    variables: { merchantId: merchant?.id ?? '', filter: { code } },
    skip: !merchant,
    fetchPolicy: 'cache-and-network',
  });
  // Its events land in Apollo's cache by code (apollo.ts); each one also brings the payments again.
  useSubscription(RequestLive, { variables: { code }, onData: () => void payments.refetch() });
  const [cancel, cancelled] = useMutation(CancelRequest);
  const outcome = useRef<HTMLHeadingElement>(null);
  const r = request.data?.paymentRequest;
  const paid = r?.status === 'PAID';
  // Announced and focused when it turns to paid while the screen is open.
  useEffect(() => {
    if (paid) outcome.current?.focus();
  }, [paid]);

  if (request.error) return <p role="alert">This payment request could not be loaded. Reload the page to try again.</p>;
  if (!request.data) return <p role="status">Loading…</p>;
  if (!r) {
    return (
      <section className="card narrow">
        <h1>Payment request not found</h1>
        <Link href="/merchant">Back to your business</Link>
      </section>
    );
  }
  const list = payments.data?.merchantPayments.edges.map((e) => e.node) ?? [];
  const last = list[0];
  const what = r.amount ? moneyWithCode(r.amount) : `an amount of the customer's choice (${r.currency})`;
  const cancelProblem = cancelled.data?.cancelPaymentRequest.userErrors[0];

  return (
    <section className={`card checkout checkout-${r.status.toLowerCase()}`} aria-labelledby="checkout-heading">
      {paid ? (
        <div className="checkout-paid" data-testid="checkout-success">
          <h1 id="checkout-heading" ref={outcome} tabIndex={-1}>
            Paid
          </h1>
          <p className="checkout-paid-amount">{last ? moneyWithCode(last.amount) : r.amount ? moneyWithCode(r.amount) : ''}</p>
          <p role="status">{last ? `Received from ${last.payerName}.` : 'The payment was received.'}</p>
        </div>
      ) : (
        <>
          <h1 id="checkout-heading">{r.isStatic ? 'Your static QR code' : `Pay ${r.merchantName}`}</h1>
          <p className="checkout-amount" data-testid="checkout-amount">
            {r.amount ? moneyWithCode(r.amount) : 'The customer enters the amount'}
          </p>
          {r.description && <p>{r.description}</p>}
          {r.status === 'OPEN' ? (
            <img
              className="checkout-qr"
              src={qrCodePath(r.code)}
              alt={`QR code to pay ${r.merchantName} ${what}`}
              width={320}
              height={320}
            />
          ) : (
            <p className="form-problems" role="status">
              {r.status === 'EXPIRED' ? 'This request has expired: create a new one.' : 'This request was cancelled.'}
            </p>
          )}
        </>
      )}
      <p>
        <span className={`status status-request-${r.status.toLowerCase()}`} data-testid="checkout-status" role="status">
          {REQUEST_STATUS_WORDS[r.status]}
        </span>
        {!r.singleUse && (
          <span className="muted">
            {' '}
            Paid {r.paidCount} {r.paidCount === 1 ? 'time' : 'times'}
          </span>
        )}
      </p>
      {r.status === 'OPEN' && (
        <>
          <p className="muted">
            Scan with a phone's camera, or open <span className="reference">{r.url}</span>
          </p>
          {r.expiresAt && (
            <p className="muted">
              Expires <time dateTime={r.expiresAt}>{formatDate(r.expiresAt)}</time>
            </p>
          )}
        </>
      )}
      <div className="actions checkout-actions">
        <Link href={merchant ? `/merchant?merchant=${encodeURIComponent(merchant.id)}` : '/merchant'} className="button primary">
          New payment request
        </Link>
        {r.status === 'OPEN' && !r.isStatic && (
          <button type="button" disabled={cancelled.loading} onClick={() => void cancel({ variables: { code } }).catch(() => undefined)}>
            Cancel this request
          </button>
        )}
      </div>
      {cancelProblem && <p className="field-error">{describeUserError(cancelProblem)}</p>}
      {cancelled.error && <p className="field-error">We could not reach the server. Check your connection and try again.</p>}
      {(list.length > 0 || !r.singleUse) && (
        <div className="checkout-payments">
          <h2>Payments of this request</h2>
          <MerchantPaymentList payments={list} />
        </div>
      )}
    </section>
  );
}
