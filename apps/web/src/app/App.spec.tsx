import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, openSurvey, type CycleKeys } from '../../test/fake-api';
import { point, released, trendResponse } from '../../test/trend-fixtures';
import { storageKey } from '../lib/survey-storage';
import { App } from './App';

jest.setTimeout(20_000);

const keys = { publicKeySpki: 'unused' } as CycleKeys;
let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi(keys);
  api.trends['team-1:psych-safety'] = trendResponse('psych-safety', [
    point(1, { psych_safety: released(5.2, 4.8, 5.6, 7) }),
  ]);
  api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
  globalThis.fetch = jest.fn(api.fetch);
});

function visit(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App />);
}

const here = () => `${window.location.pathname}${window.location.search}`;

describe('App', () => {
  it('sends a signed-out visitor to sign in, then on to the page they opened (lazy team route)', async () => {
    api.user = null;
    visit('/teams/team-1');
    // The sign-in page is lazy too; on a loaded machine its chunk takes more than a second in jsdom.
    expect(await screen.findByRole('heading', { name: 'Sign in' }, { timeout: 10_000 })).toBeInTheDocument();
    expect(here()).toBe('/login?next=%2Fteams%2Fteam-1');

    fireEvent.change(screen.getByLabelText('Work email'), { target: { value: demoUser.email } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    // The team route is lazy and the first load compiles Recharts in jsdom, which can hold the
    // navigation for more than waitFor's default second on a busy machine.
    await waitFor(() => expect(here()).toBe('/teams/team-1'), { timeout: 10_000 });

    expect(
      await screen.findByRole('group', { name: 'Psychological safety trend' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });

  it('prefetches both trends in the team route loader through the query client: the page reuses them', async () => {
    visit('/teams/team-1');
    expect(
      await screen.findByRole('group', { name: 'Psychological safety trend' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
    const trendRequests = (instrument: string) =>
      api.requests.filter(
        (r) => r.method === 'GET' && r.path.includes(`/teams/team-1/trend?instrument=${instrument}`),
      );
    // One request each: the page's useTeamTrend picked up the loader's, not a second one.
    expect(trendRequests('psych-safety')).toHaveLength(1);
    expect(trendRequests('trust-equation')).toHaveLength(1);
  });

  it('shows the home page with surveys (k, answered state) and teams (lead marked)', async () => {
    api.surveys = [
      openSurvey({ publicKeySpki: 'k1', cycleId: 'cycle-1', k: 5, invited: 9 }),
      openSurvey({
        publicKeySpki: 'k2',
        cycleId: 'cycle-2',
        instrument: 'trust-equation@1',
        trustSubject: 'lead',
        teamId: 'team-2',
        teamName: 'Payments',
        k: 4,
        invited: 6,
      }),
    ];
    window.localStorage.setItem(
      storageKey({ userId: demoUser.id, cycleId: 'cycle-2' }, 'receipt'),
      JSON.stringify({
        receipt: {
          receiptId: 'r',
          cycleId: 'cycle-2',
          instrument: 'trust-equation@1',
          replayed: false,
          teamId: 'team-2',
        },
        keptEarlierAnswers: false,
      }),
    );
    visit('/');
    const surveys = await screen.findByRole('region', { name: 'My surveys' });
    const items = await within(surveys).findAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Psychological safety · Platform');
    expect(items[0]).toHaveTextContent('results only if at least k = 5 of 9 answer');
    expect(
      within(items[0]!).getByRole('link', { name: 'Answer: Psychological safety, Platform' }),
    ).toHaveAttribute('href', '/surveys/cycle-1');
    expect(items[1]).toHaveTextContent('Trust in our tech lead · Payments');
    expect(items[1]).toHaveTextContent('✓ Answered');

    const teams = screen.getByRole('region', { name: 'My teams' });
    const links = within(teams).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['PlatformLeadResults →', 'PaymentsResults →']);

    const header = screen.getByRole('banner');
    expect(within(header).getByText('Candor')).toBeInTheDocument();
    expect(within(header).getByText('Ada Lovelace')).toBeInTheDocument();
  });

  it('returns to sign-in, keeping the path, when the session ends mid-use', async () => {
    visit('/teams/team-1');
    await screen.findByRole('group', { name: 'Psychological safety trend' }, { timeout: 10_000 });
    api.user = null;
    api.respondNext(/team-2/, 401, { statusCode: 401, error: 'Unauthorized', code: 'AUTH', message: 'x' });
    fireEvent.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Payments' }),
    );
    // The team page draws charts before it asks again: allow for a loaded machine, as the other
    // waits in this file do.
    expect(await screen.findByRole('heading', { name: 'Sign in' }, { timeout: 10_000 })).toBeInTheDocument();
    expect(here()).toBe('/login?next=%2Fteams%2Fteam-2');
  });

  it('signs out', async () => {
    visit('/');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(api.requests.some((r) => r.method === 'POST' && r.path === '/api/auth/logout')).toBe(true);
  });

  it('shows a 404 page for unknown addresses', async () => {
    visit('/nowhere');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to home' })).toHaveAttribute('href', '/');
  });
});
