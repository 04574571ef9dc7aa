// The wallet app's pure helpers (web/src/app/): amounts checked against their currency's exponent,
// the app's table of exponents against the server's currencies, userErrors in people's words, and
// the step-up link sending a refused mutation again, unchanged, once the person has stepped up, and
// the server's throttling of sent codes in words.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { of } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../src/projectRoot.js';
import { currencyExponent } from '../../src/services/money/money.js';
import { CURRENCY_EXPONENTS, checkAmount, exponentOf } from '../../web/src/app/money.js';
import { needsStepUp, settleStepUp, stepUpLink, stepUpPrompt } from '../../web/src/app/stepUp.js';
import { describeUserError, splitUserErrors } from '../../web/src/app/userErrors.js';
import { sendRefusal, waitInWords } from '../../web/src/app/waits.js';

describe('checkAmount', () => {
  it.each([
    ['12.50', 'USD', { ok: true, amount: '12.50' }],
    ['12.5', 'USD', { ok: true, amount: '12.5' }],
    [' 7 ', 'USD', { ok: true, amount: '7' }],
    ['5.', 'USD', { ok: true, amount: '5' }],
    ['+3', 'USD', { ok: true, amount: '3' }],
    ['007.10', 'USD', { ok: true, amount: '7.10' }],
    ['.5', 'USD', { ok: true, amount: '0.5' }],
    ['1200', 'JPY', { ok: true, amount: '1200' }],
    ['1.250', 'KWD', { ok: true, amount: '1.250' }],
    ['1.234', 'USD', { ok: false, message: 'USD allows at most 2 decimals.' }],
    ['1.5', 'JPY', { ok: false, message: 'JPY has no decimals: enter a whole amount.' }],
    ['1.2345', 'KWD', { ok: false, message: 'KWD allows at most 3 decimals.' }],
    ['', 'USD', { ok: false, message: 'Enter an amount.' }],
    ['0', 'USD', { ok: false, message: 'Enter an amount above zero.' }],
    ['0.00', 'USD', { ok: false, message: 'Enter an amount above zero.' }],
    ['-5', 'USD', { ok: false, message: 'Enter the amount in digits, e.g. 12.50.' }],
    ['1e3', 'USD', { ok: false, message: 'Enter the amount in digits, e.g. 12.50.' }],
    ['.', 'USD', { ok: false, message: 'Enter an amount.' }],
    ['1,250.00', 'USD', { ok: false, message: 'Use a dot for decimals and no thousands separators, e.g. 1250.50.' }],
  ])('%j in %s', (input, currency, expected) => {
    expect(checkAmount(input, currency)).toEqual(expected);
  });

  it('takes the exponent from an amount the server sent in that currency', () => {
    expect(exponentOf('XYZ', '1.250')).toBe(3);
    expect(exponentOf('USD', '10')).toBe(0);
    expect(exponentOf('USD')).toBe(2);
    expect(checkAmount('1.5', 'XYZ', exponentOf('XYZ', '0'))).toEqual({ ok: false, message: 'XYZ has no decimals: enter a whole amount.' });
  });
});

