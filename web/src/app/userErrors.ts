// userErrors in words a person understands. The server's messages are written for people already;
// a few speak the API's language (idempotency keys, limit names, query names), and those codes get
// the app's own words here. Every screen shows userErrors through describeUserError (and forms.tsx).

export interface UserErrorLike {
  code: string;
  message: string;
  field?: readonly string[] | null;
}

const WORDS: Partial<Record<string, (error: UserErrorLike) => string>> = {
  IDEMPOTENCY_IN_PROGRESS: () =>
    'This payment is still being processed. Wait a moment, then check your activity before trying again: it will not be sent twice.',
  IDEMPOTENCY_KEY_REUSED: () => 'This payment changed after it was sent. Review it and send it again.',
  TRY_AGAIN: () => 'Other payments from your wallet were being made at the same moment. Nothing was sent: try again.',
  INVALID_AMOUNT: (e) => (/minor units/.test(e.message) ? 'Enter an amount above zero.' : e.message),
  INVALID_CREDENTIALS: () => 'That email and password do not match an account. Check them and try again.',
  INVALID_REFRESH_TOKEN: () => 'Your session has ended. Sign in again.',
  // Answered to the screen only when the person cancelled the step-up dialog (stepUp.ts).
  STEP_UP_REQUIRED: (e) =>
    /authenticator/.test(e.message)
      ? 'This needs a code from your authenticator app. Try again and enter it when asked.'
      : 'This needs a code we send to your email or phone. Try again and enter it when asked.',
  CONTACT_VERIFICATION_REQUIRED: () => 'This needs your email address confirmed first. Try again and enter the code we send you.',
  // "… ask for a new one with requestEmailVerification." → without the API's names.
  INVALID_CODE: (e) => e.message.replace(/ with [a-z][A-Za-z]+\./, '.').replace(/ \(requestPasswordReset\)/, ''),
  // resetPassword names its field: "newPassword must be at least 10 characters".
  WEAK_PASSWORD: (e) => e.message.replace(/^newPassword\b/, 'the password'),
  // resetPassword for an account with two-step sign-in, without a code yet.
  MFA_REQUIRED: () => 'Your account has two-step sign-in: enter a code from your authenticator app too.',
  PHONE_NOT_VERIFIED: () => 'Confirm your phone number on your profile first.',
  // "Over your daily send limit (DAILY_SEND): … See myLimits." → without the API's names.
  LIMIT_EXCEEDED: (e) =>
    e.message
      .replace(/\s*\([A-Z_]+\)/g, '')
      .replace(/\s*See myLimits\.?/, '')
      .replace(/\s*\(submitKyc\)/, '')
      .trim(),
};

export function describeUserError(error: UserErrorLike): string {
  return WORDS[error.code]?.(error) ?? error.message;
}

/** The input field a userError is about: ["input", "recipient", "email"] → "recipient.email". */
export function fieldOf(error: UserErrorLike): string | null {
  if (!error.field?.length) return null;
  const path = error.field[0] === 'input' ? error.field.slice(1) : error.field;
  return path.length ? path.join('.') : null;
}

export interface SplitErrors {
  /** Message per input field ("email", "amount.amount", …), for the form to show beside it. */
  byField: Record<string, string>;
  /** Errors about no field (or a field this form does not show). */
  general: string[];
}

/** Splits userErrors into those shown beside a field of this form (`shown`) and the rest. */
export function splitUserErrors(errors: readonly UserErrorLike[], shown: readonly string[]): SplitErrors {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const error of errors) {
    const field = fieldOf(error);
    const target = field && shown.find((name) => field === name || field.startsWith(`${name}.`));
    const words = describeUserError(error);
    // Beside its field, "password is too short" reads as a sentence: "Password is too short".
    if (target && !(target in byField)) byField[target] = words.charAt(0).toUpperCase() + words.slice(1);
    else general.push(words);
  }
  return { byField, general };
}
