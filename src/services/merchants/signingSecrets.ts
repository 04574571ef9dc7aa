// A merchant's webhook signing secret is made here, by both the merchant service (the first one,
// at registration) and the merchant webhook service (each roll): a plain function of the vault,
// so neither service needs the other to make one.
import { randomBytes } from 'node:crypto';
import type { Vault } from '../vault/vault.js';

/**
 * A new secret put in the vault, not yet any merchant's: the caller records `vaultToken` for the
 * merchant in its own transaction (the vault writes through its own connection, so it goes first).
 */
export async function newSigningSecret(vault: Pick<Vault, 'store'>): Promise<{ secret: string; vaultToken: string }> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const { token } = await vault.store('WEBHOOK_SECRET', secret);
  return { secret, vaultToken: token };
}
