// A wallet's balances as every screen shows them (Home, Add money, the business screen): available
// large, then posted and what is on hold. LiveBalances follows one of the user's wallets through
// walletUpdated (live.ts), so the figures change as money moves, without a reload.
import { useWalletLive } from './live';
import { formatMoney, type MoneyValue } from './money';

export interface BalanceValue {
  available: MoneyValue;
  posted: MoneyValue;
  held: MoneyValue;
}

/** The on-hold line: always, only while something is held, or never. */
type HeldLine = 'always' | 'when-held' | 'never';

export function Balances({ balance, held = 'when-held' }: { balance: BalanceValue; held?: HeldLine }) {
  const currency = balance.available.currency;
  const showHeld = held === 'always' || (held === 'when-held' && /[1-9]/.test(balance.held.amount));
  return (
    <dl className="balances">
      <div>
        <dt>Available</dt>
        <dd className="balance-available" data-testid={`available-${currency}`}>
          {formatMoney(balance.available)}
        </dd>
      </div>
      <div>
        <dt>Posted</dt>
        <dd data-testid={`posted-${currency}`}>{formatMoney(balance.posted)}</dd>
      </div>
      {showHeld && (
        <div>
          <dt>On hold</dt>
          <dd data-testid={`held-${currency}`}>{formatMoney(balance.held)}</dd>
        </div>
      )}
    </dl>
  );
}

/** One of the user's wallets, live from the `sequence` it was read at; `onChange` runs once per change. */
export function LiveBalances({
  wallet,
  onChange,
  held,
}: {
  wallet: { id: string; sequence: string; balance: BalanceValue };
  onChange?: () => void;
  held?: HeldLine;
}) {
  useWalletLive(wallet.id, wallet.sequence, onChange);
  return <Balances balance={wallet.balance} held={held} />;
}
