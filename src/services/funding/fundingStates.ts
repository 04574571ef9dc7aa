// The deposit state machine: which step a processor's event causes from each state. Events may
// arrive twice, late or out of order, so every pair has an answer, and only these move money:
//
//   from \ event   pending   succeeded   failed    disputed / returned
//   PENDING        -         post        fail      post, then reverse
//   SUCCEEDED      -         -           reverse   reverse
//   FAILED         -         -           -         -
//   REVERSED       -         -           -         -
//
// "failed" after "succeeded" is a reversal, never an edit of what was posted; a late "pending"
// changes nothing; a "succeeded" after "failed" is ignored (the processor's final answer was
// given) and left to reconciliation.

export type FundingStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'REVERSED';
export type Step = 'post' | 'fail' | 'reverse' | 'post-and-reverse' | 'ignore' | 'unmatched';

const TABLE: Record<FundingStatus, Partial<Record<string, Step>>> = {
  PENDING: { succeeded: 'post', failed: 'fail', disputed: 'post-and-reverse', returned: 'post-and-reverse' },
  SUCCEEDED: { failed: 'reverse', disputed: 'reverse', returned: 'reverse' },
  FAILED: {},
  REVERSED: {},
};

/** `eventType` is "<object>.<outcome>", e.g. charge.succeeded or debit.returned. */
export function stepFor(status: FundingStatus, eventType: string): Step {
  const outcome = eventType.split('.')[1] ?? '';
  return TABLE[status][outcome] ?? 'ignore';
}
