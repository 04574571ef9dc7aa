// The API's IDs are base64 of "Type:uuid"; tests take them apart (and put them together) here.
import { expect } from 'vitest';

/** The uuid inside a global ID; with `type`, also checks the ID is of that type. */
export function decodeId(globalId: string, type?: string): string {
  const [kind, id] = Buffer.from(globalId, 'base64').toString('utf8').split(':');
  if (type) expect(kind).toBe(type);
  return id!;
}

/** A global ID of `type` for `id`, as the API makes them. */
export { globalId as encodeId } from '../../src/services/ids.js';
