import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import type { LoaderFunctionArgs, RouteObject } from 'react-router';
import { LoginPage } from '../features/auth/LoginPage';
import { HomePage } from '../features/home/HomePage';
import { NotFoundPage } from '../features/not-found/NotFoundPage';
import { teamTrendQuery } from '../lib/team-trend';
import { AppShell } from './AppShell';
import { RequireAuth } from './RequireAuth';

// Lazy routes: the team page is the only one with Recharts; the survey page carries the blind-RSA code.
const loadTeamPage = () => import('../features/team-trends/TeamPage');
const TeamPage = lazy(loadTeamPage);
const SurveyPage = lazy(() => import('../features/survey/SurveyPage'));
const ThreadsPage = lazy(() => import('../features/comments/ThreadsPage'));
const PrivacyPage = lazy(() => import('../features/privacy/PrivacyPage'));
const ComparePage = lazy(() => import('../features/compare/ComparePage'));
const AdminPage = lazy(() => import('../features/admin/AdminPage'));
const SchedulesPage = lazy(() => import('../features/schedules/SchedulesPage'));
const SettingsPage = lazy(() => import('../features/settings/SettingsPage'));
// Signed-out account pages (forgotten password, links from emails): rarely opened, so lazy too.
const ForgotPasswordPage = lazy(() => import('../features/auth/ForgotPasswordPage'));
const AcceptInvitationPage = lazy(() =>
  import('../features/auth/SetPasswordPage').then((m) => ({ default: m.AcceptInvitationPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../features/auth/SetPasswordPage').then((m) => ({ default: m.ResetPasswordPage })),
);

/**
 * Opening a team page starts its code and its trend requests at once, in parallel with the
 * session check, instead of one after the other (the first chart is the page's critical path;
 * see docs/benchmarks.md "Dashboard"). The requests go through the query client, so the page's
 * `useTeamTrend` picks them up. Returns at once: navigation never waits for it.
 */
const prefetchTeam =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    void loadTeamPage();
    if (params.teamId) {
      void queryClient.prefetchQuery(teamTrendQuery(params.teamId, 'psych-safety'));
      void queryClient.prefetchQuery(teamTrendQuery(params.teamId, 'trust-equation'));
    }
    return null;
  };

function Booting() {
  return (
    <div className="boot" role="status" aria-live="polite">
      <span className="brand__mark" aria-hidden="true" />
      <span className="visually-hidden">Loading Candor…</span>
    </div>
  );
}

/** A signed-out page loaded on demand (outside the app shell, which has its own Suspense). */
const signedOut = (page: ReactNode) => <Suspense fallback={<Booting />}>{page}</Suspense>;

/** The app's routes; loaders prefetch into `queryClient`. */
export const createRoutes = (queryClient: QueryClient): RouteObject[] => [
  { path: '/login', element: <LoginPage /> },
  { path: '/forgot-password', element: signedOut(<ForgotPasswordPage />) },
  { path: '/accept-invitation', element: signedOut(<AcceptInvitationPage />) },
  { path: '/reset-password', element: signedOut(<ResetPasswordPage />) },
  {
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    hydrateFallbackElement: <Booting />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'surveys/:cycleId', element: <SurveyPage /> },
      {
        path: 'teams/:teamId',
        element: <TeamPage />,
        loader: prefetchTeam(queryClient),
        hydrateFallbackElement: <Booting />,
      },
      { path: 'threads', element: <ThreadsPage /> },
      { path: 'privacy', element: <PrivacyPage /> },
      { path: 'compare', element: <ComparePage /> },
      { path: 'admin/*', element: <AdminPage /> },
      { path: 'schedules/*', element: <SchedulesPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
