// Send money by email, phone or wallet: the form, a preview (previewTransfer answers exactly what
// sendMoney would, refusals included: fee, total, limits after, a review warning), then Send.
//
// Exactly once: each attempt has one idempotency key (useAttempt in forms.tsx), kept while the same transfer is
// retried after no answer (a timeout, a dropped connection) and replaced once the server has
// answered (sent, or refused: a refusal is stored under its key too) or the transfer changes. The
// Send button runs one request at a time (useSubmitOnce), so a double click sends once.
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { graphql } from '../../gql';
import type { PreviewTransferQuery, RecipientInput } from '../../gql/graphql';
import { FormProblems, NETWORK_PROBLEM, NO_ERRORS, SelectField, SubmitButton, TextField, useAttempt, useSubmitOnce } from '../forms';
import { checkAmount, exponentOf, formatMoney } from '../money';
import { describeUserError, type SplitErrors, splitUserErrors } from '../userErrors';

const SendWallets = graphql(`
  query SendWallets {
    me { id wallets { id currency status balance { available { amount currency } } } }
  }
`);

const PreviewTransfer = graphql(`
  query PreviewTransfer($input: PreviewTransferInput!) {
    previewTransfer(input: $input) {
      preview {
        amount { amount currency }
        fee { amount currency }
        total { amount currency }
        riskDecision
        limitsAfter { kind exceeded remaining { amount currency } limit { amount currency } }
      }
      userErrors { code message field }
    }
  }
`);

const SendMoney = graphql(`
  mutation SendMoney($input: SendMoneyInput!) {
    sendMoney(input: $input) {
      transfer { id status amount { amount currency } counterparty { displayName } }
      senderWallet { id sequence balance { available { amount currency } posted { amount currency } held { amount currency } } }
      userErrors { code message field }
    }
  }
`);

type RecipientKind = 'email' | 'phone' | 'walletId';
const RECIPIENT_LABELS: Record<RecipientKind, { label: string; type: string; hint: string }> = {
  email: { label: 'Their email', type: 'email', hint: 'The email they signed up with.' },
  phone: { label: 'Their phone', type: 'tel', hint: 'With the country code, e.g. +14155550123.' },
  walletId: { label: 'Their wallet ID', type: 'text', hint: 'The wallet ID they gave you.' },
};
const FIELDS = ['recipient', 'amount', 'note'];

const LIMIT_WORDS: Record<string, string> = {
  PER_TRANSACTION: 'Per transfer',
  DAILY_SEND: 'Sent today',
  MONTHLY_SEND: 'Sent this month',
  MAX_BALANCE: 'Wallet maximum',
  DAILY_ADD_FUNDS: 'Added today',
  DAILY_WITHDRAW: 'Withdrawn today',
};

type Preview = NonNullable<PreviewTransferQuery['previewTransfer']['preview']>;
interface Transfer {
  recipient: RecipientInput;
  amount: { amount: string; currency: string };
  note?: string;
}
type Sent = { status: string; amount: { amount: string; currency: string }; to: string };

