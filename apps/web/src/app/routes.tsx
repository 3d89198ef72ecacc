import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { LoginPage } from '../features/auth/LoginPage';
import { HomePage } from '../features/home/HomePage';
import { NotFoundPage } from '../features/not-found/NotFoundPage';
import { AppShell } from './AppShell';
import { RequireAuth } from './RequireAuth';

// Lazy routes: the team page is the only one with Recharts; the survey page carries the blind-RSA code.
const TeamPage = lazy(() => import('../features/team-trends/TeamPage'));
const SurveyPage = lazy(() => import('../features/survey/SurveyPage'));

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'surveys/:cycleId', element: <SurveyPage /> },
      { path: 'teams/:teamId', element: <TeamPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
