// The pieces every form of the app is made of, so a new screen (add money, withdraw, KYC, a
// merchant's payment request) is its fields and one mutation:
//
//   <Section>                  a card of a screen named by its heading (aria-labelledby)
//   <Form>                     checked by the app, not the browser; submitting never loads a page
//   <TextField>/<SelectField>  a labelled input with its hint and its error beside it (aria-invalid,
//                              aria-describedby), so screen readers read the error with the field
//   <FormProblems>             errors about no one field, announced (role="alert")
//   <SubmitButton>             disabled while the request is in flight, with a busy label
//   NO_ERRORS, problem()       a form's errors: none, or one about the whole form
//   useAttempt()               one idempotency key per attempt, kept across retries of it until answered
//   useSubmitOnce()            runs one submission at a time: a double click sends once
import { type ReactNode, useCallback, useId, useMemo, useRef, useState } from 'react';
import type { SplitErrors } from './userErrors';

/** A form's errors when there are none. */
export const NO_ERRORS: SplitErrors = { byField: {}, general: [] };

/** A form's errors when one problem concerns the whole form (no answer from the server, say). */
export const problem = (message: string): SplitErrors => ({ byField: {}, general: [message] });

/** A card of a screen with the heading that names it, so the section is listed by its title. */
export function Section({ title, className, children }: { title: ReactNode; className?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className={className ? `card ${className}` : 'card'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * A form the app checks itself (noValidate: errors are shown beside their fields in its words, not
 * the browser's bubbles); submitting calls `onSubmit` with the form element instead of loading a page.
 */
export function Form({
  onSubmit,
  children,
  ...form
}: { onSubmit: (form: HTMLFormElement) => void; children: ReactNode } & Omit<
  React.FormHTMLAttributes<HTMLFormElement>,
  'onSubmit' | 'noValidate' | 'children'
>) {
  return (
    <form
      noValidate
      {...form}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(event.currentTarget);
      }}
    >
      {children}
    </form>
  );
}

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  /** Read the error out as it appears (role="alert"): for a field that stays focused or in a dialog, where nothing else moves. */
  announceError?: boolean;
}

function describedBy(ids: Record<string, boolean>): string | undefined {
  const list = Object.entries(ids)
    .filter(([, on]) => on)
    .map(([id]) => id);
  return list.length ? list.join(' ') : undefined;
}

export function TextField({
  label,
  error,
  hint,
  announceError,
  ...input
}: FieldProps & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ [`${id}-hint`]: !!hint, [`${id}-error`]: !!error })}
        {...input}
      />
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role={announceError ? 'alert' : undefined}>
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  announceError: _announce,
  children,
  ...select
}: FieldProps & Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-invalid' | 'aria-describedby'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ [`${id}-hint`]: !!hint, [`${id}-error`]: !!error })}
        {...select}
      >
        {children}
      </select>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Errors about the whole form, read out when they appear. */
export function FormProblems({ messages }: { messages: readonly string[] }) {
  if (!messages.length) return null;
  return (
    <div className="form-problems" role="alert">
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

export function SubmitButton({
  busy,
  busyLabel,
  children,
  ...button
}: { busy: boolean; busyLabel: string } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button type="submit" className="primary" {...button} disabled={busy || button.disabled} aria-busy={busy || undefined}>
      {busy ? busyLabel : children}
    </button>
  );
}

/**
 * One idempotency key per attempt at a money movement (send, pay, top up, withdraw, refund): the
 * same key for every retry of the attempt while it has had no answer (a timeout, a lost answer, a
 * second click), so the server moves the money once; a new key once the server has answered (done,
 * or refused: a refusal is stored under its key too) or when what is sent changes.
 */
export function useAttempt<T>(): { keyFor: (request: T) => string; answered: () => void } {
  const attempt = useRef<{ request: string; key: string; answered: boolean } | null>(null);
  return useMemo(
    () => ({
      keyFor(request: T): string {
        const same = JSON.stringify(request);
        if (!attempt.current || attempt.current.answered || attempt.current.request !== same) {
          attempt.current = { request: same, key: crypto.randomUUID(), answered: false };
        }
        return attempt.current.key;
      },
      answered() {
        if (attempt.current) attempt.current.answered = true;
      },
    }),
    [],
  );
}

/**
 * Runs `submit` unless one is already running: the guard is a ref, set before React re-renders,
 * so two clicks in the same frame still make one request. `busy` is for the button.
 */
export function useSubmitOnce<A extends unknown[]>(
  submit: (...args: A) => Promise<void>,
): { run: (...args: A) => Promise<void>; busy: boolean } {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (...args: A) => {
      if (running.current) return;
      running.current = true;
      setBusy(true);
      try {
        await submit(...args);
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [submit],
  );
  return { run, busy };
}

/** What to say when a request got no answer: nothing can be assumed about what the server did. */
export const NETWORK_PROBLEM = 'We could not reach the server. Check your connection and try again.';
