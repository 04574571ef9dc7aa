// Live wallet balances: walletUpdated for one wallet, resumed after a lost connection with
// afterSequence (the last sequence seen), so no change is missed and none is counted twice.
//
// The subscription starts after the sequence the screen's query read, so nothing between the read
// and the subscription is lost. When the socket comes back (apollo.ts onReconnect) it restarts
// from the last sequence this hook saw; graphql-ws may first resend the old subscription, and
// events at or below that sequence are dropped. The event's `wallet` (its balance now) lands in
// Apollo's cache by id, so every screen showing that wallet updates.
import { useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { graphql } from '../gql';
import { onReconnect } from './apollo';

const WalletUpdated = graphql(`
  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {
    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {
      sequence
      transaction { id }
      wallet {
        id
        sequence
        status
        balance { available { amount currency } posted { amount currency } held { amount currency } }
      }
    }
  }
`);

/** Follows a wallet from `sequence` on; `onChange` runs once per new change, in order. */
export function useWalletLive(walletId: string, sequence: string, onChange?: () => void): void {
  const last = useRef(BigInt(sequence));
  const [resumeFrom, setResumeFrom] = useState(sequence);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => onReconnect(() => setResumeFrom(last.current.toString())), []);

  useSubscription(WalletUpdated, {
    variables: { walletId, afterSequence: resumeFrom },
    onData: ({ data }) => {
      const event = data.data?.walletUpdated;
      if (!event) return;
      const seen = BigInt(event.sequence);
      if (seen <= last.current) return; // a repeat from a resent subscription
      last.current = seen;
      changed.current?.();
    },
  });
}
