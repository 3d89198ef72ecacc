import type { CommentModerationResponse, ModeratedComment, UserSummary } from '@candor/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, errorBody, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import AdminPage from './AdminPage';

const admin: UserSummary = { ...demoUser, teams: [], isAdmin: true };
let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  globalThis.fetch = jest.fn(api.fetch);
});

const renderAdmin = (url: string) => renderRoute(<AdminPage />, { url, path: '/admin/*', user: admin });

const reported: ModeratedComment = {
  id: 'c1',
  team: { id: 't1', name: 'Checkout' },
  cycle: { id: 'y1', closesOn: '2026-11-20' },
  text: 'The lead is an idiot',
  hidden: false,
  hiddenReason: null,
  openReports: ['insults the lead', 'abusive'],
};
const hidden: ModeratedComment = {
  id: 'c2',
  team: { id: 't2', name: 'Search' },
  cycle: { id: 'y2', closesOn: '2026-10-02' },
  text: 'Ask Dana about the outage',
  hidden: true,
  hiddenReason: 'names a colleague',
  openReports: [],
};
const listing = (comments: ModeratedComment[], openReports: number): CommentModerationResponse => ({
  openReports,
  comments,
  truncated: false,
});

describe('Reported comments (admin)', () => {
  it('says when there is nothing to decide, and shows no alert', async () => {
    api.fixtures['GET /api/admin/comments'] = listing([], 0);
    renderAdmin('/admin/comments');
    expect(await screen.findByText('No reported or hidden comments')).toBeInTheDocument();
    expect(screen.queryByText(/wait.? for a decision/)).not.toBeInTheDocument();
  });

  it('alerts on every admin page while reports are open, with a link to the list', async () => {
    api.fixtures['GET /api/admin/comments'] = listing([reported, hidden], 1);
    api.fixtures['GET /api/admin/groups'] = { groups: [] };
    api.fixtures['GET /api/admin/teams'] = { teams: [] };
    renderAdmin('/admin');
    const alert = await screen.findByText(/One reported comment waits for a decision/);
    expect(within(alert).getByRole('link', { name: 'Review reported comments' })).toHaveAttribute(
      'href',
      '/admin/comments',
    );
  });

  it('lists reported and hidden comments with team, cycle and reasons, and nothing about the writer', async () => {
    api.fixtures['GET /api/admin/comments'] = listing([reported, hidden], 1);
    renderAdmin('/admin/comments');
    const list = await screen.findByRole('list', { name: 'Reported and hidden comments' });
    const first = within(list).getByRole('listitem', { name: /^Checkout, cycle closed/ });
    expect(first).toHaveTextContent('The lead is an idiot');
    expect(first).toHaveTextContent('Reported 2 times:');
    expect(first).toHaveTextContent('insults the lead');
    expect(first).toHaveTextContent('visible to the team’s leads');
    const second = within(list).getByRole('listitem', { name: /^Search, cycle closed/ });
    expect(second).toHaveTextContent('hidden (names a colleague)');
    expect(second).toHaveTextContent('Hidden by a lead; not reported.');
    expect(within(second).getByRole('button', { name: 'Restore to the team' })).toBeInTheDocument();
    expect(
      screen.getByText(/Nobody — you, the lead or Candor — can find out who wrote a comment/),
    ).toBeInTheDocument();
  });

  it('asks why before deciding, then sends the decision and says what happened', async () => {
    api.fixtures['GET /api/admin/comments'] = listing([reported], 1);
    renderAdmin('/admin/comments');
    const item = await screen.findByRole('listitem', { name: /^Checkout/ });
    fireEvent.click(within(item).getByRole('button', { name: 'Hide from the team' }));
    expect(
      await within(item).findByText('Say why, in a few words (kept in the audit log).'),
    ).toBeInTheDocument();
    expect(api.requests.filter((r) => r.method === 'POST')).toEqual([]);

    api.respondNext(/^POST \/api\/admin\/comments\/c1\/resolve$/, 200, {
      ...reported,
      hidden: true,
      hiddenReason: 'abusive',
      openReports: [],
    });
    fireEvent.change(within(item).getByLabelText('Why (kept in the audit log)'), {
      target: { value: ' abusive ' },
    });
    fireEvent.click(within(item).getByRole('button', { name: 'Hide from the team' }));
    expect(await within(item).findByRole('status')).toHaveTextContent('Kept hidden.');
    const post = api.requests.find((r) => r.method === 'POST');
    expect(post).toMatchObject({
      path: '/api/admin/comments/c1/resolve',
      body: { outcome: 'keep-hidden', note: 'abusive' },
    });
    // The list is asked again (the alert's count follows).
    await waitFor(() =>
      expect(api.requests.filter((r) => r.path === '/api/admin/comments').length).toBeGreaterThan(1),
    );
  });

  it("shows the server's field message beside the note", async () => {
    api.fixtures['GET /api/admin/comments'] = listing([hidden], 0);
    renderAdmin('/admin/comments');
    const item = await screen.findByRole('listitem', { name: /^Search/ });
    api.respondNext(
      /^POST \/api\/admin\/comments\/c2\/resolve$/,
      400,
      errorBody(400, 'Invalid', { note: ['note must be at most 500 characters'] }),
    );
    fireEvent.change(within(item).getByLabelText('Why (kept in the audit log)'), {
      target: { value: 'fine now' },
    });
    fireEvent.click(within(item).getByRole('button', { name: 'Restore to the team' }));
    expect(await within(item).findByText('Note must be at most 500 characters.')).toBeInTheDocument();
    expect(api.requests.find((r) => r.method === 'POST')?.body).toEqual({
      outcome: 'restore',
      note: 'fine now',
    });
  });
});
