// What the server needs from the outside parties that move money (../shared/design.md §6). Each
// is an interface with a sandbox adapter in ./sandbox/ that behaves like the real service; a real
// processor's adapter implements the same interface. Adapters are the only code given a
// VaultReader: card and account numbers leave the vault only on their way to the processor.

export type GatewayDecline = { ok: false; code: 'CARD_DECLINED'; message: string };

export interface CardGateway {
  /** Checks a card with its issuer (a zero-amount authorisation with the CVC) and returns the gateway's id for it. */
  verifyCard(input: { vaultToken: string; expMonth: number; expYear: number; cvc: string }): Promise<{ ok: true; gatewayRef: string } | GatewayDecline>;
}

export interface BankGateway {
  /** Registers an account for debits and credits and sends it two micro-deposits to confirm it is the user's. */
  linkAccount(input: { vaultToken: string; scheme: 'ACH' | 'SEPA'; country: string; routingNumber: string | null }): Promise<{ gatewayRef: string }>;
  /** Whether `amounts` (minor units, any order) are the two micro-deposits sent to the account. */
  confirmMicroDeposits(input: { gatewayRef: string; amounts: bigint[] }): Promise<boolean>;
}
