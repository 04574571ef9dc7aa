// Messages at rest: a message waiting in notification_messages holds a one-time code or link and
// the address it goes to. Both are sealed with AES-256-GCM under a key derived (HKDF) from
// VAULT_FINGERPRINT_KEY, which the database never holds, bound to the message's id (a sealed
// message moved to another row does not open), and erased once the message is sent or given up.
// So a copy of the database holds no usable code, as the codes' keyed hashes intend.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Envelopes {
  seal(id: string, value: unknown): Buffer;
  open(id: string, sealed: Uint8Array): unknown;
}

export function createEnvelopes(fingerprintKey: Buffer): Envelopes {
  const key = Buffer.from(hkdfSync('sha256', fingerprintKey, Buffer.alloc(0), 'wallet notification envelopes v1', 32));
  return {
    seal(id, value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(id, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
    },
    open(id, sealed) {
      const bytes = Buffer.from(sealed);
      if (bytes[0] !== VERSION) throw new Error(`unknown envelope version ${bytes[0]}`);
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(id, 'utf8'));
      decipher.setAuthTag(tag);
      const text = Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      return JSON.parse(text);
    },
  };
}