export default function Send() {
  const search = new URLSearchParams(useSearch());
  const wallets = useQuery(SendWallets);
  const client = useApolloClient();
  const [sendMoney] = useMutation(SendMoney);
  const attempt = useAttempt<Transfer>();

  const [kind, setKind] = useState<RecipientKind>('email');
  const [recipient, setRecipient] = useState('');
  const [currency, setCurrency] = useState(search.get('currency') ?? '');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const [preview, setPreview] = useState<{ transfer: Transfer; preview: Preview } | null>(null);
  const [sent, setSent] = useState<Sent | null>(null);

  const myWallets = wallets.data?.me.wallets ?? [];
  const wallet = myWallets.find((w) => w.currency === currency) ?? myWallets[0];

  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPreview(null);
    };

  /** The transfer as typed, or the problems to show beside the fields. */
  function readForm(): Transfer | null {
    const byField: Record<string, string> = {};
    if (!recipient.trim()) byField.recipient = `Enter ${RECIPIENT_LABELS[kind].label.toLowerCase()}.`;
    if (!wallet) byField.amount = 'You have no wallet to send from.';
    const checked = wallet ? checkAmount(amount, wallet.currency, exponentOf(wallet.currency, wallet.balance.available.amount)) : null;
    if (checked && !checked.ok) byField.amount = checked.message;
    if (note.length > 280) byField.note = 'Keep the note to 280 characters.';
    setErrors({ byField, general: [] });
    if (Object.keys(byField).length || !checked?.ok || !wallet) return null;
    return {
      recipient: { [kind]: recipient.trim() },
      amount: { amount: checked.amount, currency: wallet.currency },
      ...(note.trim() ? { note: note.trim() } : {}),
    };
  }

  const review = useSubmitOnce(async () => {
    const transfer = readForm();
    if (!transfer) return;
    try {
      const { data } = await client.query({ query: PreviewTransfer, variables: { input: transfer }, fetchPolicy: 'no-cache' });
      const answer = data!.previewTransfer;
      if (answer.preview) setPreview({ transfer, preview: answer.preview });
      else setErrors(splitUserErrors(answer.userErrors, FIELDS));
    } catch {
      setErrors({ byField: {}, general: [NETWORK_PROBLEM] });
    }
  });

  const send = useSubmitOnce(async () => {
    if (!preview) return;
    const { transfer } = preview;
    const idempotencyKey = attempt.keyFor(transfer);
    let answer: {
      transfer?: { status: string; amount: Sent['amount']; counterparty: { displayName: string } } | null;
      userErrors: { code: string; message: string; field?: string[] | null }[];
    };
    try {
      const { data } = await sendMoney({ variables: { input: { ...transfer, idempotencyKey } } });
      answer = data!.sendMoney;
    } catch {
      // No answer: the money may or may not have moved. The same key makes a retry safe.
      setErrors({ byField: {}, general: [`${NETWORK_PROBLEM} Pressing Send again will not send it twice.`] });
      return;
    }
    if (answer.userErrors.some((e) => e.code === 'IDEMPOTENCY_IN_PROGRESS')) {
      setErrors({ byField: {}, general: answer.userErrors.map(describeUserError) });
      return; // still the same attempt: its first request is being processed
    }
    attempt.answered();
    if (answer.transfer) {
      setSent({ status: answer.transfer.status, amount: answer.transfer.amount, to: answer.transfer.counterparty.displayName });
      setPreview(null);
      setErrors(NO_ERRORS);
      return;
    }
    // Refused (e.g. the balance changed since the preview): back to the form with the reasons.
    setPreview(null);
    setErrors(splitUserErrors(answer.userErrors, FIELDS));
  });

  if (wallets.error) return <p role="alert">Your wallets could not be loaded. Reload the page to try again.</p>;
  if (!wallets.data) return <p role="status">Loading…</p>;

  if (sent) {
    return (
      <section className="card narrow">
        <h1>{sent.status === 'IN_REVIEW' ? 'Transfer held for review' : 'Money sent'}</h1>
        <p className="success" role="status">
          {sent.status === 'IN_REVIEW'
            ? `${formatMoney(sent.amount)} to ${sent.to} is on hold in your wallet until a short review is done. You will see it in your activity.`
            : `Sent ${formatMoney(sent.amount)} to ${sent.to}.`}
        </p>
        <div className="actions">
          <button
            type="button"
            className="primary"
            onClick={() => {
              setSent(null);
              setAmount('');
              setNote('');
            }}
          >
            Send more money
          </button>
          <Link href="/" className="button">
            Back to your wallets
          </Link>
        </div>
      </section>
    );
  }

  if (preview) {
    const p = preview.preview;
    const to = preview.transfer.recipient.email ?? preview.transfer.recipient.phone ?? preview.transfer.recipient.walletId;
    return (
      <section className="card narrow">
        <h1>Check and send</h1>
        <dl className="summary">
          <div>
            <dt>To</dt>
            <dd>{to}</dd>
          </div>
          <div>
            <dt>Amount</dt>
            <dd>{formatMoney(p.amount)}</dd>
          </div>
          <div>
            <dt>Fee</dt>
            <dd>{formatMoney(p.fee)}</dd>
          </div>
          <div>
            <dt>Total from your wallet</dt>
            <dd data-testid="preview-total">{formatMoney(p.total)}</dd>
          </div>
          {preview.transfer.note && (
            <div>
              <dt>Note</dt>
              <dd>{preview.transfer.note}</dd>
            </div>
          )}
        </dl>
        {p.riskDecision === 'REVIEW' && (
          <p className="notice" role="note">
            This transfer will be held for a short review before the money moves. It stays on hold in your wallet until then.
          </p>
        )}
        {p.limitsAfter.length > 0 && (
          <>
            <h2>Your limits after this transfer</h2>
            <dl className="summary">
              {p.limitsAfter.map((limit) => (
                <div key={limit.kind}>
                  <dt>{LIMIT_WORDS[limit.kind] ?? limit.kind}</dt>
                  <dd>
                    {formatMoney(limit.remaining)} left of {formatMoney(limit.limit)}
                  </dd>
                </div>
              ))}
            </dl>
          </>
        )}
        <FormProblems messages={errors.general} />
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void send.run();
          }}
        >
          <div className="actions">
            <SubmitButton busy={send.busy} busyLabel="Sending…">
              Send {formatMoney(p.total)}
            </SubmitButton>
            <button type="button" onClick={() => setPreview(null)} disabled={send.busy}>
              Change
            </button>
          </div>
        </form>
      </section>
    );
  }

  const recipientField = RECIPIENT_LABELS[kind];
  return (
    <section className="card narrow">
      <h1>Send money</h1>
      {myWallets.length === 0 ? (
        <p>You have no wallet to send from yet.</p>
      ) : (
        <form
          noValidate
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            void review.run();
          }}
        >
          <fieldset>
            <legend>Send to</legend>
            <div className="choices">
              {(Object.keys(RECIPIENT_LABELS) as RecipientKind[]).map((k) => (
                <label key={k}>
                  <input type="radio" name="recipientKind" value={k} checked={kind === k} onChange={() => edit(setKind)(k)} />
                  {k === 'email' ? 'Email' : k === 'phone' ? 'Phone' : 'Wallet ID'}
                </label>
              ))}
            </div>
          </fieldset>
          <TextField
            label={recipientField.label}
            type={recipientField.type}
            autoComplete={kind === 'email' ? 'email' : kind === 'phone' ? 'tel' : 'off'}
            value={recipient}
            onChange={(e) => edit(setRecipient)(e.target.value)}
            hint={recipientField.hint}
            error={errors.byField.recipient}
          />
          {myWallets.length > 1 && (
            <SelectField label="From wallet" value={wallet?.currency} onChange={(e) => edit(setCurrency)(e.target.value)}>
              {myWallets.map((w) => (
                <option key={w.id} value={w.currency}>
                  {w.currency} ({formatMoney(w.balance.available)} available)
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            label={`Amount (${wallet?.currency ?? ''})`}
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => edit(setAmount)(e.target.value)}
            hint={wallet ? `${formatMoney(wallet.balance.available)} available` : undefined}
            error={errors.byField.amount}
          />
          <TextField
            label="Note (optional)"
            value={note}
            maxLength={280}
            onChange={(e) => edit(setNote)(e.target.value)}
            error={errors.byField.note}
          />
          <FormProblems messages={errors.general} />
          <SubmitButton busy={review.busy} busyLabel="Checking…">
            Review
          </SubmitButton>
        </form>
      )}
    </section>
  );
}
