// Two-step sign-in (TOTP, docs/security.md). Turning it on takes three steps: enrolMfa gives a
// secret, shown as a QR code to scan and as text to type; confirmMfa with the app's first code
// turns it on and answers ten recovery codes, shown here once, with a step to confirm they are
// saved before they leave the screen. Turning it off takes a code (disableMfa), and, like the other
// risky actions, a recent second factor: the app's step-up dialog asks for it (stepUp.ts).
import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, problem, Section, SubmitButton, TextField, useSubmitOnce } from '../forms';
import { type SplitErrors, splitUserErrors } from '../userErrors';

const SecurityStatus = graphql(`
  query SecurityStatus { me { id mfaEnabled } }
`);

const EnrolMfa = graphql(`
  mutation EnrolMfa { enrolMfa { enrolment { qrCode secret } userErrors { code message field } } }
`);

const ConfirmMfa = graphql(`
  mutation ConfirmMfa($input: ConfirmMfaInput!) { confirmMfa(input: $input) { recoveryCodes userErrors { code message field } } }
`);

const DisableMfa = graphql(`
  mutation DisableMfa($input: DisableMfaInput!) { disableMfa(input: $input) { user { id mfaEnabled } userErrors { code message field } } }
`);

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type from the screen. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

function Enrol({ onConfirmed }: { onConfirmed: (recoveryCodes: string[]) => void }) {
  const [enrol] = useMutation(EnrolMfa);
  const [confirm] = useMutation(ConfirmMfa);
  const [enrolment, setEnrolment] = useState<{ qrCode: string; secret: string } | null>(null);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);

  const start = useSubmitOnce(async () => {
    try {
      const { data } = await enrol();
      const answer = data!.enrolMfa;
      setErrors(answer.enrolment ? NO_ERRORS : splitUserErrors(answer.userErrors, []));
      setEnrolment(answer.enrolment ?? null);
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  const finish = useSubmitOnce(async () => {
    if (!/^\d{6}$/.test(code.trim())) return setErrors({ ...NO_ERRORS, byField: { code: 'Enter the 6-digit code your app shows now.' } });
    try {
      const { data } = await confirm({ variables: { input: { code: code.trim() } } });
      const answer = data!.confirmMfa;
      if (!answer.recoveryCodes) return setErrors(splitUserErrors(answer.userErrors, ['code']));
      onConfirmed(answer.recoveryCodes);
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  if (!enrolment) {
    return (
      <Form onSubmit={() => void start.run()}>
        <p>
          Two-step sign-in is <strong>off</strong>. With it on, signing in and risky actions (withdrawing, adding a card or bank account,
          changing your email or password) also ask for a code from an authenticator app on your phone.
        </p>
        <FormProblems messages={errors.general} />
        <SubmitButton busy={start.busy} busyLabel="Starting…">
          Set up an authenticator app
        </SubmitButton>
      </Form>
    );
  }
  return (
    <Form onSubmit={() => void finish.run()}>
      <ol className="steps">
        <li>
          <p>Scan this code with your authenticator app (Google Authenticator, 1Password, Authy, …).</p>
          <img
            className="mfa-qr"
            src={enrolment.qrCode}
            alt="QR code that adds your wallet to an authenticator app"
            width={200}
            height={200}
          />
          <p>
            Or type this key into the app:{' '}
            <code className="mfa-secret" data-testid="mfa-secret">
              {grouped(enrolment.secret)}
            </code>
          </p>
        </li>
        <li>
          <TextField
            label="Code from your authenticator app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            hint="The 6 digits it shows for your wallet now."
            error={errors.byField.code}
          />
        </li>
      </ol>
      <FormProblems messages={errors.general} />
      <SubmitButton busy={finish.busy} busyLabel="Checking…">
        Turn on two-step sign-in
      </SubmitButton>
    </Form>
  );
}

/** The recovery codes, this once: the screen moves on only when the person says they saved them. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  const [reminder, setReminder] = useState(false);
  const checkbox = useId();
  return (
    <div className="recovery">
      <p className="success" role="status">
        Two-step sign-in is on.
      </p>
      <h3>Save your recovery codes</h3>
      <p>
        If you lose your phone, each of these codes signs you in once instead of the app's code.{' '}
        <strong>This is the only time they are shown</strong>: save them now in a password manager, or write them down and keep them
        somewhere safe.
      </p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <Form
        onSubmit={() => {
          if (saved) onDone();
          else setReminder(true);
        }}
      >
        <div className="choices">
          <label htmlFor={checkbox}>
            <input
              id={checkbox}
              type="checkbox"
              checked={saved}
              onChange={(e) => setSaved(e.target.checked)}
              aria-describedby={reminder && !saved ? `${checkbox}-error` : undefined}
              aria-invalid={reminder && !saved ? true : undefined}
            />
            I have saved my recovery codes
          </label>
        </div>
        {reminder && !saved && (
          <p className="field-error" id={`${checkbox}-error`}>
            Save the codes first, then tick the box: they will not be shown again.
          </p>
        )}
        <SubmitButton busy={false} busyLabel="">
          Done
        </SubmitButton>
      </Form>
    </div>
  );
}

function TurnOff() {
  const [disable] = useMutation(DisableMfa);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const submit = useSubmitOnce(async () => {
    if (!code.trim())
      return setErrors({ ...NO_ERRORS, byField: { code: 'Enter a code from your authenticator app, or a recovery code.' } });
    try {
      // A step-up asked for first (STEP_UP_REQUIRED) is the app's dialog's; this answer comes after it.
      const { data } = await disable({ variables: { input: { code: code.trim() } } });
      const answer = data!.disableMfa;
      if (!answer.user) return setErrors(splitUserErrors(answer.userErrors, ['code']));
      setErrors(NO_ERRORS);
      setCode('');
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });
  return (
    <Form onSubmit={() => void submit.run()}>
      <p>
        Two-step sign-in is <strong>on</strong>: signing in and risky actions ask for a code from your authenticator app.
      </p>
      <TextField
        label="Code to turn it off"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        hint="A code from your authenticator app, or one of your recovery codes. If you are asked to confirm it is you first, enter the app's next code here, or a recovery code."
        error={errors.byField.code}
      />
      <FormProblems messages={errors.general} />
      <SubmitButton busy={submit.busy} busyLabel="Turning off…">
        Turn off two-step sign-in
      </SubmitButton>
    </Form>
  );
}

export default function Security() {
  const { data, error, refetch } = useQuery(SecurityStatus, { fetchPolicy: 'cache-and-network' });
  // Kept in this screen's memory only, and dropped once the person says they saved them.
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  if (error) return <p role="alert">Your security settings could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  return (
    <>
      <h1>Two-step sign-in</h1>
      <p>
        <Link href="/profile">Back to your profile</Link>
      </p>
      <div className="wallets">
        <Section title="Authenticator app">
          {recoveryCodes ? (
            <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />
          ) : data.me.mfaEnabled ? (
            <TurnOff />
          ) : (
            <Enrol
              onConfirmed={(codes) => {
                setRecoveryCodes(codes);
                void refetch();
              }}
            />
          )}
        </Section>
        <Section title="Signed-in devices">
          <p>See where you are signed in, and sign out a device you do not recognise.</p>
          <p className="card-actions">
            <Link href="/sessions" className="button">
              Signed-in devices
            </Link>
          </p>
        </Section>
      </div>
    </>
  );
}
