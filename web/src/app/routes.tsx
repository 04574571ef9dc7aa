// Every screen of the app, by path (under /app). A new screen is one file in screens/ and one line
// here: `nav` puts it in the main navigation, `public` lets signed-out people open it (`anyone`:
// signed in or not). Screens are
// loaded on first visit (React.lazy), so the first load carries the shell and sign-in only.
import { type ComponentType, lazy, type LazyExoticComponent } from 'react';
import { SignIn } from './screens/SignIn';
import { SignUp } from './screens/SignUp';

export interface Screen {
  path: string;
  component: ComponentType | LazyExoticComponent<ComponentType>;
  /** Its label in the main navigation; absent: not in the navigation. */
  nav?: string;
  /** Open to signed-out people (everything else sends them to sign in); signed-in people are sent on. */
  public?: boolean;
  /** Open to everyone, signed in or not (a reset link may be opened in a signed-in tab). */
  anyone?: boolean;
  /** The navigation item it belongs to (marked current on it), when its path is not under that item's. */
  under?: string;
}

const screen = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

export const SCREENS: Screen[] = [
  { path: '/sign-in', component: SignIn, public: true },
  { path: '/sign-up', component: SignUp, public: true },
  { path: '/forgot-password', component: screen(() => import('./screens/ForgotPassword')), public: true },
  { path: '/reset-password', component: screen(() => import('./screens/ResetPassword')), anyone: true },
  { path: '/account-erased', component: screen(() => import('./screens/AccountErased')), anyone: true },
  { path: '/', component: screen(() => import('./screens/Home')), nav: 'Home' },
  { path: '/send', component: screen(() => import('./screens/Send')), nav: 'Send' },
  { path: '/history', component: screen(() => import('./screens/History')), nav: 'History' },
  { path: '/history/statements', component: screen(() => import('./screens/Statements')) },
  { path: '/history/insights', component: screen(() => import('./screens/Insights')) },
  { path: '/history/:id', component: screen(() => import('./screens/TransactionDetail')) },
  { path: '/sessions', component: screen(() => import('./screens/Sessions')), under: '/profile' },
  { path: '/pay/:code', component: screen(() => import('./screens/Pay')) },
  { path: '/merchant', component: screen(() => import('./screens/Merchant')), nav: 'Business' },
  { path: '/merchant/requests/:code', component: screen(() => import('./screens/MerchantRequest')) },
  { path: '/money', component: screen(() => import('./screens/Money')), nav: 'Add money' },
  { path: '/money/methods', component: screen(() => import('./screens/PaymentMethods')) },
  { path: '/verify', component: screen(() => import('./screens/Kyc')), nav: 'Limits' },
  { path: '/profile', component: screen(() => import('./screens/Profile')), nav: 'Profile' },
  { path: '/profile/security', component: screen(() => import('./screens/Security')), under: '/profile' },
  { path: '/profile/notifications', component: screen(() => import('./screens/NotificationSettings')), under: '/profile' },
  // Opened from the bell in the header (notificationBell.tsx), not from the navigation.
  { path: '/notifications', component: screen(() => import('./screens/Notifications')) },
];
