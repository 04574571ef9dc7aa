// The step-up dialog (stepUp.ts): a modal <dialog> (focus kept inside, Escape cancels, focus goes
// back where it was) asking for a code, then proving it on this session; the requests that waited
// are then sent again. Which code depends on the account (docs/security.md):
// - two-step sign-in on: a code from the authenticator app, or a recovery code (stepUp);
// - off, with a confirmed email or phone: a code we send there as the dialog opens (requestStepUpCode, stepUp);
// - off, with neither: the code that confirms the email address, sent as the dialog opens
//   (requestEmailVerification, verifyEmail), which proves the same thing.
// Its own requests skip the step-up link (context `skipStepUp`). Loaded only when first needed, like a screen.
import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { graphql } from '../gql';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, problem, SubmitButton, TextField, useSubmitOnce } from './forms';
import { settleStepUp } from './stepUp';
import { describeUserError, type SplitErrors, splitUserErrors } from './userErrors';

const StepUpState = graphql(`query StepUpState { me { id mfaEnabled emailVerified phoneVerified } }`);
const StepUp = graphql(`
  mutation StepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code message field } } }
`);
const RequestStepUpCode = graphql(`
  mutation RequestStepUpCode { requestStepUpCode { sentTo userErrors { code message field } } }
`);
const RequestEmailCode = graphql(`
  mutation RequestEmailCode { requestEmailVerification { sentTo userErrors { code message field } } }
`);
const VerifyEmailCode = graphql(`
  mutation VerifyEmailCode($input: VerifyContactInput!) {
    verifyEmail(input: $input) { user { id emailVerified } userErrors { code message field } }
  }
`);

type Mode = 'authenticator' | 'sent-code' | 'confirm-email';
const own = { context: { skipStepUp: true } };

export default function StepUpDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const state = useQuery(StepUpState, { fetchPolicy: 'network-only' });
  const [stepUp] = useMutation(StepUp, own);
  const [requestCode] = useMutation(RequestStepUpCode, own);
  const [requestEmailCode] = useMutation(RequestEmailCode, own);
  const [verifyEmail] = useMutation(VerifyEmailCode, own);
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const title = useId();
  const description = useId();

  const me = state.data?.me;
  const mode: Mode | null = !me
    ? null
    : me.mfaEnabled
      ? 'authenticator'
      : me.emailVerified || me.phoneVerified
        ? 'sent-code'
        : 'confirm-email';

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  /** Sends the code this mode needs (again, when asked); says where it went. */
  const send = useSubmitOnce(async (which: Mode) => {
    setErrors(NO_ERRORS);
    try {
      const answer =
        which === 'sent-code' ? (await requestCode()).data!.requestStepUpCode : (await requestEmailCode()).data!.requestEmailVerification;
      if (answer.sentTo) setSentTo(answer.sentTo);
      else setErrors(problem(answer.userErrors.map(describeUserError).join(' ')));
    } catch (err) {
      setErrors(problem(err instanceof Error && /Too many/.test(err.message) ? err.message : NETWORK_PROBLEM));
    }
  });
  const sent = useRef(false);
  useEffect(() => {
    if (!mode || mode === 'authenticator' || sent.current) return;
    sent.current = true;
    void send.run(mode);
  }, [mode, send]);

  const submit = useSubmitOnce(async () => {
    if (!code.trim()) return setErrors({ ...NO_ERRORS, byField: { code: 'Enter the code.' } });
    try {
      if (mode === 'confirm-email') {
        const answer = (await verifyEmail({ variables: { input: { code: code.trim() } } })).data!.verifyEmail;
        if (answer.user) settleStepUp(true);
        else setErrors(splitUserErrors(answer.userErrors, ['code']));
        return;
      }
      const answer = (await stepUp({ variables: { input: { code: code.trim() } } })).data!.stepUp;
      if (answer.validUntil) settleStepUp(true);
      else setErrors(splitUserErrors(answer.userErrors, ['code']));
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

  const where = sentTo ?? 'you';
  const intro =
    mode === 'authenticator'
      ? 'This needs a recent code from your authenticator app. Enter the code it shows now, or one of your recovery codes, and we will carry on.'
      : mode === 'sent-code'
        ? `This needs a code we send to your confirmed email or phone. We sent one to ${where}: enter it and we will carry on.`
        : mode === 'confirm-email'
          ? `This needs your email address confirmed. We sent a code to ${where}: enter it to confirm the address, and we will carry on.`
          : state.error
            ? NETWORK_PROBLEM
            : 'Loading…';

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={title}
      aria-describedby={description}
      // Escape: the same as Cancel.
      onCancel={(event) => {
        event.preventDefault();
        settleStepUp(false);
      }}
    >
      <h2 id={title}>Confirm it is you</h2>
      <p id={description}>{intro}</p>
      <Form onSubmit={() => void submit.run()}>
        {mode && (
          <TextField
            label={mode === 'authenticator' ? 'Code from your authenticator app' : 'Code from the message we sent'}
            autoComplete="one-time-code"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            hint={mode === 'authenticator' ? 'Or one of your recovery codes.' : 'Six digits. It works once, for ten minutes.'}
            error={errors.byField.code}
          />
        )}
        <FormProblems messages={errors.general} />
        <div className="actions">
          <SubmitButton busy={submit.busy} busyLabel="Checking…">
            Confirm
          </SubmitButton>
          {mode && mode !== 'authenticator' && (
            <button type="button" disabled={send.busy} onClick={() => void send.run(mode)}>
              Send a new code
            </button>
          )}
          <button type="button" onClick={() => settleStepUp(false)}>
            Cancel
          </button>
        </div>
      </Form>
    </dialog>
  );
}
