// Ending a hold: the reserved money stops counting against the wallet's available balance, either
// released (nothing moved) or captured (about to be posted in the same transaction). Used for
// withdrawals and card refunds (funding) and for transfers held for review (risk reviews).
import type { Prisma } from '../../generated/prisma/client.js';

/** Ends the hold if it is still active and gives its amount back to `available`; false if it was not active. */
export async function endHold(
  tx: Prisma.TransactionClient,
  hold: { id: string; walletId: string; amount: bigint },
  status: 'RELEASED' | 'CAPTURED',
): Promise<boolean> {
  const ended = await tx.hold.updateMany({ where: { id: hold.id, status: 'ACTIVE' }, data: { status, releasedAt: new Date() } });
  if (ended.count === 0) return false;
  await tx.$executeRaw`UPDATE wallets SET held_amount = held_amount - ${hold.amount}, updated_at = now() WHERE id = ${hold.walletId}::uuid`;
  return true;
}
