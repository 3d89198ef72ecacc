import type { ImportReport, UserSummary } from '@candor/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, errorBody, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import AdminPage from './AdminPage';
import { buildOrgTree } from './org-tree';

const admin: UserSummary = { ...demoUser, teams: [], isAdmin: true };
let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  globalThis.fetch = jest.fn(api.fetch);
});

const renderAdmin = (url: string, user = admin) =>
  renderRoute(<AdminPage />, { url, path: '/admin/*', user });

const group = (id: string, name: string, parentId: string | null) => ({ id, name, parentId, createdAt: '' });
const team = (id: string, name: string, groupId: string, memberCount = 5) => ({
  id,
  name,
  groupId,
  active: true,
  memberCount,
  leadCount: 1,
  createdAt: '',
});

const summary = {
  rows: 2,
  people: { create: 1, update: 0, unchanged: 1 },
  groups: { create: 0 },
  teams: { create: 1 },
  memberships: { add: 1, changeRole: 0, remove: 0 },
};

describe('buildOrgTree', () => {
  it('nests groups under their parents with their teams, in name order', () => {
    const tree = buildOrgTree(
      [group('b', 'Beta', 'r'), group('r', 'Root', null), group('a', 'Alpha', 'r')],
      [team('t2', 'Zed', 'a'), team('t1', 'Ant', 'a'), team('t3', 'Solo', 'r')],
    );
    expect(tree).toHaveLength(1);
    expect(tree[0]!.children.map((c) => c.group.name)).toEqual(['Alpha', 'Beta']);
    expect(tree[0]!.children[0]!.teams.map((t) => t.name)).toEqual(['Ant', 'Zed']);
    expect(tree[0]!.teams.map((t) => t.name)).toEqual(['Solo']);
  });
});

