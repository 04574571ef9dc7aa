// The shell: who may see which screen, the layout with navigation, and the routes of routes.tsx.
import { useMutation } from '@apollo/client/react';
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { graphql } from '../gql';
import { forgetEverything } from './apollo';
import { lastFocusedOutsideDialogs, restoreFocus } from './focus';
import { SCREENS, type Screen } from './routes';
import { endSession } from './session';
import { settleStepUp, stepUpPrompt } from './stepUp';
import { useSession } from './useSession';

// Loaded the first time a risky action asks for a second factor.
const StepUpDialog = lazy(() => import('./StepUpDialog'));
// Loaded after the first screen (with its query and subscription hooks), off the first load.
const NotificationBell = lazy(() => import('./notificationBell').then((m) => ({ default: m.NotificationBell })));

const SignOut = graphql(`mutation SignOut { signOut { revokedSessionCount } }`);

/** Where to go after signing in: the ?next= path when it is one of ours, else home. */
function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function Guard({ screen }: { screen: Screen }) {
  const state = useSession();
  const [location] = useLocation();
  const search = useSearch();
  if (state === 'restoring' && !screen.anyone) {
    return (
      <p className="page-status" role="status">
        Signing you in…
      </p>
    );
  }
  if (!screen.public && !screen.anyone && state === 'signed-out')
    return <Redirect to={`/sign-in?next=${encodeURIComponent(location)}`} replace />;
  if (screen.public && state === 'signed-in') return <Redirect to={nextPath(search)} replace />;
  const Component = screen.component;
  return (
    <Suspense
      fallback={
        <p className="page-status" role="status">
          Loading…
        </p>
      }
    >
      <Component />
    </Suspense>
  );
}

/** The navigation item a location belongs to: its screen's `under`, else the longest item path it is under. */
function navigationItemOf(location: string): string | undefined {
  const exact = SCREENS.find((s) => s.under && matchesPath(s.path, location));
  if (exact) return exact.under;
  const items = SCREENS.filter((s) => s.nav).map((s) => s.path);
  if (location === '/') return '/';
  return items
    .filter((path) => path !== '/' && (location === path || location.startsWith(`${path}/`)))
    .sort((a, b) => b.length - a.length)[0];
}

/** Whether a route pattern ("/history/:id") matches a location. */
const matchesPath = (pattern: string, location: string) => new RegExp(`^${pattern.replace(/:[^/]+/g, '[^/]+')}/?$`).test(location);

function Navigation() {
  const [location, navigate] = useLocation();
  const [signOut, { loading }] = useMutation(SignOut);
  const current = navigationItemOf(location);
  const leave = async () => {
    try {
      await signOut();
    } catch {
      // Offline: the tokens are forgotten here anyway; the session expires on the server.
    }
    endSession();
    await forgetEverything();
    navigate('/sign-in', { replace: true });
  };
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        Wallet
      </Link>
      <nav aria-label="Main">
        <ul>
          {SCREENS.filter((s) => s.nav).map((s) => (
            <li key={s.path}>
              <Link href={s.path} aria-current={current === s.path ? 'page' : undefined}>
                {s.nav}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<span className="bell" />}>
        <NotificationBell />
      </Suspense>
      <button type="button" className="link-button" onClick={leave} disabled={loading}>
        Sign out
      </button>
    </header>
  );
}

/** The step-up dialog while a request waits for it; signing out answers the waiting requests as they were. */
function StepUp({ signedIn }: { signedIn: boolean }) {
  const open = useSyncExternalStore(stepUpPrompt.subscribe, stepUpPrompt.isOpen);
  useEffect(() => {
    if (open && !signedIn) settleStepUp(false);
  }, [open, signedIn]);
  // Focus goes back to what the person was using (the button that sent the request) once the dialog is gone.
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    if (open) opener.current = lastFocusedOutsideDialogs();
    else if (opener.current) {
      restoreFocus(opener.current);
      opener.current = null;
    }
  }, [open]);
  if (!open || !signedIn) return null;
  return (
    <Suspense fallback={null}>
      <StepUpDialog />
    </Suspense>
  );
}

export function App() {
  const state = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {state === 'signed-in' && <Navigation />}
      <main id="main" tabIndex={-1}>
        <Switch>
          {SCREENS.map((screen) => (
            <Route key={screen.path} path={screen.path}>
              <Guard screen={screen} />
            </Route>
          ))}
          <Route>
            <section className="card">
              <h1>Page not found</h1>
              <p>
                There is nothing at this address. <Link href="/">Go to your wallets</Link>.
              </p>
            </section>
          </Route>
        </Switch>
      </main>
      <StepUp signedIn={state === 'signed-in'} />
    </>
  );
}
