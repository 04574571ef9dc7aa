// The session state for components: re-renders when someone signs in or out.
import { useSyncExternalStore } from 'react';
import { type SessionState, session } from './session';

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.state);
}
