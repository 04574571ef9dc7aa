// Profile → "Your data" (docs/privacy.md): a copy of everything held about you (exportMyData
// answers a link that works for this session for a few minutes; it is asked for on the click and
// opened), and erasing the account (deleteMyAccount, the password once more after a confirmation
// step). Both need a recent second factor: the step-up link (stepUp.ts) asks for it. Refused
// erasures (money left, a review open) say why in words and change nothing; an erased account is
// signed out here and sent to /account-erased.
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { graphql } from '../gql';
import { forgetEverything } from './apollo';
import { Form, FormProblems, NETWORK_PROBLEM, SubmitButton, TextField, useSubmitOnce } from './forms';
import { endSession } from './session';
import { describeUserError, type UserErrorLike } from './userErrors';

const ExportMyData = graphql(`
  mutation ExportMyData { exportMyData { downloadUrl expiresAt userErrors { code message } } }
`);

const DeleteMyAccount = graphql(`
  mutation DeleteMyAccount($input: DeleteMyAccountInput!) {
    deleteMyAccount(input: $input) { erasedAt userErrors { code message field } }
  }
`);

/** Why an erasure was refused, in the app's words, with the server's own reason after. */
function refusal(error: UserErrorLike): string {
  if (error.code === 'ACCOUNT_NOT_EMPTY') {
    return `Your account cannot be deleted yet: ${error.message} Nothing was changed.`;
  }
  if (error.code === 'ACCOUNT_UNDER_REVIEW') {
    return 'Your account cannot be deleted while we are reviewing something on it (a verification, a payment or a check). Try again once it is settled, or contact support. Nothing was changed.';
  }
  if (error.code === 'INVALID_CREDENTIALS' || error.code === 'INVALID_PASSWORD') return 'That password is not right. Nothing was changed.';
  return describeUserError(error);
}

function DownloadMyData() {
  const [exportData] = useMutation(ExportMyData);
  const [problems, setProblems] = useState<string[]>([]);
  const [link, setLink] = useState<string | null>(null);
  const submit = useSubmitOnce(async () => {
    setProblems([]);
    setLink(null);
    try {
      const { data } = await exportData();
      const answer = data!.exportMyData;
      if (!answer.downloadUrl) return setProblems(answer.userErrors.map(describeUserError));
      setLink(answer.downloadUrl);
      window.location.assign(answer.downloadUrl);
    } catch {
      setProblems([NETWORK_PROBLEM]);
    }
  });
  return (
    <>
      <p>One file (JSON) with everything we hold about you: your profile, wallets, transactions, devices and the messages we sent.</p>
      <p className="card-actions">
        <button type="button" onClick={() => void submit.run()} disabled={submit.busy}>
          {submit.busy ? 'Preparing…' : 'Download my data'}
        </button>
      </p>
      {link && (
        <p className="success" role="status">
          Your download has started. If it did not, <a href={link}>download it here</a> (the link works for a few minutes).
        </p>
      )}
      <FormProblems messages={problems} />
    </>
  );
}

function DeleteAccount() {
  const [erase] = useMutation(DeleteMyAccount);
  const [, navigate] = useLocation();
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const [problems, setProblems] = useState<string[]>([]);

  const submit = useSubmitOnce(async () => {
    setProblems([]);
    setPasswordError(undefined);
    if (!password) return setPasswordError('Enter your password.');
    try {
      const { data } = await erase({ variables: { input: { password } } });
      const answer = data!.deleteMyAccount;
      if (!answer.erasedAt) {
        setPassword('');
        return setProblems(answer.userErrors.map(refusal));
      }
      // To the page first (open signed in or not), so the sign-in guard does not move the person on.
      navigate('/account-erased', { replace: true });
      endSession();
      await forgetEverything();
    } catch {
      setProblems([NETWORK_PROBLEM]);
    }
  });

  if (!confirming) {
    return (
      <>
        <p>Erases your name, email, phone and everything else about you. Your wallets must be empty first. This cannot be undone.</p>
        <p className="card-actions">
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete my account
          </button>
        </p>
      </>
    );
  }
  return (
    <Form onSubmit={() => void submit.run()} aria-label="Delete my account">
      <p>
        <strong>This cannot be undone.</strong> Enter your password to delete your account.
      </p>
      <TextField
        label="Your password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={passwordError}
      />
      <FormProblems messages={problems} />
      <div className="actions">
        <SubmitButton busy={submit.busy} busyLabel="Deleting…">
          Delete my account for good
        </SubmitButton>
        <button
          type="button"
          onClick={() => {
            setConfirming(false);
            setPassword('');
            setProblems([]);
          }}
        >
          Keep my account
        </button>
      </div>
    </Form>
  );
}

export function YourData() {
  return (
    <>
      <h3>A copy of your data</h3>
      <DownloadMyData />
      <h3>Delete your account</h3>
      <DeleteAccount />
    </>
  );
}
