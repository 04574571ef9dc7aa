// Step-up, once for the whole app: the risky mutations (withdraw, adding a card or bank account,
// API keys, email, phone and password changes, turning two-step sign-in off) answer the userError
// STEP_UP_REQUIRED when the session has not proved the second factor lately, or
// CONTACT_VERIFICATION_REQUIRED for an account with neither two-step sign-in nor a confirmed email
// or phone to send a code to (docs/security.md). The link below sees either answer on any
// mutation, asks the person for a code (the shell shows StepUpDialog while `stepUpPrompt` is open:
// an authenticator code, a code we send, or the code that confirms their email), and then sends
// the very same request again: the same variables, so a money movement keeps its idempotency key
// and moves money once. Cancelled, the screen gets the first answer and shows it in words. The
// screen's own request is simply slower: its button stays busy while the dialog is open. The
// dialog's own requests say `skipStepUp` in their context, so they never wait on the dialog.
import { ApolloLink } from '@apollo/client';
import { OperationTypeNode } from 'graphql';
import { Observable, type Subscription } from 'rxjs';

type Listener = () => void;

let asking: { answer: Promise<boolean>; settle: (steppedUp: boolean) => void } | null = null;
const listeners = new Set<Listener>();
const changed = () => {
  for (const listener of listeners) listener();
};

/** Opens the dialog (or joins the one open): true once the person has stepped up, false if they cancelled. */
export function askForStepUp(): Promise<boolean> {
  if (!asking) {
    let settle!: (steppedUp: boolean) => void;
    const answer = new Promise<boolean>((resolve) => (settle = resolve));
    asking = { answer, settle };
    changed();
  }
  return asking.answer;
}

/** The dialog's outcome: every request waiting on it is sent again (true) or answered as it was (false). */
export function settleStepUp(steppedUp: boolean): void {
  const current = asking;
  asking = null;
  current?.settle(steppedUp);
  changed();
}

export const stepUpPrompt = {
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  isOpen: (): boolean => asking !== null,
};

const STEP_UP_CODES = new Set(['STEP_UP_REQUIRED', 'CONTACT_VERIFICATION_REQUIRED']);

/** Whether any field of a mutation's answer is refused for want of a recent second factor (or of a contact to prove it with). */
export function needsStepUp(data: unknown): boolean {
  if (!data || typeof data !== 'object') return false;
  return Object.values(data).some((payload) => {
    const errors = (payload as { userErrors?: unknown } | null)?.userErrors;
    return Array.isArray(errors) && errors.some((e) => STEP_UP_CODES.has((e as { code?: string } | null)?.code ?? ''));
  });
}

/** Sends a mutation refused with STEP_UP_REQUIRED again, unchanged, once the person has stepped up. */
export const stepUpLink = new ApolloLink((operation, forward) => {
  if (operation.operationType !== OperationTypeNode.MUTATION || operation.getContext?.().skipStepUp) return forward(operation);
  return new Observable((observer) => {
    let current: Subscription | undefined;
    let closed = false;
    const send = () => {
      let waiting = false;
      current = forward(operation).subscribe({
        next(result) {
          if (!needsStepUp(result.data)) return observer.next(result);
          waiting = true;
          void askForStepUp().then((steppedUp) => {
            if (closed) return;
            if (steppedUp) return send();
            observer.next(result);
            observer.complete();
          });
        },
        error: (err) => observer.error(err),
        complete: () => {
          if (!waiting) observer.complete();
        },
      });
    };
    send();
    return () => {
      closed = true;
      current?.unsubscribe();
    };
  });
});
