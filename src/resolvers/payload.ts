// Turns a service Outcome into a mutation payload: the value's fields, or userErrors.
import type { Outcome, UserError } from '../services/errors.js';

export function payload<T, P extends object>(
  outcome: Outcome<T>,
  map: (value: T) => P,
): (P & { userErrors: UserError[] }) | { userErrors: UserError[] } {
  return outcome.ok ? { ...map(outcome.value), userErrors: [] } : { userErrors: outcome.errors };
}
