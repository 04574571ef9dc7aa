// The business screen, for members of a merchant (myMerchants): its balance, a form to create a
// payment request (an amount or an open amount, description, expiry, paid once or many times) that
// opens the request's QR code for the customer, and the payments arriving live with refunds.
//
// Live: merchantPaymentReceived brings each payment to any of the merchant's requests (the static QR
// code, a request made on another device or by a partner), and the list and balance are read again.
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { graphql } from '../../gql';
import {
  Form,
  FormProblems,
  NETWORK_PROBLEM,
  NO_ERRORS,
  problem,
  Section,
  SelectField,
  SubmitButton,
  TextField,
  useSubmitOnce,
} from '../forms';
import { Balances } from '../balances';
import { MerchantPaymentList, MerchantPaymentsQuery, useMerchantPaymentsLive } from '../merchantPayments';
import { checkAmount } from '../money';
import { type SplitErrors, splitUserErrors } from '../userErrors';

export const MyMerchants = graphql(`
  query MyMerchants {
    myMerchants {
      id name myRole settlementCurrency
      balances { available { amount currency } posted { amount currency } held { amount currency } }
      staticPaymentRequest { code }
    }
  }
`);

const CreatePaymentRequest = graphql(`
  mutation CreatePaymentRequest($input: CreatePaymentRequestInput!) {
    createPaymentRequest(input: $input) {
      paymentRequest { code }
      userErrors { code message field }
    }
  }
`);

const EXPIRY: Record<string, { label: string; ms: number | null }> = {
  '15m': { label: 'In 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'In 1 hour', ms: 3_600_000 },
  '1d': { label: 'In 1 day', ms: 86_400_000 },
  '7d': { label: 'In 7 days', ms: 7 * 86_400_000 },
  never: { label: 'Never', ms: null },
};

const FIELDS = ['amount', 'description', 'expiresAt', 'merchantId'];

/** The merchant this screen is about: ?merchant=<id>, else the first. */
export function useChosenMerchant<M extends { id: string }>(merchants: readonly M[] | undefined): M | undefined {
  const chosen = new URLSearchParams(useSearch()).get('merchant');
  return merchants?.find((m) => m.id === chosen) ?? merchants?.[0];
}

function NewRequestForm({ merchantId, currency }: { merchantId: string; currency: string }) {
  const [, navigate] = useLocation();
  const [create] = useMutation(CreatePaymentRequest);
  const [fixed, setFixed] = useState(true);
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [expiry, setExpiry] = useState('15m');
  const [singleUse, setSingleUse] = useState(true);
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);

  const submit = useSubmitOnce(async () => {
    const checked = fixed ? checkAmount(amount, currency) : null;
    if (checked && !checked.ok) return setErrors({ byField: { amount: checked.message }, general: [] });
    const ms = EXPIRY[expiry]?.ms ?? null;
    try {
      const { data } = await create({
        variables: {
          input: {
            merchantId,
            ...(checked?.ok ? { amount: { amount: checked.amount, currency } } : { currency }),
            ...(description.trim() ? { description: description.trim() } : {}),
            ...(ms ? { expiresAt: new Date(Date.now() + ms).toISOString() } : {}),
            singleUse,
          },
        },
      });
      const answer = data!.createPaymentRequest;
      if (!answer.paymentRequest) return setErrors(splitUserErrors(answer.userErrors, FIELDS));
      navigate(`/merchant/requests/${answer.paymentRequest.code}?merchant=${encodeURIComponent(merchantId)}`);
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  return (
    <Form onSubmit={() => void submit.run()}>
      <fieldset>
        <legend>Amount</legend>
        <div className="choices">
          <label>
            <input type="radio" name="amountKind" checked={fixed} onChange={() => setFixed(true)} />I set the amount
          </label>
          <label>
            <input type="radio" name="amountKind" checked={!fixed} onChange={() => setFixed(false)} />
            The customer enters it
          </label>
        </div>
      </fieldset>
      {fixed && (
        <TextField
          label={`Amount (${currency})`}
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={errors.byField.amount}
        />
      )}
      <TextField
        label="Description (optional)"
        value={description}
        maxLength={140}
        onChange={(e) => setDescription(e.target.value)}
        hint="Shown to the customer, e.g. “Flat white”."
        error={errors.byField.description}
      />
      <SelectField label="Expires" value={expiry} onChange={(e) => setExpiry(e.target.value)} error={errors.byField.expiresAt}>
        {Object.entries(EXPIRY).map(([value, { label }]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <fieldset>
        <legend>Can be paid</legend>
        <div className="choices">
          <label>
            <input type="radio" name="use" checked={singleUse} onChange={() => setSingleUse(true)} />
            Once
          </label>
          <label>
            <input type="radio" name="use" checked={!singleUse} onChange={() => setSingleUse(false)} />
            Many times
          </label>
        </div>
      </fieldset>
      <FormProblems messages={[...(errors.byField.merchantId ? [errors.byField.merchantId] : []), ...errors.general]} />
      <SubmitButton busy={submit.busy} busyLabel="Creating…">
        Create and show QR code
      </SubmitButton>
    </Form>
  );
}

export default function Merchant() {
  const merchants = useQuery(MyMerchants);
  const merchant = useChosenMerchant(merchants.data?.myMerchants);
  const payments = useQuery(MerchantPaymentsQuery, {
    variables: { merchantId: merchant?.id ?? '' },
    skip: !merchant,
    fetchPolicy: 'cache-and-network',
  });
  // Each payment to any of the merchant's requests (and any since the list was read): the list and the balance are read again.
  const newest = payments.data ? (payments.data.merchantPayments.edges[0]?.node.id ?? null) : undefined;
  useMerchantPaymentsLive(merchant?.id, newest, () => {
    void payments.refetch();
    void merchants.refetch();
  });

  if (merchants.error) return <p role="alert">Your businesses could not be loaded. Reload the page to try again.</p>;
  if (!merchants.data) return <p role="status">Loading…</p>;
  if (!merchant) {
    return (
      <section className="card narrow">
        <h1>Your business</h1>
        <p>You are not a member of a business yet. Ask its owner to add you with the email you signed in with.</p>
      </section>
    );
  }
  const balance = merchant.balances.find((b) => b.available.currency === merchant.settlementCurrency) ?? merchant.balances[0];

  return (
    <>
      <h1>{merchant.name}</h1>
      {merchants.data.myMerchants.length > 1 && (
        <nav aria-label="Your businesses" className="card-actions">
          {merchants.data.myMerchants.map((m) => (
            <Link
              key={m.id}
              href={`/merchant?merchant=${encodeURIComponent(m.id)}`}
              aria-current={m.id === merchant.id ? 'page' : undefined}
              className="button"
            >
              {m.name}
            </Link>
          ))}
        </nav>
      )}
      <div className="wallets">
        <Section title="New payment request">
          <NewRequestForm merchantId={merchant.id} currency={merchant.settlementCurrency} />
          <p className="card-actions">
            <Link href={`/merchant/requests/${merchant.staticPaymentRequest.code}?merchant=${encodeURIComponent(merchant.id)}`}>
              Show your static QR code (the customer enters the amount)
            </Link>
          </p>
        </Section>
        <Section title="Payments">
          {balance && <Balances balance={balance} held="never" />}
          <h3>Latest payments</h3>
          {payments.data ? (
            <MerchantPaymentList payments={payments.data.merchantPayments.edges.map((e) => e.node)} />
          ) : (
            <p role="status">Loading payments…</p>
          )}
        </Section>
      </div>
    </>
  );
}
