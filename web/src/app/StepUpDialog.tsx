// The step-up dialog (stepUp.ts): a modal <dialog> (focus moves into it and stays there, Escape
// cancels, and focus goes back to what the person was using: stepUp.ts) asking for a code, then
// proving it on this session; the requests that waited are then sent again. Which code depends on
// the account (docs/security.md):
// - two-step sign-in on: a code from the authenticator app, or a recovery code (stepUp);
// - off, with a confirmed email or phone: a code we send there (requestStepUpCode, then stepUp),
//   by email when the email is confirmed, with "Text it to my phone instead" when both are;
// - off, with neither: the code that confirms the email address (requestEmailVerification, then
//   verifyEmail), which proves the same thing.
// A sent code is reused while it is valid (remembered below for this page), so cancelling and
// trying again does not send another message or spend the server's send allowance; "Send a new
// code" asks for one. The code's field, the sending and the server's throttling in words are
// codes.tsx's, as on the profile; the mutations that confirm the email are the profile's (contacts.tsx).
// Its own requests skip the step-up link (context `skipStepUp`).
// Loaded only when first needed, like a screen.
import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { graphql } from '../gql';
import type { ContactChannel } from '../gql/graphql';
import { type CodeSent, CodeEntry, useCodeSender } from './codes';
import { RequestEmailCode, VerifyEmail } from './contacts';
import { NETWORK_PROBLEM } from './forms';
import { settleStepUp } from './stepUp';
import { splitUserErrors } from './userErrors';

const StepUpState = graphql(`query StepUpState { me { id mfaEnabled emailVerified phoneVerified } }`);
const StepUp = graphql(`
  mutation StepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code message field } } }
`);
const RequestStepUpCode = graphql(`
  mutation RequestStepUpCode($input: RequestStepUpCodeInput) {
    requestStepUpCode(input: $input) { sentTo expiresAt channel userErrors { code message field } }
  }
`);

type Mode = 'authenticator' | 'sent-code' | 'confirm-email';
const own = { context: { skipStepUp: true } };

/** The last code this page had sent for a step-up, while it is valid: a dialog opened again uses it rather than sending another. */
let lastSent: { key: string; sent: CodeSent } | null = null;
const stillValid = (key: string): CodeSent | null =>
  lastSent?.key === key && lastSent.sent.expiresAt && Date.parse(lastSent.sent.expiresAt) - Date.now() > 60_000 ? lastSent.sent : null;

function SentCode({ userId, mode, channel }: { userId: string; mode: 'sent-code' | 'confirm-email'; channel: ContactChannel }) {
  const [requestCode] = useMutation(RequestStepUpCode, own);
  const [requestEmailCode] = useMutation(RequestEmailCode, own);
  const [stepUp] = useMutation(StepUp, own);
  const [verifyEmail] = useMutation(VerifyEmail, own);
  const key = `${userId}:${mode}:${channel}`;
  const sender = useCodeSender(async () => {
    const answer =
      mode === 'confirm-email'
        ? (await requestEmailCode()).data?.requestEmailVerification
        : (await requestCode({ variables: { input: { channel } } })).data?.requestStepUpCode;
    if (answer?.sentTo) lastSent = { key, sent: { sentTo: answer.sentTo, expiresAt: answer.expiresAt ?? null, count: 1 } };
    return answer;
  }, stillValid(key));
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current || sender.sent) return;
    asked.current = true;
    void sender.send();
  }, [sender]);

  const confirm = async (code: string) => {
    const variables = { input: { code } };
    const answer =
      mode === 'confirm-email' ? (await verifyEmail({ variables })).data?.verifyEmail : (await stepUp({ variables })).data?.stepUp;
    if (!answer) throw new Error(NETWORK_PROBLEM);
    if (answer.userErrors.length) return splitUserErrors(answer.userErrors, ['code']);
    lastSent = null;
    settleStepUp(true);
    return null;
  };

  return (
    <CodeEntry label={channel === 'SMS' ? 'Code from the text message' : 'Code from the email'} sender={sender} confirm={confirm}>
      <button type="button" onClick={() => settleStepUp(false)}>
        Cancel
      </button>
    </CodeEntry>
  );
}

function AuthenticatorCode() {
  const [stepUp] = useMutation(StepUp, own);
  const confirm = async (code: string) => {
    const answer = (await stepUp({ variables: { input: { code } } })).data?.stepUp;
    if (!answer) throw new Error(NETWORK_PROBLEM);
    if (!answer.validUntil) return splitUserErrors(answer.userErrors, ['code']);
    settleStepUp(true);
    return null;
  };
  return (
    <CodeEntry label="Code from your authenticator app" hint="Or one of your recovery codes." inputMode="text" confirm={confirm}>
      <button type="button" onClick={() => settleStepUp(false)}>
        Cancel
      </button>
    </CodeEntry>
  );
}

export default function StepUpDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const state = useQuery(StepUpState, { fetchPolicy: 'network-only' });
  const title = useId();
  const description = useId();
  const [channel, setChannel] = useState<ContactChannel | null>(null);

  const me = state.data?.me;
  const mode: Mode | null = !me
    ? null
    : me.mfaEnabled
      ? 'authenticator'
      : me.emailVerified || me.phoneVerified
        ? 'sent-code'
        : 'confirm-email';
  // The server's default: the email when it is confirmed, else the phone.
  const using: ContactChannel = mode === 'sent-code' ? (channel ?? (me?.emailVerified ? 'EMAIL' : 'SMS')) : 'EMAIL';
  const other: ContactChannel | null =
    mode === 'sent-code' && me?.emailVerified && me.phoneVerified ? (using === 'EMAIL' ? 'SMS' : 'EMAIL') : null;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const intro =
    mode === 'authenticator'
      ? 'To keep your money safe, this needs a code from your authenticator app. Enter the code it shows now, or one of your recovery codes.'
      : mode === 'sent-code'
        ? `To keep your money safe, this needs a code we send to your ${using === 'SMS' ? 'phone' : 'email'}. Enter it below and we will carry on.`
        : mode === 'confirm-email'
          ? 'To keep your money safe, this first needs your email address confirmed. Enter the code we send to it and we will carry on.'
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
      {mode === 'authenticator' && <AuthenticatorCode />}
      {me && (mode === 'sent-code' || mode === 'confirm-email') && <SentCode key={using} userId={me.id} mode={mode} channel={using} />}
      {other && (
        <p>
          <button type="button" className="link-button" onClick={() => setChannel(other)}>
            {other === 'SMS' ? 'Text the code to my phone instead' : 'Email the code to me instead'}
          </button>
        </p>
      )}
      {!mode && (
        <div className="actions">
          <button type="button" onClick={() => settleStepUp(false)}>
            Cancel
          </button>
        </div>
      )}
    </dialog>
  );
}
