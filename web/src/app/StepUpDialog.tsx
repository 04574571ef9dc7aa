// The step-up dialog (stepUp.ts): a modal <dialog> (focus kept inside, Escape cancels, focus goes
// back where it was) asking for a code from the authenticator app or a recovery code. stepUp
// proves it on this session; the requests that waited are then sent again. Loaded only when first
// needed, like a screen.
import { useMutation } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { graphql } from '../gql';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, problem, SubmitButton, TextField, useSubmitOnce } from './forms';
import { settleStepUp } from './stepUp';
import { type SplitErrors, splitUserErrors } from './userErrors';

const StepUp = graphql(`
  mutation StepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code message field } } }
`);

export default function StepUpDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [stepUp] = useMutation(StepUp);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const title = useId();
  const description = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const submit = useSubmitOnce(async () => {
    if (!code.trim()) return setErrors({ ...NO_ERRORS, byField: { code: 'Enter the code from your authenticator app.' } });
    try {
      const { data } = await stepUp({ variables: { input: { code: code.trim() } } });
      const answer = data!.stepUp;
      if (answer.validUntil) settleStepUp(true);
      else setErrors(splitUserErrors(answer.userErrors, ['code']));
    } catch {
      setErrors(problem(NETWORK_PROBLEM));
    }
  });

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
      <p id={description}>
        This needs a recent code from your authenticator app. Enter the code it shows now, or one of your recovery codes, and we will carry
        on.
      </p>
      <Form onSubmit={() => void submit.run()}>
        <TextField
          label="Code from your authenticator app"
          autoComplete="one-time-code"
          autoFocus
          value={code}
          onChange={(e) => setCode(e.target.value)}
          hint="Or one of your recovery codes."
          error={errors.byField.code}
        />
        <FormProblems messages={errors.general} />
        <div className="actions">
          <SubmitButton busy={submit.busy} busyLabel="Checking…">
            Confirm
          </SubmitButton>
          <button type="button" onClick={() => settleStepUp(false)}>
            Cancel
          </button>
        </div>
      </Form>
    </dialog>
  );
}
