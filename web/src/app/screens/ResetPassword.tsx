// The page the reset email links to: /app/reset-password#token=…. The token is read from the
// fragment once, as the page opens, and the fragment is cleared from the address bar at once (so it
// stays out of the history, bookmarks and screenshots); it is sent to the server only in the
// resetPassword mutation. Browsers never send a fragment in a request, and the app sends no Referer
// (Referrer-Policy: no-referrer).
//
// The person chooses a new password (the sign-up rules; errors beside the field); an account with
// two-step sign-in is then asked for a code from the authenticator app (the server answers
// MFA_REQUIRED; the field appears). A reset signs out every session, this tab's included if it was
// signed in, so the page ends signed out: "sign in with your new password".
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import { forgetEverything } from '../apollo';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, problem, SubmitButton, TextField, useSubmitOnce } from '../forms';
import { endSession } from '../session';
import { type SplitErrors, splitUserErrors } from '../userErrors';

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) { revokedSessionCount userErrors { code message field } }
  }
`);

/** The link's token, once taken out of the address bar (kept for this page load, until used). */
let linkToken: string | null = null;

/** The token of the link this page was opened with, taken out of the address bar; null without one. */
function takeTokenFromAddress(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token')?.trim();
  if (token) linkToken = token;
  if (window.location.hash) {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
  return linkToken;
}

export default function ResetPassword() {
  const [token] = useState(takeTokenFromAddress);
  const [reset] = useMutation(ResetPasswordMutation);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  /** Set once the server said the account has two-step sign-in. */
  const [needsCode, setNeedsCode] = useState(false);
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const [badLink, setBadLink] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = useSubmitOnce(async () => {
    if (!token) return;
    const byField: Record<string, string> = {};
    if (!password) byField.newPassword = 'Choose a new password.';
    if (needsCode && !code.trim()) byField.mfaCode = 'Enter the code from your authenticator app.';
    if (Object.keys(byField).length) return setErrors({ ...NO_ERRORS, byField });
    try {
      const input = { token, newPassword: password, ...(needsCode ? { mfaCode: code.trim() } : {}) };
      const answer = (await reset({ variables: { input } })).data!.resetPassword;
      if (answer.userErrors.some((e) => e.code === 'MFA_REQUIRED')) setNeedsCode(true);
      const link = answer.userErrors.find((e) => e.field?.at(-1) === 'token');
      if (link) return setBadLink(splitUserErrors([link], []).general[0]!);
      if (answer.userErrors.length) return setErrors(splitUserErrors(answer.userErrors, ['newPassword', 'mfaCode']));
      // Every session of the account has ended, this tab's too if it had one.
      linkToken = null;
      endSession();
      await forgetEverything();
      setDone(true);
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  if (done) {
    return (
      <section className="card narrow">
        <h1>Your password is changed</h1>
        <p role="status" data-testid="reset-done">
          We signed you out everywhere. Sign in with your new password.
        </p>
        <p>
          <Link href="/sign-in" className="button primary">
            Sign in
          </Link>
        </p>
      </section>
    );
  }
  if (!token || badLink) {
    return (
      <section className="card narrow">
        <h1>Choose a new password</h1>
        <p role="alert" data-testid="reset-link-problem">
          {badLink ??
            'This page needs the link from the email we sent you. Open the link from the email again (it works once), or ask for a new one.'}
        </p>
        <p>
          <Link href="/forgot-password">Ask for a new link</Link> or <Link href="/sign-in">sign in</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>Choose a new password</h1>
      <Form onSubmit={() => void submit.run()}>
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint="At least 10 characters, not one that is commonly used. This signs you out on every device."
          error={errors.byField.newPassword}
        />
        {needsCode && (
          <TextField
            label="Code from your authenticator app"
            autoComplete="one-time-code"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            hint="From the app you set up for two-step sign-in, or one of your recovery codes."
            error={errors.byField.mfaCode}
          />
        )}
        <FormProblems messages={errors.general} />
        <SubmitButton busy={submit.busy} busyLabel="Saving…">
          Set new password
        </SubmitButton>
      </Form>
    </section>
  );
}
