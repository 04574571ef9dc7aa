// Sign in with email and password, then, for an account with two-factor authentication, the code
// from the authenticator app (or a recovery code): signIn answers MFA_REQUIRED with a short-lived
// challenge, and verifyMfa turns it and the code into a session. Errors are shown beside the field
// they concern (userErrors' `field`); INVALID_CREDENTIALS concerns no one field, so it is shown
// above the button.
import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { graphql } from '../../gql';
import { FormProblems, NETWORK_PROBLEM, SubmitButton, TextField, useSubmitOnce } from '../forms';
import { startSession } from '../session';
import { type SplitErrors, splitUserErrors } from '../userErrors';

const SignInMutation = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }
      mfaChallenge { challenge }
      userErrors { code message field }
    }
  }
`);

const VerifyMfaMutation = graphql(`
  mutation VerifyMfa($input: VerifyMfaInput!) {
    verifyMfa(input: $input) {
      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }
      userErrors { code message field }
    }
  }
`);

const FIELDS = ['email', 'password', 'code'];

export function SignIn() {
  const search = useSearch();
  const [signIn] = useMutation(SignInMutation);
  const [verifyMfa] = useMutation(VerifyMfaMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  /** Set once the password was right for an account with two-factor authentication. */
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<SplitErrors>({ byField: {}, general: [] });

  const { run, busy } = useSubmitOnce(async () => {
    const byField: Record<string, string> = {};
    if (challenge) {
      if (!code.trim()) return setErrors({ byField: { code: 'Enter the code from your authenticator app.' }, general: [] });
      try {
        const { data } = await verifyMfa({ variables: { input: { challenge, code: code.trim() } } });
        const answer = data!.verifyMfa;
        if (answer.tokens) startSession(answer.tokens);
        else setErrors(splitUserErrors(answer.userErrors, FIELDS));
      } catch {
        setErrors({ byField: {}, general: [NETWORK_PROBLEM] });
      }
      return;
    }
    if (!email.trim()) byField.email = 'Enter your email address.';
    if (!password) byField.password = 'Enter your password.';
    if (Object.keys(byField).length) return setErrors({ byField, general: [] });
    try {
      const { data } = await signIn({ variables: { input: { email: email.trim(), password } } });
      const answer = data!.signIn;
      if (answer.tokens) startSession(answer.tokens);
      else if (answer.mfaChallenge) {
        setChallenge(answer.mfaChallenge.challenge);
        setErrors({ byField: {}, general: [] });
      } else setErrors(splitUserErrors(answer.userErrors, FIELDS));
    } catch {
      setErrors({ byField: {}, general: [NETWORK_PROBLEM] });
    }
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run();
  };

  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      {/* From a payment link (/pay/<code>): the payer comes back to pay once signed in. */}
      {new URLSearchParams(search).get('next')?.startsWith('/pay/') && <p className="notice">Sign in to your wallet to pay.</p>}
      <form onSubmit={submit} noValidate>
        {challenge ? (
          <TextField
            label="Code from your authenticator app"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={errors.byField.code}
            hint="Or one of your recovery codes."
            required
          />
        ) : (
          <>
            <TextField
              label="Email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={errors.byField.email}
              required
            />
            <TextField
              label="Password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.byField.password}
              required
            />
            <p className="forgot">
              {/* The address typed so far goes along in the history state, not in the URL. */}
              <Link href="/forgot-password" state={{ email: email.trim() }}>
                Forgot your password?
              </Link>
            </p>
          </>
        )}
        <FormProblems messages={errors.general} />
        <SubmitButton busy={busy} busyLabel="Signing in…">
          {challenge ? 'Verify' : 'Sign in'}
        </SubmitButton>
      </form>
      <p>
        New here? <Link href={`/sign-up${search ? `?${search}` : ''}`}>Create an account</Link>
      </p>
    </section>
  );
}
