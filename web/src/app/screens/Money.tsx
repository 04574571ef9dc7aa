// Add money and withdraw: the wallet's balance (available, posted and on hold, live from
// walletUpdated), a top-up from a card or verified bank account (addFunds), a withdrawal to a
// verified bank account (withdraw: the amount is held at once, so available drops before posted
// does), and the latest deposits and withdrawals with their status following fundingUpdated.
// Each money movement takes one idempotency key per attempt (useAttempt), kept across retries.
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { FundingStatus, MoneyFundingQuery } from '../../gql/graphql';
import { formatDate } from '../activity';
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
  useAttempt,
  useSubmitOnce,
} from '../forms';
import { LiveBalances } from '../balances';
import { checkAmount, exponentOf, formatMoney, withDecimals } from '../money';
import { describeUserError, type SplitErrors, splitUserErrors } from '../userErrors';

const MoneyFunding = graphql(`
  query MoneyFunding {
    me {
      id
      wallets {
        id currency status sequence
        balance { available { amount currency } posted { amount currency } held { amount currency } }
      }
    }
    paymentMethods { id kind display status }
  }
`);

// Apart from the wallets: read again after each top-up or withdrawal, it must not carry a balance
// read before the money moved over the newer one walletUpdated has put in the cache.
const MoneyFundingList = graphql(`
  query MoneyFundingList {
    fundingOperations(first: 10) {
      edges { node { id kind status amount { amount currency } fee { amount currency } failureMessage createdAt paymentMethod { display } } }
    }
  }
`);

const FundingUpdated = graphql(`
  subscription MoneyFundingUpdated {
    fundingUpdated { id status failureMessage updatedAt }
  }
`);

const AddFunds = graphql(`
  mutation AddFunds($input: AddFundsInput!) {
    addFunds(input: $input) { funding { id status } userErrors { code message field } }
  }
`);

const Withdraw = graphql(`
  mutation Withdraw($input: WithdrawInput!) {
    withdraw(input: $input) { funding { id status } userErrors { code message field } }
  }
`);

const FUNDING_STATUS_WORDS: Record<FundingStatus, string> = {
  PENDING: 'Processing',
  SUCCEEDED: 'Completed',
  FAILED: 'Failed',
  REVERSED: 'Reversed',
};

type Wallet = MoneyFundingQuery['me']['wallets'][number];
type Method = MoneyFundingQuery['paymentMethods'][number];
interface Movement {
  methodId: string;
  amount: string;
}

