// Verification and limits: the tier, each limit with what is used and what is left (myLimits), the
// latest KYC case, and the form to go up to tier 1 (submitKyc; tier 2's selfie capture is not in
// the app). Verification needs a confirmed phone number: without one, the screen links to the profile
// to add it; with one not confirmed, it is confirmed here with a texted code (contacts.tsx), and the
// form follows. The provider decides later; kycUpdated brings its decision, and the
// tier and limits are read again, so they change on screen.
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useRef, useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { KycCaseStatus, KycTier, LimitKind } from '../../gql/graphql';
import { formatDate } from '../activity';
import { ConfirmContact } from '../contacts';
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
import { formatMoney } from '../money';
import { type SplitErrors, splitUserErrors } from '../userErrors';

const KycData = graphql(`
  query KycData {
    me { id phone phoneVerified }
    myLimits { tier limits { kind limit { amount currency } used { amount currency } remaining { amount currency } resetsAt } }
    kycStatus { tier latestCase { id level status reason createdAt } }
  }
`);

const KycUpdated = graphql(`
  subscription KycUpdated {
    kycUpdated { id level status reason updatedAt }
  }
`);

const SubmitKyc = graphql(`
  mutation SubmitKyc($input: SubmitKycInput!) {
    submitKyc(input: $input) { kycCase { id level status } userErrors { code message field } }
  }
`);

const TIER_WORDS: Record<KycTier, string> = {
  TIER_0: 'Tier 0: signed up',
  TIER_1: 'Tier 1: identity verified',
  TIER_2: 'Tier 2: ID document checked',
};
const TIER_NEEDS: Record<KycTier, string> = {
  TIER_0: '',
  TIER_1: 'Your legal name, date of birth and address.',
  TIER_2: 'The same, and an identity document.',
};
const CASE_WORDS: Record<KycCaseStatus, string> = {
  PENDING: 'Being checked',
  APPROVED: 'Approved',
  REJECTED: 'Not approved',
  MANUAL_REVIEW: 'With our team for a closer look',
};
const LIMIT_WORDS: Record<LimitKind, string> = {
  PER_TRANSACTION: 'Per transfer',
  DAILY_SEND: 'Sent today',
  MONTHLY_SEND: 'Sent this month',
  MAX_BALANCE: 'Balance',
  DAILY_ADD_FUNDS: 'Added today',
  DAILY_WITHDRAW: 'Withdrawn today',
};
const FIELDS = ['level', 'legalName', 'dateOfBirth', 'address.line1', 'address.city', 'address.postalCode', 'address.country', 'document'];

