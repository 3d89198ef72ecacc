import type { LeadComment, TeamCommentsResponse } from '@candor/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import { TeamComments } from './TeamComments';

let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  globalThis.fetch = jest.fn(api.fetch);
});

const comment = (id: string, over: Partial<LeadComment> = {}): LeadComment => ({
  id,
  text: `Comment ${id}`,
  hidden: false,
  hiddenReason: null,
  reported: false,
  messages: [],
  ...over,
});

const view = (comments: LeadComment[]): TeamCommentsResponse => ({
  teamId: 'team-1',
  cycles: [
    {
      cycleId: 'y1',
      closesAt: '2025-03-17T17:00:00.000Z',
      kComments: 5,
      count: { status: 'released', count: comments.length },
      comments,
    },
  ],
});

const renderLead = () =>
  renderRoute(<TeamComments teamId="team-1" isLead />, { url: '/', path: '/', user: demoUser });

describe("the team's comments (lead)", () => {
  it('says which comment waits for an admin after a report, and shows hidden ones by their reason', async () => {
    api.fixtures['GET /api/teams/team-1/comments'] = view([
      comment('a', { reported: true }),
      comment('b', { text: null, hidden: true, hiddenReason: 'abusive, stays hidden' }),
      comment('c'),
    ]);
    renderLead();
    const first = await screen.findByRole('listitem', { name: 'Comment 1' });
    expect(first).toHaveTextContent(
      'Reported as abusive: an admin will decide whether it stays in the team’s view.',
    );
    expect(screen.getByRole('listitem', { name: 'Comment 2' })).toHaveTextContent(
      'Hidden (abusive, stays hidden).',
    );
    expect(screen.getByRole('listitem', { name: 'Comment 3' })).not.toHaveTextContent('Reported as abusive');
  });

  it('reports a comment with a reason and shows it as waiting once the list comes back', async () => {
    api.fixtures['GET /api/teams/team-1/comments'] = view([comment('a')]);
    renderLead();
    const item = await screen.findByRole('listitem', { name: 'Comment 1' });
    fireEvent.click(within(item).getByRole('button', { name: 'Report abuse…' }));
    api.respondNext(/^POST \/api\/teams\/team-1\/comments\/a\/report$/, 204, undefined);
    api.fixtures['GET /api/teams/team-1/comments'] = view([comment('a', { reported: true })]);
    fireEvent.change(within(item).getByLabelText('What is abusive (for the admins)'), {
      target: { value: 'insults a colleague' },
    });
    fireEvent.click(within(item).getByRole('button', { name: 'Report abuse' }));
    expect(await within(item).findByText(/an admin will decide/)).toBeInTheDocument();
    expect(api.requests.find((r) => r.method === 'POST')).toMatchObject({
      path: '/api/teams/team-1/comments/a/report',
      body: { reason: 'insults a colleague' },
    });
  });
});
