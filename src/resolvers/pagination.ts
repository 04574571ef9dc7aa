// Relay connection arguments → a bounded PageRequest, and a service Page → a connection.
import { badUserInput } from '../services/errors.js';
import { decodeCursor, type Page, type PageRequest } from '../services/pagination.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** `isCursor` says whether a cursor belongs to the list (time/id cursors by default). */
export function pageRequest(args: ConnectionArgs, isCursor: (c: string) => boolean = (c) => decodeCursor(c) !== null): PageRequest {
  const { first, last, after, before } = args;
  if (first != null && last != null) throw badUserInput('Pass either first or last, not both.', 'first');
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value != null && (value < 1 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(`${name} must be between 1 and ${MAX_PAGE_SIZE}.`, name);
    }
  }
  for (const [name, value] of [
    ['after', after],
    ['before', before],
  ] as const) {
    if (value != null && !isCursor(value)) throw badUserInput(`${name} is not a cursor from this list.`, name);
  }
  const backward = last != null || (before != null && first == null);
  if (backward && after != null) throw badUserInput('after goes with first; use before with last.', 'after');
  if (!backward && before != null) throw badUserInput('before goes with last; use after with first.', 'before');
  return {
    limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    after: after ?? undefined,
    before: before ?? undefined,
    backward,
  };
}

export function toConnection<T>(page: Page<T>) {
  return {
    edges: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.items[0]?.cursor ?? null,
      endCursor: page.items.at(-1)?.cursor ?? null,
    },
  };
}
