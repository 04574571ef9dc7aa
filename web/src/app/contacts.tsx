// Confirming the account's email address or phone number with a code we send
// (requestEmailVerification / requestPhoneVerification, then verifyEmail / verifyPhone): on the
// profile, and on the verification screen for the phone that tier 1 needs. The code's field, the
// sending and the server's throttling are codes.tsx's, as in the step-up dialog. Confirming
// answers the user with its new state, which lands in Apollo's cache by id: every screen showing
// it turns to "confirmed" at once.
import { useMutation } from '@apollo/client/react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { graphql } from '../gql';
import { CodeEntry, useCodeSender } from './codes';
import { NETWORK_PROBLEM } from './forms';
import { splitUserErrors } from './userErrors';

/** Also the step-up dialog's, for an account with no confirmed contact yet (confirming the email proves the same). */
export const RequestEmailCode = graphql(`
  mutation ContactRequestEmailCode { requestEmailVerification { sentTo expiresAt channel userErrors { code message field } } }
`);
const RequestPhoneCode = graphql(`
  mutation ContactRequestPhoneCode { requestPhoneVerification { sentTo expiresAt channel userErrors { code message field } } }
`);
export const VerifyEmail = graphql(`
  mutation ContactVerifyEmail($input: VerifyContactInput!) {
    verifyEmail(input: $input) { user { id emailVerified } userErrors { code message field } }
  }
`);
const VerifyPhone = graphql(`
  mutation ContactVerifyPhone($input: VerifyContactInput!) {
    verifyPhone(input: $input) { user { id phoneVerified } userErrors { code message field } }
  }
`);

export type Channel = 'EMAIL' | 'SMS';
const NOUN: Record<Channel, string> = { EMAIL: 'email address', SMS: 'phone number' };

function Confirming({ channel }: { channel: Channel }) {
  const [requestEmail] = useMutation(RequestEmailCode);
  const [requestPhone] = useMutation(RequestPhoneCode);
  const [verifyEmail] = useMutation(VerifyEmail);
  const [verifyPhone] = useMutation(VerifyPhone);
  const sender = useCodeSender(async () =>
    channel === 'EMAIL' ? (await requestEmail()).data?.requestEmailVerification : (await requestPhone()).data?.requestPhoneVerification,
  );
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    void sender.send();
  }, [sender]);
  const confirm = async (code: string) => {
    const variables = { input: { code } };
    const answer =
      channel === 'EMAIL' ? (await verifyEmail({ variables })).data?.verifyEmail : (await verifyPhone({ variables })).data?.verifyPhone;
    if (!answer) throw new Error(NETWORK_PROBLEM);
    return answer.user ? null : splitUserErrors(answer.userErrors, ['code']);
  };
  return <CodeEntry label={channel === 'EMAIL' ? 'Code from the email' : 'Code from the text message'} sender={sender} confirm={confirm} />;
}

/**
 * Whether the email or phone is confirmed and, if not, a button that sends a code ("Email me a
 * code", "Text me a code") and then the code's field. Once confirmed, focus moves to the words
 * saying so (the field it was on is gone), followed by `then` (a link onwards).
 */
export function ConfirmContact({ channel, verified, then }: { channel: Channel; verified: boolean; then?: ReactNode }) {
  const [started, setStarted] = useState(false);
  const done = useRef<HTMLParagraphElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (verified && wasConfirming.current) done.current?.focus();
    wasConfirming.current = !verified && started;
  }, [verified, started]);
  const testId = channel === 'EMAIL' ? 'email' : 'phone';

  if (verified) {
    return (
      <p className="success" role="status" tabIndex={-1} ref={done} data-testid={`${testId}-confirmed`}>
        Your {NOUN[channel]} is confirmed. {then}
      </p>
    );
  }
  if (!started) {
    return (
      <p data-testid={`${testId}-unconfirmed`}>
        Your {NOUN[channel]} is not confirmed yet.{' '}
        <button type="button" onClick={() => setStarted(true)}>
          {channel === 'EMAIL' ? 'Email me a code' : 'Text me a code'}
        </button>
      </p>
    );
  }
  return <Confirming channel={channel} />;
}
