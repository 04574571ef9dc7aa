// "Forgot your password?": asks for the address and calls requestPasswordReset, then always says
// the same thing, whether or not an account uses the address (the server answers alike too: docs/
// security.md, Password reset), so this screen never tells anyone who has an account here. Only a
// malformed address (beside the field) or the server's throttling (in words) differ.
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, problem, SubmitButton, TextField, useSubmitOnce } from '../forms';
import { type SplitErrors, splitUserErrors } from '../userErrors';
import { sendRefusal } from '../waits';

const RequestPasswordReset = graphql(`
  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input) { message userErrors { code message field } }
  }
`);

/** The one answer, for every address. */
export const RESET_SENT = 'If an account uses that address, we sent it a link to choose a new password.';

export default function ForgotPassword() {
  const [request] = useMutation(RequestPasswordReset);
  // Typed on the sign-in screen already: passed along in the history state, never in the address.
  const [email, setEmail] = useState(() => {
    const state = window.history.state as { email?: unknown } | null;
    return typeof state?.email === 'string' ? state.email : '';
  });
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = useSubmitOnce(async () => {
    if (!email.trim()) return setErrors({ ...NO_ERRORS, byField: { email: 'Enter your email address.' } });
    try {
      const answer = (await request({ variables: { input: { email: email.trim() } } })).data!.requestPasswordReset;
      if (answer.userErrors.length) return setErrors(splitUserErrors(answer.userErrors, ['email']));
      setErrors(NO_ERRORS);
      setSentTo(email.trim());
    } catch (err) {
      setErrors(
        problem(sendRefusal(err, NETWORK_PROBLEM).message.replace('several codes', 'several links').replace('a new one', 'another')),
      );
    }
  });

  if (sentTo) {
    return (
      <section className="card narrow">
        <h1>Check your email</h1>
        <p role="status" data-testid="reset-sent">
          {RESET_SENT}
        </p>
        <p>
          The link works once and for a short time. Nothing there? Check your spam folder, or{' '}
          <button type="button" className="link-button" onClick={() => setSentTo(null)}>
            try another address
          </button>
          .
        </p>
        <p>
          <Link href="/sign-in">Back to sign in</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>Forgot your password?</h1>
      <p>Enter the email address you sign in with. If it has an account, we will send it a link to choose a new password.</p>
      <Form onSubmit={() => void submit.run()}>
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.byField.email}
        />
        <FormProblems messages={errors.general} />
        <SubmitButton busy={submit.busy} busyLabel="Sending…">
          Send me a link
        </SubmitButton>
      </Form>
      <p>
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
