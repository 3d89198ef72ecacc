import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, errorBody, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import { change, point, released, suppressed, trendResponse } from '../../../test/trend-fixtures';
import TeamPage from './TeamPage';

// The page draws several Recharts charts in jsdom: on a machine busy with other test runs that
// takes longer than testing-library's default 1 s wait.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(30_000);

// Trend pages never sign anything: a placeholder key pair is enough.
const keys = {} as CycleKeys;
let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi(keys);
  globalThis.fetch = jest.fn(api.fetch);
});

function renderTeam(teamId = 'team-1', user = demoUser) {
  return renderRoute(<TeamPage />, { url: `/teams/${teamId}`, path: '/teams/:teamId', user });
}

const trustScores = (index: number, c: number) => ({
  trust_index: released(index, index - 0.8, index + 0.8, 7),
  credibility: released(c, c - 0.4, c + 0.4, 7),
  reliability: released(5.1, 4.7, 5.5, 7),
  intimacy: released(4.9, 4.4, 5.4, 7),
  self_orientation: released(2.8, 2.4, 3.2, 7),
});

describe('TeamPage', () => {
  it('holds a fixed-height skeleton while loading', () => {
    globalThis.fetch = jest.fn(() => new Promise<Response>(() => {}));
    renderTeam();
    const skeleton = screen
      .getAllByRole('status')
      .find((s) => s.textContent === 'Loading psychological safety results…')!;
    expect(skeleton).toBeInTheDocument();
    expect(skeleton).toHaveStyle({ height: '460px' });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Platform');
  });

  it('says so when there are no closed cycles yet', async () => {
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', []);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    renderTeam();
    expect(await screen.findByText('No closed cycles yet')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Trust' })).not.toBeInTheDocument();
  });

  it('shows an error with a retry for a server failure', async () => {
    api.respondNext(/psych-safety/, 500, errorBody(500, 'Internal server error'));
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    renderTeam();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load results');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows no retry when access is denied', async () => {
    api.respondNext(/psych-safety/, 403, errorBody(403, 'Forbidden'));
    renderTeam('team-9');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('You do not have access to this.');
    expect(within(alert).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows a lead the live count of the open cycle, and no scores for it', async () => {
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', [], {
      cycleId: 'open-1',
      opensAt: '2025-04-01T09:00:00.000Z',
      closesAt: '2025-04-15T17:00:00.000Z',
      k: 5,
      invited: 9,
      responses: 4,
    });
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    renderTeam();
    expect(await screen.findByText(/4 of 9 answered so far/)).toHaveTextContent(
      'Psychological safety: 4 of 9 answered so far',
    );
    expect(screen.getByText(/scores appear when the cycle closes/)).toHaveTextContent(
      '1 more needed to reach k = 5.',
    );
    expect(screen.getByRole('meter', { name: 'Psychological safety responses so far' })).toHaveAttribute(
      'aria-valuenow',
      '4',
    );
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('You lead this team');
  });

  it('shows members only that a cycle is open, without a count', async () => {
    api.trends['team-2:psych-safety'] = {
      ...trendResponse('psych-safety', []),
      openCycle: {
        cycleId: 'open-2',
        opensAt: '2025-04-01T09:00:00.000Z',
        closesAt: '2025-04-15T17:00:00.000Z',
        k: 5,
        invited: 9,
        responses: null,
      },
    };
    api.trends['team-2:trust-equation'] = trendResponse('trust-equation', []);
    renderTeam('team-2');
    expect(await screen.findByText(/pulse open/)).toBeInTheDocument();
    expect(screen.queryByText(/answered so far/)).not.toBeInTheDocument();
    expect(screen.queryByRole('meter')).not.toBeInTheDocument();
  });

  it('charts released and suppressed cycles, with trust index and components, and participation', async () => {
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', [
      point(1, { psych_safety: released(4.6, 4.1, 5.1, 8) }, { n: 8 }),
      point(2, { psych_safety: suppressed() }, { n: 3 }),
      point(3, { psych_safety: released(5.7, 5.3, 6.1, 7, change(1.1, 0.004, true)) }, { n: 7 }),
    ]);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', [
      point(1, trustScores(6.2, 5.5), { n: 7 }),
      point(3, trustScores(7.1, 5.9), { n: 7 }),
    ]);
    renderTeam();

    expect(await screen.findByRole('group', { name: 'Psychological safety trend' })).toBeInTheDocument();
    const psych = screen.getByRole('region', { name: 'Psychological safety' });
    expect(
      within(psych)
        .getAllByRole('heading')
        .map((h) => h.textContent),
    ).toEqual(['Psychological safety']);
    expect(within(psych).getByText(/^latest/, { selector: '.figure__latest-detail' })).toHaveTextContent(
      '95% interval 5.30–6.10 · n = 7 of 9 · k = 5',
    );

    const trust = await screen.findByRole('region', { name: 'Trust' });
    expect(within(trust).getByRole('heading', { name: 'Trust index' })).toBeInTheDocument();
    // The index is drawn on a readable 0–12 axis with whole ticks; no "3/7" label that reads like a date.
    expect(
      within(trust).getByText(/can reach 21 only if every answer is the most favourable/),
    ).toBeInTheDocument();
    expect(within(trust).getByText(/drawn on a fixed 0–12 axis/)).toBeInTheDocument();
    expect(trust).not.toHaveTextContent('3/7');
    for (const name of ['Credibility', 'Reliability', 'Intimacy', 'Self-orientation']) {
      expect(within(trust).getByRole('heading', { level: 4, name })).toBeInTheDocument();
    }
    expect(within(trust).getByText(/Lower is better/)).toBeInTheDocument();

    const participation = screen.getByRole('table', { name: /Answers per closed cycle/ });
    const rows = within(participation).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(5);
    const suppressedRow = rows.find((r) => r.textContent?.includes('Suppressed'))!;
    expect(suppressedRow).toHaveTextContent('Suppressed (fewer than k answered; 9 invited)');
    expect(suppressedRow).not.toHaveTextContent(/\d+%/);
    await waitFor(() => expect(rows[0]).toHaveTextContent('7 of 9'));
  });

  it('lists the latest cycles’ participation and can show all of them', async () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      point(i + 1, { psych_safety: released(5, 4.5, 5.5, 7) }, { n: 7 }),
    );
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', many);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    renderTeam();
    const table = await screen.findByRole('table', { name: /Answers per closed cycle/ });
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 8);
    expect(table).toHaveAccessibleName(/latest 8 of 12/);
    fireEvent.click(screen.getByRole('button', { name: 'Show all 12 cycles' }));
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 12);
    // Newest first.
    expect(within(table).getAllByRole('rowheader')[0]).toHaveTextContent(/Dec/);
  });

  it('warns when the team has fewer people than k (no result can ever show) or exactly k', async () => {
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', [
      point(1, { psych_safety: suppressed() }, { invited: 4, k: 5, n: 3 }),
    ]);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    renderTeam();
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('This team has 4 people and k = 5: no cycle can show a result.');
    // The lead is told what can be done about it.
    expect(note).toHaveTextContent(/Ask an admin to add people to the team or combine it/);
  });

  it('warns that every person must answer when the team has exactly k people', async () => {
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', [], {
      cycleId: 'open-1',
      opensAt: '2025-04-01T09:00:00.000Z',
      closesAt: '2025-04-15T17:00:00.000Z',
      k: 5,
      invited: 5,
      responses: 2,
    });
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    renderTeam();
    expect(await screen.findByRole('note')).toHaveTextContent(
      'This team has exactly k = 5 people: a result appears only when every one of them answers.',
    );
  });
});