/** One form for both directions: which mutation, which methods, which words. */
function MoveMoneyForm({
  kind,
  wallet,
  methods,
  onDone,
}: {
  kind: 'top-up' | 'withdraw';
  wallet: Wallet;
  methods: Method[];
  onDone: () => void;
}) {
  const [addFunds] = useMutation(AddFunds);
  const [withdraw] = useMutation(Withdraw);
  const attempt = useAttempt<Movement>();
  const [methodId, setMethodId] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const [done, setDone] = useState<string | null>(null);
  const topUp = kind === 'top-up';
  const method = methods.find((m) => m.id === methodId) ?? methods[0];
  const fields = topUp ? ['paymentMethodId', 'amount'] : ['bankAccountId', 'amount'];

  const submit = useSubmitOnce(async () => {
    const checked = checkAmount(amount, wallet.currency, exponentOf(wallet.currency, wallet.balance.available.amount));
    if (!checked.ok || !method) {
      return setErrors({
        byField: checked.ok ? {} : { amount: checked.message },
        general: method ? [] : ['Add a card or bank account first.'],
      });
    }
    const movement = { methodId: method.id, amount: checked.amount };
    const idempotencyKey = attempt.keyFor(movement);
    // The last attempt's words go while this one runs (the step-up dialog may ask for a code meanwhile).
    setErrors(NO_ERRORS);
    setDone(null);
    const money = { amount: checked.amount, currency: wallet.currency };
    const shown = formatMoney(withDecimals(money, exponentOf(wallet.currency, wallet.balance.available.amount)));
    let answer: { funding?: { status: string } | null; userErrors: { code: string; message: string; field?: string[] | null }[] };
    try {
      if (topUp) {
        const { data } = await addFunds({ variables: { input: { paymentMethodId: method.id, amount: money, idempotencyKey } } });
        answer = data!.addFunds;
      } else {
        const { data } = await withdraw({ variables: { input: { bankAccountId: method.id, amount: money, idempotencyKey } } });
        answer = data!.withdraw;
      }
    } catch {
      return setErrors(problem(`${NETWORK_PROBLEM} Trying again will not move the money twice.`));
    }
    if (answer.userErrors.some((e) => e.code === 'IDEMPOTENCY_IN_PROGRESS')) {
      return setErrors({ byField: {}, general: answer.userErrors.map(describeUserError) });
    }
    attempt.answered();
    if (!answer.funding) return setErrors(splitUserErrors(answer.userErrors, fields));
    setErrors(NO_ERRORS);
    setAmount('');
    setDone(
      topUp
        ? `Adding ${shown} from ${method.display}. It shows in your balance when the payment goes through.`
        : `Withdrawing ${shown} to ${method.display}. It is on hold in your wallet until the bank pays it out.`,
    );
    onDone();
  });

  const methodError = errors.byField.paymentMethodId ?? errors.byField.bankAccountId;
  return (
    <Form onSubmit={() => void submit.run()}>
      {methods.length === 0 ? (
        <p className="muted">
          {topUp ? 'Add a card or a bank account first.' : 'Add a bank account and confirm its deposits first.'}{' '}
          <Link href="/money/methods">Cards and bank accounts</Link>
        </p>
      ) : (
        <SelectField label={topUp ? 'From' : 'To'} value={method?.id} onChange={(e) => setMethodId(e.target.value)} error={methodError}>
          {methods.map((m) => (
            <option key={m.id} value={m.id}>
              {m.display}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        label={`${topUp ? 'Amount to add' : 'Amount to withdraw'} (${wallet.currency})`}
        inputMode="decimal"
        autoComplete="off"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        hint={topUp ? undefined : `${formatMoney(wallet.balance.available)} available`}
        error={errors.byField.amount}
      />
      <FormProblems messages={errors.general} />
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      <SubmitButton busy={submit.busy} busyLabel={topUp ? 'Adding…' : 'Withdrawing…'} disabled={methods.length === 0}>
        {topUp ? 'Add money' : 'Withdraw'}
      </SubmitButton>
    </Form>
  );
}

export default function Money() {
  // The balance is read once, then follows walletUpdated (Balance); refetching it could bring back
  // an older one over it (a read that started before the money moved, answered after the event).
  const { data, error } = useQuery(MoneyFunding, { fetchPolicy: 'cache-and-network' });
  const funding = useQuery(MoneyFundingList, { fetchPolicy: 'cache-and-network' });
  // Each status change lands in Apollo's cache by id: the list below follows.
  useSubscription(FundingUpdated);
  const [currency, setCurrency] = useState('');
  if (error) return <p role="alert">Your wallets could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  const wallets = data.me.wallets.filter((w) => w.status === 'ACTIVE');
  const wallet = wallets.find((w) => w.currency === currency) ?? wallets[0];
  const usable = data.paymentMethods.filter((m) => m.status === 'ACTIVE' || m.status === 'VERIFIED');
  const banks = usable.filter((m) => m.kind === 'BANK_ACCOUNT');
  const refresh = () => void funding.refetch();
  const operations = funding.data?.fundingOperations.edges ?? [];

  return (
    <>
      <h1>Add money and withdraw</h1>
      {!wallet ? (
        <p>You have no active wallet.</p>
      ) : (
        <>
          <Section title={`${wallet.currency} wallet`}>
            {wallets.length > 1 && (
              <SelectField label="Wallet" value={wallet.currency} onChange={(e) => setCurrency(e.target.value)}>
                {wallets.map((w) => (
                  <option key={w.id} value={w.currency}>
                    {w.currency}
                  </option>
                ))}
              </SelectField>
            )}
            <LiveBalances key={wallet.id} wallet={wallet} onChange={refresh} held="always" />
            <p className="field-hint">
              A withdrawal is on hold until the bank pays it out: available drops at once, posted when it is paid.
            </p>
          </Section>
          <div className="wallets">
            <Section title="Add money">
              <MoveMoneyForm kind="top-up" wallet={wallet} methods={usable} onDone={refresh} />
            </Section>
            <Section title="Withdraw">
              <MoveMoneyForm kind="withdraw" wallet={wallet} methods={banks} onDone={refresh} />
            </Section>
          </div>
        </>
      )}
      <p className="card-actions">
        <Link href="/money/methods" className="button">
          Cards and bank accounts
        </Link>
      </p>
      <Section title="Latest deposits and withdrawals">
        {operations.length ? (
          <ul className="transactions">
            {operations.map(({ node: f }) => (
              <li key={f.id} className="transaction" data-testid="funding">
                <div className="transaction-link">
                  <span className="transaction-who">
                    {f.kind === 'DEPOSIT' ? 'Added from' : 'Withdrawn to'} {f.paymentMethod?.display ?? 'a removed method'}
                  </span>
                  <span className={`transaction-amount ${f.kind === 'DEPOSIT' ? 'in' : 'out'}`}>
                    {f.kind === 'DEPOSIT' ? '+' : '−'}
                    {formatMoney(f.amount)}
                  </span>
                  <span className="transaction-meta">
                    <time dateTime={f.createdAt}>{formatDate(f.createdAt)}</time>
                    {/[1-9]/.test(f.fee.amount) && <> · fee {formatMoney(f.fee)}</>}
                    <span
                      className={`status status-${f.status === 'SUCCEEDED' ? 'posted' : f.status === 'PENDING' ? 'pending' : 'failed'}`}
                      data-testid="funding-status"
                    >
                      {FUNDING_STATUS_WORDS[f.status]}
                    </span>
                  </span>
                  {f.failureMessage && <span className="transaction-note">{f.failureMessage}</span>}
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing yet.</p>
        )}
      </Section>
    </>
  );
}