describe("the app's currency table", () => {
  it("is the server's currencies table, with the server's exponents", () => {
    const sql = readFileSync(path.join(PROJECT_ROOT, 'prisma/migrations/20261126010000_ledger/migration.sql'), 'utf8');
    const rows = [...sql.matchAll(/\('([A-Z]{3})', (\d), '[^']+'\)/g)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(rows.length).toBeGreaterThan(5);
    expect(CURRENCY_EXPONENTS).toEqual(Object.fromEntries(rows));
    for (const [code, exponent] of rows) expect(currencyExponent(code)).toBe(exponent);
  });
});

describe('userErrors for people', () => {
  it('puts each error beside the field it names, and the rest above the form', () => {
    const split = splitUserErrors(
      [
        { code: 'INSUFFICIENT_FUNDS', message: 'Not enough money in your wallet for this transfer.', field: ['input', 'amount'] },
        {
          code: 'RECIPIENT_NOT_FOUND',
          message: 'No one with that email, phone or wallet was found.',
          field: ['input', 'recipient', 'email'],
        },
        { code: 'INVALID_PHONE', message: 'phone must be a valid phone number', field: ['input', 'phone'] },
        { code: 'TRY_AGAIN', message: 'Other payments … Try again.', field: null },
      ],
      ['amount', 'recipient', 'phone'],
    );
    expect(split.byField).toEqual({
      amount: 'Not enough money in your wallet for this transfer.',
      recipient: 'No one with that email, phone or wallet was found.',
      phone: 'Phone must be a valid phone number',
    });
    expect(split.general).toEqual(['Other payments from your wallet were being made at the same moment. Nothing was sent: try again.']);
  });

  it("drops the API's names from limit messages and keeps the server's words otherwise", () => {
    expect(
      describeUserError({
        code: 'LIMIT_EXCEEDED',
        message: 'Over your daily send limit (DAILY_SEND): you can send 20.00 more today; it resets at 2026-12-05 00:00 UTC.',
      }),
    ).toBe('Over your daily send limit: you can send 20.00 more today; it resets at 2026-12-05 00:00 UTC.');
    expect(describeUserError({ code: 'SELF_TRANSFER', message: 'You cannot send money to the same wallet.' })).toBe(
      'You cannot send money to the same wallet.',
    );
    expect(describeUserError({ code: 'IDEMPOTENCY_IN_PROGRESS', message: 'A request with this idempotency key …' })).not.toMatch(
      /idempotency/i,
    );
  });
});

describe('step-up (web/src/app/stepUp.ts)', () => {
  const refused = { data: { withdraw: { funding: null, userErrors: [{ code: 'STEP_UP_REQUIRED', message: 'Confirm it is you' }] } } };
  const done = { data: { withdraw: { funding: { id: 'f1' }, userErrors: [] } } };

  it('recognises a refusal for want of a second factor in any field of an answer', () => {
    expect(needsStepUp(refused.data)).toBe(true);
    expect(needsStepUp({ other: null, ...refused.data })).toBe(true);
    expect(needsStepUp(done.data)).toBe(false);
    expect(needsStepUp({ withdraw: { userErrors: [{ code: 'INSUFFICIENT_FUNDS' }] } })).toBe(false);
    // No second factor to prove at all (no MFA, no confirmed contact): the dialog confirms the email.
    expect(needsStepUp({ addCard: { userErrors: [{ code: 'CONTACT_VERIFICATION_REQUIRED' }] } })).toBe(true);
    expect(needsStepUp(null)).toBe(false);
  });

  /** Runs a mutation through the link with `answers` from the server, in turn; returns what the screen gets and what was sent. */
  function mutate(answers: object[]) {
    const sent: unknown[] = [];
    const operation = { operationType: 'mutation', variables: { input: { idempotencyKey: 'k1', amount: '5.00' } } };
    const forward = ((op: typeof operation) => {
      sent.push(structuredClone(op.variables));
      return of(answers.shift()!);
    }) as unknown as ApolloLink.ForwardFunction;
    const received: unknown[] = [];
    const finished = new Promise<void>((resolve, reject) =>
      stepUpLink.request(operation as unknown as ApolloLink.Operation, forward).subscribe({
        next: (r) => received.push(r),
        error: reject,
        complete: resolve,
      }),
    );
    return { sent, received, finished };
  }

  it('sends the same request again once stepped up: the same variables, so the same idempotency key', async () => {
    const run = mutate([refused, done]);
    await vi.waitFor(() => expect(stepUpPrompt.isOpen()).toBe(true));
    settleStepUp(true);
    await run.finished;
    expect(run.received).toEqual([done]);
    expect(run.sent).toEqual([{ input: { idempotencyKey: 'k1', amount: '5.00' } }, { input: { idempotencyKey: 'k1', amount: '5.00' } }]);
    expect(stepUpPrompt.isOpen()).toBe(false);
  });

  it("lets the dialog's own requests through untouched (context skipStepUp)", async () => {
    const operation = { operationType: 'mutation', variables: {}, getContext: () => ({ skipStepUp: true }) };
    const received: unknown[] = [];
    await new Promise<void>((resolve, reject) =>
      stepUpLink
        .request(operation as unknown as ApolloLink.Operation, (() => of(refused)) as unknown as ApolloLink.ForwardFunction)
        .subscribe({ next: (r) => received.push(r), error: reject, complete: resolve }),
    );
    expect(received).toEqual([refused]);
    expect(stepUpPrompt.isOpen()).toBe(false);
  });

  it('answers the refusal when the person cancels, and asks once for requests refused together', async () => {
    const first = mutate([refused]);
    const second = mutate([refused]);
    await vi.waitFor(() => expect(stepUpPrompt.isOpen()).toBe(true));
    settleStepUp(false);
    await Promise.all([first.finished, second.finished]);
    expect(first.received).toEqual([refused]);
    expect(second.received).toEqual([refused]);
    expect(first.sent).toHaveLength(1);
  });
});

describe('the throttling of sent codes in words (web/src/app/waits.ts)', () => {
  it('says a wait as a person would', () => {
    expect([1, 45, 60, 61, 599, 600, 3599, 3600, 3601, 7200].map(waitInWords)).toEqual([
      '1 second',
      '45 seconds',
      'a minute',
      '2 minutes',
      '10 minutes',
      '10 minutes',
      'an hour',
      'an hour',
      '2 hours',
      '2 hours',
    ]);
  });
  it("reads RATE_LIMITED's retryAfterSeconds; other errors keep their words; no answer is the caller's", () => {
    const limited = new CombinedGraphQLErrors({
      errors: [
        { message: 'Too many codes asked for. Try again in 754 seconds.', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 754 } },
      ],
    });
    expect(sendRefusal(limited, 'offline')).toEqual({
      message: 'You have asked for several codes in a short time. You can ask for a new one in 13 minutes.',
      retryAfterSeconds: 754,
    });
    const other = new CombinedGraphQLErrors({ errors: [{ message: 'Sign in required.', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(sendRefusal(other, 'offline')).toEqual({ message: 'Sign in required.', retryAfterSeconds: null });
    expect(sendRefusal(new TypeError('Failed to fetch'), 'offline')).toEqual({ message: 'offline', retryAfterSeconds: null });
  });
});
