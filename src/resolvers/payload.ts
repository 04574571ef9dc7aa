// Turns a service Outcome into a mutation payload: the value's fields, or userErrors.
import type { Outcome, UserError } from '../services/errors.js';

export function payload<T, P extends object>(
  outcome: Outcome<T>,
  map: (value: T) => P,
): (P & { userErrors: UserError[] }) | { userErrors: UserError[]; replayed?: boolean } {
  if (outcome.ok) return { ...map(outcome.value), userErrors: [] };
  return outcome.replayed === undefined ? { userErrors: outcome.errors } : { userErrors: outcome.errors, replayed: outcome.replayed };
}