describe('AdminPage', () => {
  it('is for admins only', () => {
    renderAdmin('/admin', { ...admin, isAdmin: false });
    expect(screen.getByText('For admins only')).toBeInTheDocument();
  });

  it('shows the org tree with member and lead counts', async () => {
    api.fixtures['GET /api/admin/groups'] = {
      groups: [group('r', 'Acme', null), group('p', 'Product', 'r')],
    };
    api.fixtures['GET /api/admin/teams'] = { teams: [team('t', 'Checkout', 'p', 9)] };
    renderAdmin('/admin');
    const tree = await screen.findByRole('list', { name: 'Organisation tree' });
    expect(tree).toHaveTextContent('Acme');
    expect(
      within(tree)
        .getByText(/Checkout/)
        .closest('li'),
    ).toHaveTextContent('Checkout · 9 members, 1 lead');
  });

  it('warns on a team with fewer active people than the k its next cycles use, and on one of exactly k', async () => {
    api.fixtures['GET /api/admin/groups'] = { groups: [group('r', 'Acme', null)] };
    api.fixtures['GET /api/admin/teams'] = {
      teams: [
        { ...team('t1', 'Fraud', 'r', 4), activeMemberCount: 4, nextK: 5, activeSchedules: 2 },
        { ...team('t2', 'Billing', 'r', 7), activeMemberCount: 5, nextK: 5, activeSchedules: 2 },
        { ...team('t3', 'Search', 'r', 12), activeMemberCount: 12, nextK: 5, activeSchedules: 2 },
      ],
    };
    renderAdmin('/admin');
    const tree = await screen.findByRole('list', { name: 'Organisation tree' });
    const item = (name: string) =>
      within(tree)
        .getByText(new RegExp(`^${name}`))
        .closest('li')!;
    expect(within(item('Fraud')).getByRole('note')).toHaveTextContent(
      '4 active people, fewer than k = 5: no result can ever be shown.',
    );
    expect(within(item('Billing')).getByRole('note')).toHaveTextContent(
      'Exactly k = 5 active people: a result shows only when everyone answers.',
    );
    expect(within(item('Search')).queryByRole('note')).not.toBeInTheDocument();
  });

  it('searches people and pages with the server cursor', async () => {
    const person = (n: number) => ({
      id: `u${n}`,
      email: `p${n}@example.com`,
      name: `Person ${n}`,
      isAdmin: false,
      active: true,
      hasPassword: n % 2 === 0,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    api.fixtures['GET /api/admin/people?limit=25'] = { people: [person(1)], nextCursor: null };
    api.fixtures['GET /api/admin/people?limit=25&q=ann'] = { people: [person(2)], nextCursor: 'c2' };
    api.fixtures['GET /api/admin/people?limit=25&q=ann&cursor=c2'] = {
      people: [person(3)],
      nextCursor: null,
    };
    renderAdmin('/admin/people');
    expect(await screen.findByRole('rowheader', { name: /Person 1/ })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Search by name or email'), { target: { value: ' ann ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByRole('rowheader', { name: /Person 2/ })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('rowheader', { name: /Person 3/ })).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /Person 3/ })).toHaveTextContent('Invited (no password yet)');
  });

  it('previews an import with its errors, blocks apply until the file is clean, then applies', async () => {
    const bad: ImportReport = {
      ok: false,
      errors: [{ line: 3, column: 'email', code: 'bad_email', message: 'not an email address' }],
      warnings: [],
      errorCount: 1,
      warningCount: 0,
      summary,
    };
    renderAdmin('/admin/import');
    const box = await screen.findByLabelText('Or paste the CSV');
    fireEvent.change(box, { target: { value: 'email,name,team,role,group\nbad,Bad,T,member,Acme' } });
    api.respondNext(/POST \/api\/admin\/import\/preview/, 200, bad);
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const errors = await screen.findByRole('table', { name: /Errors/ });
    expect(within(errors).getByRole('row', { name: /^3/ })).toHaveTextContent('3emailnot an email address');
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();

    fireEvent.change(box, {
      target: { value: 'email,name,team,role,group\nok@example.com,Ok,T,member,Acme' },
    });
    api.respondNext(/POST \/api\/admin\/import\/preview/, 200, {
      ...bad,
      ok: true,
      errors: [],
      errorCount: 0,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByText(/No errors: apply will make these changes/)).toHaveTextContent(
      '2 rows: 1 people to create',
    );
    const sent = api.requests.filter((r) => r.method === 'POST').at(-1)!;
    expect(sent.path).toBe('/api/admin/import/preview?createTeams=true');
    expect((sent.init.headers as Record<string, string>)['Content-Type']).toBe('text/csv');
    expect(sent.init.body).toContain('ok@example.com');

    api.respondNext(/POST \/api\/admin\/import\/apply/, 200, { applied: true, summary, warnings: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('Applied.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled());
  });

  it('lists schedules with their next openings and the outbox', async () => {
    api.fixtures['GET /api/schedules'] = {
      schedules: [
        {
          id: 's1',
          teamId: null,
          teamName: null,
          groupId: 'g',
          groupName: 'Product',
          instrument: 'psych-safety',
          trustSubject: null,
          cadence: 'weekly',
          weekday: 1,
          hour: 9,
          timezone: 'Europe/London',
          windowDays: 5,
          k: 5,
          startsOn: '2025-01-01',
          active: true,
          nextOpenings: [{ opensAt: '2025-03-03T09:00:00.000Z', closesAt: '2025-03-08T09:00:00.000Z' }],
        },
      ],
    };
    renderAdmin('/admin/schedules');
    const row = await screen.findByRole('row', { name: /Product/ });
    expect(row).toHaveTextContent('weekly, Monday 09:00 (Europe/London), open 5 days');
    expect(within(row).getAllByRole('listitem')).toHaveLength(1);
  });

  it('moves a group and shows the API’s cycle refusal beside the “Inside” field', async () => {
    api.fixtures['GET /api/admin/groups'] = {
      groups: [group('r', 'Acme', null), group('p', 'Product', 'r')],
    };
    api.fixtures['GET /api/admin/teams'] = { teams: [] };
    renderAdmin('/admin');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit group Acme' }));
    const form = screen.getByRole('form', { name: 'Edit Acme' });
    const inside = within(form).getByLabelText('Inside');
    expect(
      within(inside)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Nothing (a top-level group)', 'Acme / Product']);
    fireEvent.change(inside, { target: { value: 'p' } });
    api.respondNext(/PATCH \/api\/admin\/groups\/r/, 409, {
      ...errorBody(409, 'This move would create a cycle.'),
      code: 'group_cycle',
      fields: { parentId: ['is inside this group: that would be a cycle'] },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save group' }));
    await waitFor(() =>
      expect(inside).toHaveAccessibleDescription('Is inside this group: that would be a cycle.'),
    );
    expect(inside).toHaveAttribute('aria-invalid', 'true');
    expect(inside).toHaveFocus();
    const sent = api.requests.filter((r) => r.method === 'PATCH').at(-1)!;
    expect(sent.body).toEqual({ parentId: 'p' });
  });

  /**
   * After a save the admin lists are fetched again, and whichever arrives first re-renders the
   * tree. Here the list that moves the edited node arrives first, which unmounts the form that
   * saved; the saved message must still show.
   */
  const holdAfterSave = (heldPath: string) => {
    let hold = false;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (hold && String(input) === heldPath) await held;
      return api.fetch(input, init);
    });
    return { start: () => (hold = true), release };
  };

  it('says a team was saved when the move re-renders the tree before the group list returns', async () => {
    api.fixtures['GET /api/admin/groups'] = {
      groups: [group('r', 'Acme', null), group('p', 'Platform', 'r'), group('m', 'Mobile', 'r')],
    };
    api.fixtures['GET /api/admin/teams'] = { teams: [team('t', 'iOS', 'p', 0)] };
    const groupsList = holdAfterSave('/api/admin/groups');
    renderAdmin('/admin');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit team iOS' }));
    const form = screen.getByRole('form', { name: 'Edit iOS' });
    fireEvent.change(within(form).getByLabelText('In group'), { target: { value: 'm' } });
    api.respondNext(/PATCH \/api\/admin\/teams\/t/, 200, team('t', 'iOS', 'm', 0));
    api.fixtures['GET /api/admin/teams'] = { teams: [team('t', 'iOS', 'm', 0)] };
    groupsList.start();
    fireEvent.click(within(form).getByRole('button', { name: 'Save team' }));

    const tree = screen.getByRole('list', { name: 'Organisation tree' });
    await waitFor(() =>
      expect(within(tree).getByText('Mobile').closest('li')).toHaveTextContent('iOS · 0 members'),
    );
    expect(form).not.toBeInTheDocument();
    groupsList.release();
    expect(await screen.findByText('Saved team “iOS” in Acme / Mobile.')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.method === 'PATCH').at(-1)!.body).toEqual({ groupId: 'm' });
  });

  it('says a group was saved when the move re-renders the tree before the team list returns', async () => {
    api.fixtures['GET /api/admin/groups'] = {
      groups: [group('r', 'Acme', null), group('p', 'Platform', 'r'), group('m', 'Mobile', 'r')],
    };
    api.fixtures['GET /api/admin/teams'] = { teams: [] };
    const teamsList = holdAfterSave('/api/admin/teams');
    renderAdmin('/admin');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit group Mobile' }));
    const form = screen.getByRole('form', { name: 'Edit Mobile' });
    fireEvent.change(within(form).getByLabelText('Inside'), { target: { value: 'p' } });
    api.respondNext(/PATCH \/api\/admin\/groups\/m/, 200, group('m', 'Mobile', 'p'));
    api.fixtures['GET /api/admin/groups'] = {
      groups: [group('r', 'Acme', null), group('p', 'Platform', 'r'), group('m', 'Mobile', 'p')],
    };
    teamsList.start();
    fireEvent.click(within(form).getByRole('button', { name: 'Save group' }));

    const tree = screen.getByRole('list', { name: 'Organisation tree' });
    await waitFor(() => expect(within(tree).getByText('Platform').closest('li')).toHaveTextContent('Mobile'));
    expect(form).not.toBeInTheDocument();
    teamsList.release();
    expect(await screen.findByText('Saved group “Mobile”.')).toBeInTheDocument();
  });

  it('deactivates a person only after a confirm step that says history is kept', async () => {
    const detail = {
      id: 'u9',
      email: 'sam@example.com',
      name: 'Sam Smith',
      isAdmin: false,
      active: true,
      hasPassword: true,
      createdAt: '2025-01-01T00:00:00.000Z',
      memberships: [{ teamId: 't', teamName: 'Checkout', teamActive: true, role: 'member' }],
      directorOf: [],
    };
    api.fixtures['GET /api/admin/people/u9'] = detail;
    api.fixtures['GET /api/admin/teams'] = { teams: [team('t', 'Checkout', 'p')] };
    api.fixtures['GET /api/admin/groups'] = { groups: [group('p', 'Product', null)] };
    renderAdmin('/admin/people/u9');
    fireEvent.click(await screen.findByRole('button', { name: 'Deactivate…' }));
    const confirm = screen.getByRole('group', { name: 'Deactivate Sam Smith?' });
    expect(confirm).toHaveTextContent('They cannot sign in any more');
    expect(confirm).toHaveTextContent('History is kept');
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(
      within(screen.getByRole('combobox', { name: 'Role in Checkout' })).getByRole('option', {
        selected: true,
      }),
    ).toHaveTextContent('Member');

    api.respondNext(/PATCH \/api\/admin\/people\/u9/, 200, { ...detail, active: false });
    api.fixtures['GET /api/admin/people/u9'] = { ...detail, active: false };
    fireEvent.click(within(confirm).getByRole('button', { name: 'Deactivate Sam Smith' }));
    expect(await screen.findByRole('button', { name: 'Reactivate' })).toBeInTheDocument();
    expect(api.requests.filter((r) => r.method === 'PATCH').at(-1)!.body).toEqual({ active: false });
    expect(screen.getByText('Deactivated')).toBeInTheDocument();
  });
});
