import { randomUUID } from 'node:crypto';
import { director, getter } from './analytics-helpers';
import { makeGroup, makeTeam, makeUser } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * The team routes' access rule (AccessGuard → AccessService.teamAccess), answer by answer: a team
 * that does not exist is 404 for everyone; results go to the team's members and leads and to
 * directors of a group at or above it, everyone else gets 403; lead routes only to the team's leads.
 * A director's check is one statement that answers both "does it exist" and "may they see it".
 */
describe('team access', () => {
  let t: TestApp;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    get = getter(t.http);
  });
  afterAll(() => t.close());

  it('answers 404 for a missing team, 200 to members, leads and directors above it, 403 to anyone else', async () => {
    const root = await makeGroup(t.ds);
    const left = await makeGroup(t.ds, root);
    const right = await makeGroup(t.ds, root);
    const mine = await makeTeam(t.ds, 2, left);
    const other = await makeTeam(t.ds, 2, right);
    const leftDirector = await makeUser(t.ds);
    await director(t.ds, leftDirector.id, left);
    const rootDirector = await makeUser(t.ds);
    await director(t.ds, rootDirector.id, root);
    const outsider = await makeUser(t.ds);
    const missing = randomUUID();
    const status = async (email: string, path: string) => (await get(email, path)).status;
    const trend = (teamId: string) => `/api/teams/${teamId}/trend`;
    const owners = (teamId: string) => `/api/teams/${teamId}/action-owners`;

    const seen = {
      leftDirectorOwn: await status(leftDirector.email, trend(mine.teamId)),
      leftDirectorOther: await status(leftDirector.email, trend(other.teamId)),
      leftDirectorMissing: await status(leftDirector.email, trend(missing)),
      leftDirectorMalformed: await status(leftDirector.email, trend('not-a-team')),
      rootDirectorOther: await status(rootDirector.email, trend(other.teamId)),
      member: await status(mine.members[0]!.email, trend(mine.teamId)),
      memberOther: await status(mine.members[0]!.email, trend(other.teamId)),
      lead: await status(mine.lead.email, trend(mine.teamId)),
      outsider: await status(outsider.email, trend(mine.teamId)),
      outsiderMissing: await status(outsider.email, trend(missing)),
      leadRoute: await status(mine.lead.email, owners(mine.teamId)),
      leadRouteMember: await status(mine.members[0]!.email, owners(mine.teamId)),
      leadRouteDirector: await status(leftDirector.email, owners(mine.teamId)),
      leadRouteMissing: await status(mine.lead.email, owners(missing)),
    };
    expect(seen).toEqual({
      leftDirectorOwn: 200,
      leftDirectorOther: 403,
      leftDirectorMissing: 404,
      leftDirectorMalformed: 404,
      rootDirectorOther: 200,
      member: 200,
      memberOther: 403,
      lead: 200,
      outsider: 403,
      outsiderMissing: 404,
      leadRoute: 200,
      leadRouteMember: 403,
      leadRouteDirector: 403,
      leadRouteMissing: 404,
    });
  });
});
