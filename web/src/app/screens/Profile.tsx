// Your profile: the name others see when you pay them, and your phone number (E.164: people can
// send to it, and verification needs it), saved with updateProfile; each error is shown beside its
// field. Links to the security settings (two-step sign-in) and the signed-in devices.
//
// "How we reach you": the email and phone each say whether it is confirmed, and confirms it with a code we send
// (contacts.tsx, the same code entry as the step-up dialog): tier 1 verification needs a confirmed
// phone, and step-up codes go to a confirmed address. Changing the phone once an address is
// confirmed asks for a code first (the step-up dialog).
//
// Opened from the verification screen as /profile?next=/verify: once the phone is saved, a link
// leads back there (which confirms it too).
//
// "Your data": download a copy, or delete the account (yourData.tsx).
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useSearch } from 'wouter';
import { graphql } from '../../gql';
import type { ProfileQuery } from '../../gql/graphql';
import { ConfirmContact } from '../contacts';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, problem, Section, SubmitButton, TextField, useSubmitOnce } from '../forms';
import { type SplitErrors, splitUserErrors } from '../userErrors';
import { YourData } from '../yourData';

const ProfileQueryDoc = graphql(`
  query Profile { me { id email displayName phone mfaEnabled emailVerified phoneVerified } }
`);

const UpdateProfile = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { user { id displayName phone phoneVerified } userErrors { code message field } }
  }
`);

const FIELDS = ['displayName', 'phone'];

/** Where the person came from (one of ours), to go back to once the profile is saved. */
function backTo(search: string): { path: string; label: string } | null {
  const next = new URLSearchParams(search).get('next');
  if (next === '/verify') return { path: '/verify', label: 'Continue to verification' };
  return null;
}

function DetailsForm({ me }: { me: ProfileQuery['me'] }) {
  const [update] = useMutation(UpdateProfile);
  const [displayName, setDisplayName] = useState(me.displayName);
  const [phone, setPhone] = useState(me.phone ?? '');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const [saved, setSaved] = useState(false);
  const back = backTo(useSearch());
  const phoneToConfirm = Boolean(me.phone && !me.phoneVerified);

  const submit = useSubmitOnce(async () => {
    setSaved(false);
    if (!displayName.trim()) return setErrors({ ...NO_ERRORS, byField: { displayName: 'Enter your name.' } });
    try {
      // An empty phone field removes the number.
      const { data } = await update({ variables: { input: { displayName: displayName.trim(), phone: phone.trim() || null } } });
      const answer = data!.updateProfile;
      if (!answer.user) return setErrors(splitUserErrors(answer.userErrors, FIELDS));
      setErrors(NO_ERRORS);
      // As the server stored them: the phone in E.164, the name with its spaces tidied.
      setDisplayName(answer.user.displayName);
      setPhone(answer.user.phone ?? '');
      setSaved(true);
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  return (
    <Form onSubmit={() => void submit.run()}>
      <TextField
        label="Your name"
        autoComplete="name"
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        hint="Shown to people you pay and who pay you."
        error={errors.byField.displayName}
      />
      <TextField
        label="Phone"
        type="tel"
        autoComplete="tel"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        hint="With + and the country code, e.g. +14155550123. People can send money to it; verification needs it. Leave it empty to remove it."
        error={errors.byField.phone}
      />
      <FormProblems messages={errors.general} />
      {saved && (
        <p className="success" role="status">
          Saved.{' '}
          {back ? <Link href={back.path}>{back.label}</Link> : phoneToConfirm ? 'Your phone number is not confirmed yet: see below.' : null}
        </p>
      )}
      <SubmitButton busy={submit.busy} busyLabel="Saving…">
        Save
      </SubmitButton>
    </Form>
  );
}

export default function Profile() {
  const { data, error } = useQuery(ProfileQueryDoc);
  const back = backTo(useSearch());
  if (error) return <p role="alert">Your profile could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  const { me } = data;
  return (
    <>
      <h1>Your profile</h1>
      <div className="wallets">
        <Section title="Your details">
          <DetailsForm me={me} />
        </Section>
        <Section title="How we reach you">
          <h3>Email</h3>
          <p className="email">
            <strong>{me.email}</strong>
          </p>
          <ConfirmContact channel="EMAIL" verified={me.emailVerified} />
          <h3>Phone</h3>
          {me.phone ? (
            <>
              <p>
                <strong>{me.phone}</strong>
              </p>
              <ConfirmContact
                key={me.phone}
                channel="SMS"
                verified={me.phoneVerified}
                then={back && <Link href={back.path}>{back.label}</Link>}
              />
            </>
          ) : (
            <p className="muted">No phone number yet: add it under Your details.</p>
          )}
          <p className="field-hint">We send codes here when you confirm a risky action without an authenticator app.</p>
        </Section>
        <Section title="Security">
          <p data-testid="mfa-state">
            Two-step sign-in is <strong>{me.mfaEnabled ? 'on' : 'off'}</strong>:{' '}
            {me.mfaEnabled
              ? 'signing in and risky actions ask for a code from your authenticator app.'
              : 'add an authenticator app so a stolen password is not enough to use your wallet.'}
          </p>
          <p className="card-actions">
            <Link href="/profile/security" className="button primary">
              Two-step sign-in
            </Link>
            <Link href="/sessions" className="button">
              Signed-in devices
            </Link>
          </p>
        </Section>
        <Section title="Notifications">
          <p>Choose where each kind of notification goes (email, SMS, push) and your quiet hours.</p>
          <p className="card-actions">
            <Link href="/profile/notifications" className="button">
              Notification settings
            </Link>
          </p>
        </Section>
        <Section title="Your data">
          <YourData />
        </Section>
      </div>
    </>
  );
}
