import type { UserSummary } from '@candor/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, errorBody, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import SchedulesPage from './SchedulesPage';

let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  globalThis.fetch = jest.fn(api.fetch);
});

const renderSchedules = (url: string, user: UserSummary = demoUser) =>
  renderRoute(<SchedulesPage />, {
    url,
    path: '/schedules/*',
    user,
  });

const preview = {
  timezone: 'Europe/Berlin',
  openings: [
    { opensAt: '2026-12-07T08:00:00.000Z', closesAt: '2026-12-12T08:00:00.000Z' },
    { opensAt: '2026-12-21T08:00:00.000Z', closesAt: '2026-12-26T08:00:00.000Z' },
  ],
};

const inBerlin = (iso: string) =>
  new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Berlin',
  }).format(new Date(iso));

const previews = () => api.requests.filter((r) => r.path === '/api/schedules/preview');

describe('Schedule form', () => {
  it('shows the next openings the API returned, in the schedule time zone, before saving', async () => {
    api.fixtures['POST /api/schedules/preview'] = preview;
    renderSchedules('/schedules/new?teamId=team-1');
    expect(await screen.findByRole('heading', { name: 'New schedule', level: 1 })).toBeInTheDocument();
    expect(screen.getByLabelText('Team')).toHaveValue('team-1');
    fireEvent.change(screen.getByLabelText(/^Time zone/), { target: { value: 'Europe/Berlin' } });

    const list = await screen.findByRole('list', { name: 'Next openings' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(inBerlin('2026-12-07T08:00:00.000Z'));
    expect(items[1]).toHaveTextContent(inBerlin('2026-12-21T08:00:00.000Z'));
    expect(screen.getByText('Times in Europe/Berlin.')).toBeInTheDocument();
    await waitFor(() => expect(previews().at(-1)?.body).toMatchObject({ timezone: 'Europe/Berlin' }));
    expect(api.requests.some((r) => r.method === 'POST' && r.path === '/api/schedules')).toBe(false);
    // The preview is a cookie write like any other POST: it carries the CSRF header.
    expect((previews().at(-1)!.init.headers as Record<string, string>)['X-Requested-With']).toBe('candor');
  });

  it('warns before saving when the schedule would survey teams smaller than its k', async () => {
    api.fixtures['POST /api/schedules/preview'] = {
      ...preview,
      audience: { teams: 1, smallTeams: [{ teamId: 'team-1', teamName: 'Platform', activeMembers: 4 }] },
    };
    renderSchedules('/schedules/new?teamId=team-1');
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('Platform has 4 active people, fewer than k = 5.');
    expect(note).toHaveTextContent('no result will ever be shown');
  });

  it('names each small team when a group schedule covers several', async () => {
    api.fixtures['POST /api/schedules/preview'] = {
      ...preview,
      audience: {
        teams: 6,
        smallTeams: [
          { teamId: 't1', teamName: 'Fraud', activeMembers: 4 },
          { teamId: 't2', teamName: 'Experiments', activeMembers: 3 },
        ],
      },
    };
    renderSchedules('/schedules/new?teamId=team-1');
    expect(await screen.findByRole('note')).toHaveTextContent(
      '2 of the 6 teams have fewer active people than k = 5: Fraud (4), Experiments (3).',
    );
  });

  it('saves with the right body and returns to the list', async () => {
    api.fixtures['POST /api/schedules/preview'] = preview;
    api.fixtures['GET /api/schedules'] = { schedules: [] };
    renderSchedules('/schedules/new?teamId=team-1');
    await screen.findByRole('heading', { name: 'New schedule', level: 1 });
    fireEvent.change(screen.getByLabelText('Survey'), { target: { value: 'trust-equation' } });
    fireEvent.change(screen.getByLabelText('Trust in'), { target: { value: 'lead' } });
    fireEvent.change(screen.getByLabelText('Cadence'), { target: { value: 'monthly' } });
    fireEvent.change(screen.getByLabelText('Weekday'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Opens at'), { target: { value: '14' } });
    fireEvent.change(screen.getByLabelText(/^Time zone/), { target: { value: 'Europe/Berlin' } });
    fireEvent.change(screen.getByLabelText('Open for (days)'), { target: { value: '7' } });
    fireEvent.change(screen.getByLabelText(/Minimum answers/), { target: { value: '6' } });
    fireEvent.click(screen.getByLabelText(/^Active/));

    api.respondNext(/^POST \/api\/schedules$/, 201, { id: 's1' });
    fireEvent.click(screen.getByRole('button', { name: 'Create schedule' }));
    expect(await screen.findByText('Schedule saved.')).toBeInTheDocument();
    const sent = api.requests.find((r) => r.method === 'POST' && r.path === '/api/schedules')!;
    expect(sent.body).toEqual({
      teamId: 'team-1',
      groupId: null,
      instrument: 'trust-equation',
      trustSubject: 'lead',
      cadence: 'monthly',
      weekday: 3,
      hour: 14,
      timezone: 'Europe/Berlin',
      windowDays: 7,
      k: 6,
      active: false,
    });
    expect((sent.init.headers as Record<string, string>)['X-Requested-With']).toBe('candor');
  });

  it('shows a 400 field error next to its field', async () => {
    api.fixtures['POST /api/schedules/preview'] = preview;
    renderSchedules('/schedules/new?teamId=team-1');
    await screen.findByRole('list', { name: 'Next openings' });
    api.respondNext(
      /^POST \/api\/schedules$/,
      400,
      errorBody(400, 'Some fields are not valid', {
        windowDays: ['must not be longer than the cadence (7 days for weekly)'],
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create schedule' }));
    const window = screen.getByLabelText('Open for (days)');
    await waitFor(() => expect(window).toHaveAttribute('aria-invalid', 'true'));
    expect(window).toHaveAccessibleDescription(/must not be longer than the cadence/);
    expect(window.closest('.field')).toHaveTextContent(
      'must not be longer than the cadence (7 days for weekly)',
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields need fixing');
    expect(screen.getByLabelText(/Minimum answers/)).toHaveAttribute('aria-invalid', 'false');
  });

  it('edits an existing schedule with PATCH (admins may pick a group)', async () => {
    api.fixtures['POST /api/schedules/preview'] = preview;
    api.fixtures['GET /api/admin/teams'] = { teams: [] };
    api.fixtures['GET /api/admin/groups'] = {
      groups: [{ id: 'g1', name: 'Product', parentId: null, createdAt: '' }],
    };
    api.fixtures['GET /api/schedules/s1'] = {
      id: 's1',
      teamId: null,
      teamName: null,
      groupId: 'g1',
      groupName: 'Product',
      instrument: 'psych-safety',
      trustSubject: null,
      cadence: 'weekly',
      weekday: 1,
      hour: 9,
      timezone: 'Europe/Berlin',
      windowDays: 5,
      k: 5,
      startsOn: '2026-01-01',
      active: true,
      nextOpenings: [],
    };
    api.fixtures['GET /api/schedules'] = { schedules: [] };
    renderSchedules('/schedules/s1', { ...demoUser, isAdmin: true, teams: [] });
    expect(await screen.findByLabelText('Group')).toHaveValue('g1');
    fireEvent.change(screen.getByLabelText('Opens at'), { target: { value: '10' } });
    api.respondNext(/^PATCH \/api\/schedules\/s1$/, 200, { id: 's1' });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Schedule saved.')).toBeInTheDocument();
    const sent = api.requests.find((r) => r.method === 'PATCH')!;
    expect(sent.body).toMatchObject({ groupId: 'g1', teamId: null, hour: 10, k: 5 });
  });

  it('is for leads and admins only', () => {
    renderSchedules('/schedules', { ...demoUser, teams: [] });
    expect(screen.getByText('For team leads and admins')).toBeInTheDocument();
  });
});
