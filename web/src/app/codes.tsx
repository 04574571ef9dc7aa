// One-time codes we send (confirming an email or a phone, step-up for accounts without an
// authenticator app), the one way the app asks for them: the profile, the verification screen and
// the step-up dialog all use useCodeSender and CodeEntry.
//
// - Where a code went, in the server's partly hidden form: "We sent a code to a•••@example.com.
//   It works once, for the next 10 minutes." (announced: role="status"; it is also the field's
//   description, so a screen reader reads it with the field).
// - "Send a new code" asks again (the new code replaces the old one). The server throttles sends
//   per address and per IP (CODE_SENDS_PER_ADDRESS …): its RATE_LIMITED answer says how long to
//   wait, shown in words ("You can ask for a new one in 12 minutes.") with the button off until then.
// - A wrong code is shown beside the field and read out (role="alert": the field keeps focus).
import { type ReactNode, useEffect, useState } from 'react';
import { Form, FormProblems, NETWORK_PROBLEM, NO_ERRORS, SubmitButton, TextField, useSubmitOnce } from './forms';
import { describeUserError, type SplitErrors, type UserErrorLike } from './userErrors';
import { sendRefusal } from './waits';

/** What the mutations that send a code answer (CodeSentPayload). */
export interface CodeSentAnswer {
  sentTo?: string | null;
  expiresAt?: string | null;
  userErrors: readonly UserErrorLike[];
}

export interface CodeSent {
  /** Partly hidden: "a•••@example.com", "••••••••0123". */
  sentTo: string;
  expiresAt: string | null;
  /** How many codes this screen has sent: the second one is "a new code". */
  count: number;
}

/** "We sent a code to a•••@example.com. It works once, for the next 10 minutes." */
export function sentWords(sent: CodeSent): string {
  const minutes = sent.expiresAt ? Math.round((Date.parse(sent.expiresAt) - Date.now()) / 60_000) : 0;
  const lasts = minutes >= 1 ? ` It works once, for the next ${minutes === 1 ? 'minute' : `${minutes} minutes`}.` : ' It works once.';
  return `We sent ${sent.count > 1 ? 'a new code' : 'a code'} to ${sent.sentTo}.${lasts}`;
}

export interface CodeSender {
  sent: CodeSent | null;
  /** Why the last send did not happen, in words. */
  problem: string | null;
  sending: boolean;
  /** Throttled: "Send a new code" is off until the server's wait is over. */
  waiting: boolean;
  send: () => Promise<void>;
}

/** Sends a code with `request` (when asked), and keeps where it went, the server's refusal, and its wait. */
export function useCodeSender(request: () => Promise<CodeSentAnswer | undefined>, initial: CodeSent | null = null): CodeSender {
  const [sent, setSent] = useState<CodeSent | null>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  useEffect(() => {
    if (waitUntil === null) return;
    const timer = setTimeout(() => setWaitUntil(null), Math.max(0, waitUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [waitUntil]);
  const send = useSubmitOnce(async () => {
    setProblem(null);
    try {
      const answer = await request();
      if (answer?.sentTo) {
        const { sentTo, expiresAt } = answer;
        setSent((before) => ({ sentTo, expiresAt: expiresAt ?? null, count: (before?.count ?? 0) + 1 }));
      } else setProblem((answer?.userErrors ?? []).map(describeUserError).join(' ') || NETWORK_PROBLEM);
    } catch (err) {
      const refusal = sendRefusal(err, NETWORK_PROBLEM);
      setProblem(refusal.message);
      if (refusal.retryAfterSeconds) setWaitUntil(Date.now() + refusal.retryAfterSeconds * 1000);
    }
  });
  return { sent, problem, sending: send.busy, waiting: waitUntil !== null, send: send.run };
}

/**
 * The code's field with Confirm and "Send a new code" (when there is a sender). `confirm` answers
 * the errors to show (by field `code`, or general), or null when the code was accepted.
 */
export function CodeEntry({
  label,
  hint,
  sender,
  confirm,
  confirmLabel = 'Confirm',
  autoFocus = true,
  inputMode = 'numeric',
  children,
}: {
  label: string;
  /** Shown under the field when no code was sent (an authenticator's code). */
  hint?: string;
  sender?: CodeSender;
  confirm: (code: string) => Promise<SplitErrors | null>;
  confirmLabel?: string;
  autoFocus?: boolean;
  inputMode?: 'numeric' | 'text';
  /** More buttons after Confirm and "Send a new code" (the dialog's Cancel). */
  children?: ReactNode;
}) {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const submit = useSubmitOnce(async () => {
    if (!code.trim()) return setErrors({ ...NO_ERRORS, byField: { code: 'Enter the code.' } });
    try {
      const refused = await confirm(code.trim());
      setErrors(refused ?? NO_ERRORS);
      if (!refused) setCode('');
    } catch {
      setErrors({ ...NO_ERRORS, general: [NETWORK_PROBLEM] });
    }
  });
  const sent = sender?.sent;
  const status = sender?.sending && !sent ? 'Sending you a code…' : sent ? sentWords(sent) : undefined;
  return (
    <Form onSubmit={() => void submit.run()}>
      <TextField
        label={label}
        inputMode={inputMode}
        autoComplete="one-time-code"
        autoFocus={autoFocus}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        hint={
          status ? (
            <span role="status" data-testid="code-sent">
              {status}
            </span>
          ) : (
            hint
          )
        }
        error={errors.byField.code}
        announceError
      />
      <FormProblems messages={[...errors.general, ...(sender?.problem ? [sender.problem] : [])]} />
      <div className="actions">
        <SubmitButton busy={submit.busy} busyLabel="Checking…">
          {confirmLabel}
        </SubmitButton>
        {sender && (
          <button type="button" disabled={sender.sending || sender.waiting} onClick={() => void sender.send()}>
            {sender.sending ? 'Sending…' : 'Send a new code'}
          </button>
        )}
        {children}
      </div>
    </Form>
  );
}
