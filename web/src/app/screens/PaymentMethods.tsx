// Cards and bank accounts: the list, adding a card, adding a bank account and confirming it with
// the two micro-deposits it received (verifyBankAccount; three wrong tries lock it).
//
// The card number and CVC are never React state: the fields are uncontrolled, read from the form
// when it is sent, and emptied as soon as the request is made, whatever its answer. Nothing keeps
// them (Apollo's cache sees only the answer: brand, last 4, expiry).
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { PaymentMethodStatus } from '../../gql/graphql';
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
import { type SplitErrors, splitUserErrors } from '../userErrors';

export const PaymentMethodsQuery = graphql(`
  query PaymentMethods {
    paymentMethods { id kind display holderName status isDefault bankAccount { verificationAttemptsLeft } }
  }
`);

const AddCard = graphql(`
  mutation AddCard($input: AddCardInput!) {
    addCard(input: $input) { paymentMethod { id display status } userErrors { code message field } }
  }
`);

const AddBankAccount = graphql(`
  mutation AddBankAccount($input: AddBankAccountInput!) {
    addBankAccount(input: $input) { paymentMethod { id display status } userErrors { code message field } }
  }
`);

const VerifyBankAccount = graphql(`
  mutation VerifyBankAccount($input: VerifyBankAccountInput!) {
    verifyBankAccount(input: $input) {
      paymentMethod { id status bankAccount { verificationAttemptsLeft } }
      userErrors { code message field }
    }
  }
`);

export const METHOD_STATUS_WORDS: Record<PaymentMethodStatus, string> = {
  ACTIVE: 'Ready',
  VERIFIED: 'Ready',
  PENDING_VERIFICATION: 'Confirm the two deposits',
  LOCKED: 'Locked: remove it and add it again',
  REMOVED: 'Removed',
};

const CARD_FIELDS = ['number', 'cvc', 'expMonth', 'expYear', 'holderName'];

function AddCardForm({ onAdded }: { onAdded: (display: string) => void }) {
  const client = useApolloClient();
  const [holderName, setHolderName] = useState('');
  const [expiry, setExpiry] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);

  const submit = useSubmitOnce(async (form: HTMLFormElement) => {
    const fields = form.elements as unknown as Record<'cardNumber' | 'cardCvc', HTMLInputElement>;
    const byField: Record<string, string> = {};
    const expiryMatch = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(expiry);
    if (!expiryMatch) byField.expMonth = 'Enter the expiry as on the card, e.g. 12/29.';
    if (!fields.cardNumber.value.trim()) byField.number = 'Enter the card number.';
    if (!fields.cardCvc.value.trim()) byField.cvc = 'Enter the 3 or 4 digits on the back of the card.';
    if (!holderName.trim()) byField.holderName = 'Enter the name on the card.';
    if (Object.keys(byField).length || !expiryMatch) return setErrors({ ...NO_ERRORS, byField });
    const year = Number(expiryMatch[2]);
    const input = {
      number: fields.cardNumber.value,
      cvc: fields.cardCvc.value,
      expMonth: Number(expiryMatch[1]),
      expYear: year < 100 ? 2000 + year : year,
      holderName: holderName.trim(),
    };
    // Out of the page as soon as the request has it: neither field keeps the number.
    fields.cardNumber.value = '';
    fields.cardCvc.value = '';
    // The last attempt's errors go (the step-up dialog may ask for a code meanwhile).
    setErrors(NO_ERRORS);
    try {
      const { data } = await client.mutate({ mutation: AddCard, variables: { input } });
      const answer = data!.addCard;
      if (answer.paymentMethod) {
        setErrors(NO_ERRORS);
        setHolderName('');
        setExpiry('');
        onAdded(answer.paymentMethod.display);
      } else {
        const split = splitUserErrors(answer.userErrors, CARD_FIELDS);
        // The number and CVC fields are empty now: say so with their error.
        for (const field of ['number', 'cvc']) if (split.byField[field]) split.byField[field] += ' Enter it again.';
        setErrors(split);
      }
    } catch {
      setErrors(problem(`${NETWORK_PROBLEM} Enter the card number again.`));
    }
  });

  return (
    <Form autoComplete="on" onSubmit={(form) => void submit.run(form)}>
      <TextField label="Card number" name="cardNumber" inputMode="numeric" autoComplete="cc-number" error={errors.byField.number} />
      <div className="field-row">
        <TextField
          label="Expiry (MM/YY)"
          inputMode="numeric"
          autoComplete="cc-exp"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          error={errors.byField.expMonth ?? errors.byField.expYear}
        />
        <TextField label="CVC" name="cardCvc" inputMode="numeric" autoComplete="cc-csc" maxLength={4} error={errors.byField.cvc} />
      </div>
      <TextField
        label="Name on the card"
        autoComplete="cc-name"
        value={holderName}
        onChange={(e) => setHolderName(e.target.value)}
        error={errors.byField.holderName}
      />
      <FormProblems messages={errors.general} />
      <SubmitButton busy={submit.busy} busyLabel="Checking the card…">
        Add card
      </SubmitButton>
    </Form>
  );
}

const BANK_FIELDS = ['holderName', 'country', 'routingNumber', 'accountNumber', 'iban'];

