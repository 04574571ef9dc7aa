// Create an account: name, email, password and an optional phone. The server checks everything
// (password strength, email and phone taken, phone format) and says which field is at fault.
import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { graphql } from '../../gql';
import { FormProblems, NETWORK_PROBLEM, SubmitButton, TextField, useSubmitOnce } from '../forms';
import { startSession } from '../session';
import { type SplitErrors, splitUserErrors } from '../userErrors';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }
      userErrors { code message field }
    }
  }
`);

const FIELDS = ['displayName', 'email', 'password', 'phone'];

export function SignUp() {
  const search = useSearch();
  const [signUp] = useMutation(SignUpMutation);
  const [form, setForm] = useState({ displayName: '', email: '', password: '', phone: '' });
  const [errors, setErrors] = useState<SplitErrors>({ byField: {}, general: [] });
  const set = (name: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [name]: event.target.value });

  const { run, busy } = useSubmitOnce(async () => {
    const byField: Record<string, string> = {};
    if (!form.displayName.trim()) byField.displayName = 'Enter your name.';
    if (!form.email.trim()) byField.email = 'Enter your email address.';
    if (!form.password) byField.password = 'Choose a password.';
    if (Object.keys(byField).length) return setErrors({ byField, general: [] });
    try {
      const input = {
        displayName: form.displayName.trim(),
        email: form.email.trim(),
        password: form.password,
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      };
      const { data } = await signUp({ variables: { input } });
      const answer = data!.signUp;
      if (answer.tokens) startSession(answer.tokens);
      else setErrors(splitUserErrors(answer.userErrors, FIELDS));
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
      <h1>Create your account</h1>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Your name"
          autoComplete="name"
          value={form.displayName}
          onChange={set('displayName')}
          error={errors.byField.displayName}
          required
        />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          error={errors.byField.email}
          required
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={errors.byField.password}
          hint="At least 10 characters, not a commonly used password."
          required
        />
        <TextField
          label="Phone (optional)"
          type="tel"
          autoComplete="tel"
          value={form.phone}
          onChange={set('phone')}
          error={errors.byField.phone}
          hint="With the country code, e.g. +14155550123. People can then send you money by phone."
        />
        <FormProblems messages={errors.general} />
        <SubmitButton busy={busy} busyLabel="Creating your account…">
          Create account
        </SubmitButton>
      </form>
      <p>
        Have an account? <Link href={`/sign-in${search ? `?${search}` : ''}`}>Sign in</Link>
      </p>
    </section>
  );
}