function KycForm({ onSubmitted }: { onSubmitted: () => void }) {
  const [submitKyc] = useMutation(SubmitKyc);
  const [level, setLevel] = useState<KycTier>('TIER_1');
  const [form, setForm] = useState({ legalName: '', dateOfBirth: '', line1: '', line2: '', city: '', postalCode: '', country: 'US' });
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  const submit = useSubmitOnce(async () => {
    const { line1, line2, city, postalCode, country, legalName, dateOfBirth } = form;
    try {
      const { data } = await submitKyc({
        variables: {
          input: {
            level,
            legalName: legalName.trim(),
            dateOfBirth,
            address: {
              line1: line1.trim(),
              ...(line2.trim() ? { line2: line2.trim() } : {}),
              city: city.trim(),
              postalCode: postalCode.trim(),
              country,
            },
          },
        },
      });
      const answer = data!.submitKyc;
      if (!answer.kycCase) return setErrors(splitUserErrors(answer.userErrors, FIELDS));
      setErrors(NO_ERRORS);
      onSubmitted();
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  const e = errors.byField;
  return (
    <Form onSubmit={() => void submit.run()}>
      <SelectField
        label="Go up to"
        value={level}
        onChange={(ev) => setLevel(ev.target.value as KycTier)}
        hint={TIER_NEEDS[level]}
        error={e.level}
      >
        <option value="TIER_1">{TIER_WORDS.TIER_1}</option>
      </SelectField>
      <TextField
        label="Legal name"
        autoComplete="name"
        value={form.legalName}
        onChange={set('legalName')}
        error={e.legalName}
        hint="As on your ID."
      />
      <TextField
        label="Date of birth"
        type="date"
        autoComplete="bday"
        value={form.dateOfBirth}
        onChange={set('dateOfBirth')}
        error={e.dateOfBirth}
      />
      <TextField label="Address" autoComplete="address-line1" value={form.line1} onChange={set('line1')} error={e['address.line1']} />
      <TextField label="Address line 2 (optional)" autoComplete="address-line2" value={form.line2} onChange={set('line2')} />
      <div className="field-row">
        <TextField label="City" autoComplete="address-level2" value={form.city} onChange={set('city')} error={e['address.city']} />
        <TextField
          label="Postal code"
          autoComplete="postal-code"
          value={form.postalCode}
          onChange={set('postalCode')}
          error={e['address.postalCode']}
        />
      </div>
      <TextField
        label="Country (2 letters)"
        autoComplete="country"
        maxLength={2}
        value={form.country}
        onChange={(ev) => setForm({ ...form, country: ev.target.value.toUpperCase() })}
        hint="e.g. US, DE, GB"
        error={e['address.country']}
      />
      <FormProblems messages={errors.general} />
      <SubmitButton busy={submit.busy} busyLabel="Sending…">
        Send for verification
      </SubmitButton>
    </Form>
  );
}

export default function Kyc() {
  const { data, error, refetch } = useQuery(KycData, { fetchPolicy: 'cache-and-network' });
  // A decision changes the tier and the limits: read them again.
  useSubscription(KycUpdated, { onData: () => void refetch() });
  // Once the phone had to be confirmed here, its "confirmed" words stay above the form (and take the focus).
  const phoneStep = useRef(false);
  if (data?.me.phone && !data.me.phoneVerified) phoneStep.current = true;
  if (error) return <p role="alert">Your verification could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  const { tier, latestCase } = data.kycStatus;
  const waiting = latestCase && (latestCase.status === 'PENDING' || latestCase.status === 'MANUAL_REVIEW');

  return (
    <>
      <h1>Verification and limits</h1>
      <div className="wallets">
        <Section title="Your tier">
          <p className="big-amount" data-testid="kyc-tier" role="status">
            {TIER_WORDS[tier]}
          </p>
          {latestCase && (
            <p data-testid="kyc-case">
              Your request for {TIER_WORDS[latestCase.level].split(':')[0]} ({formatDate(latestCase.createdAt)}):{' '}
              <span
                className={`status status-${latestCase.status === 'APPROVED' ? 'posted' : latestCase.status === 'REJECTED' ? 'failed' : 'pending'}`}
              >
                {CASE_WORDS[latestCase.status]}
              </span>
              {latestCase.reason && <span className="field-hint"> {latestCase.reason}</span>}
            </p>
          )}
          <h3>Your limits</h3>
          <div className="table-scroll">
            <table className="limits">
              <thead>
                <tr>
                  <th scope="col">Limit</th>
                  <th scope="col">Used</th>
                  <th scope="col">Left</th>
                </tr>
              </thead>
              <tbody>
                {data.myLimits.limits.map((l) => (
                  <tr key={`${l.kind}-${l.limit.currency}`}>
                    <th scope="row">
                      {LIMIT_WORDS[l.kind]} <span className="muted">of {formatMoney(l.limit)}</span>
                    </th>
                    <td>{formatMoney(l.used)}</td>
                    <td data-testid={`limit-${l.kind}-${l.limit.currency}`}>{formatMoney(l.remaining)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
        <Section title="Raise your limits">
          {tier === 'TIER_2' ? (
            <p>You are at the highest tier.</p>
          ) : tier === 'TIER_1' && !waiting ? (
            // Tier 2 needs a selfie taken through the KYC provider's own capture, which the app does not have yet.
            <p>Tier 2 needs an identity document and a selfie, which this app cannot take yet.</p>
          ) : waiting ? (
            <p role="status">We are checking what you sent. This page changes as soon as there is a decision.</p>
          ) : !data.me.phone ? (
            // submitKyc refuses an account without a confirmed phone number: say so before the form, not after.
            <p className="notice" data-testid="kyc-needs-phone">
              Verification needs your phone number. <Link href="/profile?next=/verify">Add it to your profile</Link>, then come back here.
            </p>
          ) : (
            <>
              {phoneStep.current && (
                // Confirmed here, with the same code entry as the profile; the form follows once it is.
                <div data-testid="kyc-needs-phone">
                  {!data.me.phoneVerified && (
                    <p className="notice">
                      Verification needs your phone number <strong>{data.me.phone}</strong> confirmed. We text it a code.
                    </p>
                  )}
                  <ConfirmContact channel="SMS" verified={data.me.phoneVerified} />
                </div>
              )}
              {data.me.phoneVerified && <KycForm onSubmitted={() => void refetch()} />}
            </>
          )}
        </Section>
      </div>
    </>
  );
}
