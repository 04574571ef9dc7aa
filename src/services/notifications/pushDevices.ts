// The devices a user's pushes go to: an app registers the token its platform's push service gave
// it. A token belongs to one device, so registering it again (another user signed in on the same
// phone) moves it: pushes never reach a device for an account no longer on it.
import { z } from 'zod';
import type { Sql } from '../../db/sql.js';
import { parseInput, success, type Outcome } from '../errors.js';
import { PUSH_PLATFORMS, type PushPlatform } from './notices.js';

export interface PushDevice {
  id: string;
  platform: PushPlatform;
  /** The token's last characters only: enough to tell devices apart, not to push to one. */
  tokenHint: string;
  createdAt: Date;
}

/** A user has few devices; a bound keeps a bug or an attacker from growing the fan-out of every notification. */
export const MAX_PUSH_DEVICES = 10;

const registration = z.object({
  platform: z.enum(PUSH_PLATFORMS),
  token: z
    .string()
    .trim()
    .min(8, 'a push token has at least 8 characters')
    .max(4096, 'a push token has at most 4096 characters')
    .regex(/^[\x21-\x7e]+$/, 'a push token is printable ASCII without spaces'),
});

export interface PushDeviceService {
  list(userId: string): Promise<PushDevice[]>;
  /** One of the user's devices (null when it is not theirs). */
  get(userId: string, deviceId: string): Promise<PushDevice | null>;
  register(userId: string, input: { platform: string; token: string }): Promise<Outcome<PushDevice>>;
  /** Removes one of the user's devices; false when it is not theirs. */
  remove(userId: string, deviceId: string): Promise<boolean>;
}

interface Row {
  id: string;
  platform: PushPlatform;
  token: string;
  created_at: Date;
}

const toDevice = (r: Row): PushDevice => ({ id: r.id, platform: r.platform, tokenHint: `…${r.token.slice(-6)}`, createdAt: r.created_at });

export function createPushDevices(sql: Sql): PushDeviceService {
  return {
    async list(userId) {
      const rows = await sql.query<Row>(
        'SELECT id::text, platform, token, created_at FROM push_devices WHERE user_id = $1::uuid ORDER BY created_at',
        [userId],
      );
      return rows.map(toDevice);
    },

    async get(userId, deviceId) {
      const [row] = await sql.query<Row>(
        'SELECT id::text, platform, token, created_at FROM push_devices WHERE id = $1::uuid AND user_id = $2::uuid',
        [deviceId, userId],
      );
      return row ? toDevice(row) : null;
    },

    async register(userId, input) {
      const parsed = parseInput(registration, input);
      if (!parsed.ok) return parsed;
      const { platform, token } = parsed.value;
      // One statement: the token (re)assigned to this user, then the user's oldest devices beyond the bound dropped.
      const [row] = await sql.query<Row>(
        `WITH saved AS (
           INSERT INTO push_devices (user_id, platform, token) VALUES ($1::uuid, $2, $3)
           ON CONFLICT (token) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform, created_at = now()
           RETURNING id, platform, token, created_at
         ), dropped AS (
           DELETE FROM push_devices WHERE id IN (
             SELECT id FROM push_devices WHERE user_id = $1::uuid AND token <> $3 ORDER BY created_at DESC OFFSET $4)
         )
         SELECT id::text, platform, token, created_at FROM saved`,
        [userId, platform, token, MAX_PUSH_DEVICES - 1],
      );
      return success(toDevice(row!));
    },

    async remove(userId, deviceId) {
      const rows = await sql.query('DELETE FROM push_devices WHERE id = $1::uuid AND user_id = $2::uuid RETURNING 1', [deviceId, userId]);
      return rows.length > 0;
    },
  };
}