function AddBankForm({ onAdded }: { onAdded: (display: string) => void }) {
  const [add] = useMutation(AddBankAccount, { refetchQueries: [PaymentMethodsQuery] });
  const [holderName, setHolderName] = useState('');
  const [country, setCountry] = useState('US');
  const [routingNumber, setRoutingNumber] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  const [iban, setIban] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const ach = country === 'US';

  const submit = useSubmitOnce(async () => {
    setErrors(NO_ERRORS);
    try {
      const { data } = await add({
        variables: {
          input: {
            holderName: holderName.trim(),
            country,
            ...(ach ? { routingNumber: routingNumber.trim(), accountNumber: accountNumber.trim() } : { iban: iban.trim() }),
          },
        },
      });
      const answer = data!.addBankAccount;
      if (!answer.paymentMethod) return setErrors(splitUserErrors(answer.userErrors, BANK_FIELDS));
      setErrors(NO_ERRORS);
      setAccountNumber('');
      setIban('');
      onAdded(answer.paymentMethod.display);
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  return (
    <Form onSubmit={() => void submit.run()}>
      <TextField
        label="Account holder"
        autoComplete="name"
        value={holderName}
        onChange={(e) => setHolderName(e.target.value)}
        error={errors.byField.holderName}
      />
      <SelectField label="Country of the bank" value={country} onChange={(e) => setCountry(e.target.value)} error={errors.byField.country}>
        <option value="US">United States (ACH)</option>
        <option value="DE">Germany (SEPA)</option>
        <option value="FR">France (SEPA)</option>
        <option value="GB">United Kingdom</option>
      </SelectField>
      {ach ? (
        <>
          <TextField
            label="Routing number"
            inputMode="numeric"
            value={routingNumber}
            onChange={(e) => setRoutingNumber(e.target.value)}
            hint="9 digits, e.g. 110000000."
            error={errors.byField.routingNumber}
          />
          <TextField
            label="Account number"
            inputMode="numeric"
            autoComplete="off"
            value={accountNumber}
            onChange={(e) => setAccountNumber(e.target.value)}
            error={errors.byField.accountNumber}
          />
        </>
      ) : (
        <TextField label="IBAN" autoComplete="off" value={iban} onChange={(e) => setIban(e.target.value)} error={errors.byField.iban} />
      )}
      <FormProblems messages={errors.general} />
      <SubmitButton busy={submit.busy} busyLabel="Adding…">
        Add bank account
      </SubmitButton>
    </Form>
  );
}

function VerifyForm({ id, display, attemptsLeft }: { id: string; display: string; attemptsLeft: number }) {
  const [verify] = useMutation(VerifyBankAccount);
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const submit = useSubmitOnce(async () => {
    try {
      const { data } = await verify({ variables: { input: { id, amounts: [first.trim(), second.trim()] } } });
      const answer = data!.verifyBankAccount;
      setErrors(answer.paymentMethod?.status === 'VERIFIED' ? NO_ERRORS : splitUserErrors(answer.userErrors, ['amounts']));
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });
  return (
    <Form className="refund-form" aria-label={`Confirm ${display}`} onSubmit={() => void submit.run()}>
      <p className="field-hint">
        We sent two small deposits to this account. Enter them as they appear on your statement ({attemptsLeft}{' '}
        {attemptsLeft === 1 ? 'try' : 'tries'} left).
      </p>
      <div className="field-row">
        <TextField
          label="First deposit"
          inputMode="decimal"
          value={first}
          onChange={(e) => setFirst(e.target.value)}
          error={errors.byField.amounts}
        />
        <TextField label="Second deposit" inputMode="decimal" value={second} onChange={(e) => setSecond(e.target.value)} />
      </div>
      <FormProblems messages={errors.general} />
      <SubmitButton busy={submit.busy} busyLabel="Checking…">
        Confirm deposits
      </SubmitButton>
    </Form>
  );
}

export default function PaymentMethods() {
  const { data, error, refetch } = useQuery(PaymentMethodsQuery);
  const [added, setAdded] = useState<string | null>(null);
  const onAdded = (display: string) => {
    setAdded(display);
    void refetch();
  };
  if (error) return <p role="alert">Your cards and bank accounts could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  return (
    <>
      <h1>Cards and bank accounts</h1>
      <p>
        <Link href="/money">Back to add money and withdraw</Link>
      </p>
      {added && (
        <p className="success" role="status">
          Added {added}.
        </p>
      )}
      <div className="wallets">
        <Section title="Yours">
          {data.paymentMethods.length ? (
            <ul className="sessions">
              {data.paymentMethods.map((m) => (
                <li key={m.id} data-testid="payment-method">
                  <span>
                    <strong>{m.display}</strong> <span className="muted">{m.holderName}</span>
                  </span>
                  <span className={`status ${m.status === 'ACTIVE' || m.status === 'VERIFIED' ? 'status-posted' : ''}`}>
                    {METHOD_STATUS_WORDS[m.status]}
                  </span>
                  {m.status === 'PENDING_VERIFICATION' && (
                    <VerifyForm id={m.id} display={m.display} attemptsLeft={m.bankAccount?.verificationAttemptsLeft ?? 0} />
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No cards or bank accounts yet.</p>
          )}
        </Section>
        <Section title="Add a card">
          <AddCardForm onAdded={onAdded} />
        </Section>
        <Section title="Add a bank account">
          <AddBankForm onAdded={onAdded} />
        </Section>
      </div>
    </>
  );
}
