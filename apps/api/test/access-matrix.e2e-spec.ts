import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CycleService } from '../src/surveys/cycle.service';
import { createTestApp, login, type TestApp } from './test-app';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';

/**
 * The access matrix, built from the OpenAPI document: every route × every role × own /
 * sibling / unrelated team. Each route's expected rule is written down below; a route missing
 * from the table fails this test by name, so a new route cannot ship without a decision.
 *
 * Roles: `engineer` is a member and `lead` a lead of the own team; `director` directs the group
 * holding the own and the sibling team; `admin` is an administrator with no memberships (admins
 * get no results access beyond their own memberships). The unrelated team lives in another tree.
 */
type Role = 'anonymous' | 'engineer' | 'lead' | 'director' | 'admin';
type Relation = 'own' | 'sibling' | 'unrelated';
const ROLES: Role[] = ['anonymous', 'engineer', 'lead', 'director', 'admin'];
const RELATIONS: Relation[] = ['own', 'sibling', 'unrelated'];

/** What each rule allows. `true` = gets past authorisation (any status but 401/403). */
const RULES = {
  /** No credentials needed. */
  public: () => true,
  /** Any signed-in person. */
  signedIn: (role: Role) => role !== 'anonymous',
  admin: (role: Role) => role === 'admin',
  /** Members and leads of the team in the path, directors of a group above it. Not admins. */
  teamResults: (role: Role, rel: Relation) =>
    ((role === 'engineer' || role === 'lead') && rel === 'own') ||
    (role === 'director' && rel !== 'unrelated'),
  /** Leads of the team in the path. */
  teamLead: (role: Role, rel: Relation) => role === 'lead' && rel === 'own',
  /** Leads of the team in the path (or of the cycle's team), and admins. */
  teamLeadOrAdmin: (role: Role, rel: Relation) => role === 'admin' || (role === 'lead' && rel === 'own'),
  /** Directors of the group in the path or a group above it. */
  groupDirector: (role: Role, rel: Relation) => role === 'director' && rel === 'own',
  /** Schedule managers: admins and anyone who leads a team. */
  scheduleManager: (role: Role) => role === 'admin' || role === 'lead',
  /** Members and leads of the team in the path; nobody else (directors and admins included). */
  teamMember: (role: Role, rel: Relation) => (role === 'engineer' || role === 'lead') && rel === 'own',
  /** Invited to the cycle in the path: its team's members and leads. */
  cycleInvitee: (role: Role, rel: Relation) => (role === 'engineer' || role === 'lead') && rel === 'own',
  /**
   * Routes whose only id is one this test does not make (schedule, action, …): for every
   * signed-in role an unknown id is 403 or 404 — never data.
   */
  unknownIdOnly: () => false,
  /**
   * Not a session route: only `Authorization: Bearer <METRICS_TOKEN>` opens it (tested in
   * observability.e2e-spec.ts). No session of any role does: 401 without one, 403 with one.
   */
  metricsToken: () => false,
} satisfies Record<string, (role: Role, rel: Relation) => boolean>;
type Rule = keyof typeof RULES;

/** Every route in the API and who may call it. Keep sorted by path. */
const MATRIX: Record<string, Rule> = {
  'GET /api/admin/audit': 'admin',
  // Issue 16: reported and hidden comments across teams, and resolving a report.
  'GET /api/admin/comments': 'admin',
  'POST /api/admin/comments/{commentId}/resolve': 'admin',
  'GET /api/admin/groups': 'admin',
  'POST /api/admin/groups': 'admin',
  'PATCH /api/admin/groups/{groupId}': 'admin',
  'GET /api/admin/groups/{groupId}/directors': 'admin',
  'PUT /api/admin/groups/{groupId}/directors/{userId}': 'admin',
  'DELETE /api/admin/groups/{groupId}/directors/{userId}': 'admin',
  'POST /api/admin/import/apply': 'admin',
  'POST /api/admin/import/preview': 'admin',
  'GET /api/admin/outbox': 'admin',
  'GET /api/admin/people': 'admin',
  'POST /api/admin/people': 'admin',
  'GET /api/admin/people/{userId}': 'admin',
  'PATCH /api/admin/people/{userId}': 'admin',
  'POST /api/admin/people/{userId}/invitation': 'admin',
  'GET /api/admin/teams': 'admin',
  'POST /api/admin/teams': 'admin',
  'PATCH /api/admin/teams/{teamId}': 'admin',
  // Issue 16: admins read comments (hidden ones too) under the same gate.
  'GET /api/admin/teams/{teamId}/comments': 'admin',
  'GET /api/admin/teams/{teamId}/members': 'admin',
  'PUT /api/admin/teams/{teamId}/members/{userId}': 'admin',
  'DELETE /api/admin/teams/{teamId}/members/{userId}': 'admin',
  'POST /api/auth/invitations/accept': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signedIn',
  'GET /api/auth/me': 'signedIn',
  'GET /api/auth/oidc/callback': 'public',
  'GET /api/auth/oidc/start': 'public',
  'POST /api/auth/password': 'signedIn',
  'POST /api/auth/password-reset': 'public',
  'POST /api/auth/password-reset/confirm': 'public',
  'GET /api/auth/providers': 'public',
  'POST /api/comments': 'public',
  'GET /api/cycles/{cycleId}': 'teamLeadOrAdmin',
  'PATCH /api/cycles/{cycleId}': 'teamLeadOrAdmin',
  'POST /api/cycles/{cycleId}/tokens': 'cycleInvitee',
  // Issue 16: per team, the latest closed cycles' comment counts (gated); never text.
  'GET /api/groups/{groupId}/comment-counts': 'groupDirector',
  'GET /api/groups/{groupId}/comparison': 'groupDirector',
  'GET /api/groups/{groupId}/comparison.csv': 'groupDirector',
  'GET /api/groups/{groupId}/overview': 'groupDirector',
  'GET /api/groups/{groupId}/reliability': 'groupDirector',
  'GET /api/groups/{groupId}/trend': 'groupDirector',
  'GET /api/health': 'public',
  'GET /api/health/live': 'public',
  'GET /api/health/ready': 'public',
  'GET /api/me/preferences': 'signedIn',
  'GET /api/metrics': 'metricsToken',
  'PATCH /api/me/preferences': 'signedIn',
  'POST /api/responses': 'public',
  'GET /api/schedules': 'scheduleManager',
  'POST /api/schedules': 'teamLeadOrAdmin',
  'POST /api/schedules/preview': 'scheduleManager',
  'GET /api/schedules/{scheduleId}': 'unknownIdOnly',
  'PATCH /api/schedules/{scheduleId}': 'unknownIdOnly',
  'GET /api/surveys/open': 'signedIn',
  'GET /api/teams/{teamId}/action-owners': 'teamLead',
  // Issue 13: everyone who sees the team's results sees what it decided to do about them.
  'GET /api/teams/{teamId}/actions': 'teamResults',
  'POST /api/teams/{teamId}/actions': 'teamLead',
  'DELETE /api/teams/{teamId}/actions/{actionId}': 'teamLead',
  'PATCH /api/teams/{teamId}/actions/{actionId}': 'teamLead',
  // Issue 16: comment counts for everyone who sees the results (text for leads only, tested in
  // comments.e2e-spec.ts); replies and moderation by the team's leads.
  'GET /api/teams/{teamId}/comments': 'teamResults',
  'POST /api/teams/{teamId}/comments/{commentId}/hide': 'teamLead',
  'POST /api/teams/{teamId}/comments/{commentId}/messages': 'teamLead',
  'POST /api/teams/{teamId}/comments/{commentId}/report': 'teamLead',
  // Issue 16: the roster's names for the comment box's warnings, to the team's own people only.
  'GET /api/teams/{teamId}/roster-names': 'teamMember',
  'GET /api/teams/{teamId}/cycles/{cycleId}/items': 'teamResults',
  'GET /api/teams/{teamId}/cycles/{cycleId}/items.csv': 'teamResults',
  'GET /api/teams/{teamId}/slack': 'teamLeadOrAdmin',
  'PUT /api/teams/{teamId}/slack': 'teamLeadOrAdmin',
  'GET /api/teams/{teamId}/trend': 'teamResults',
  'GET /api/teams/{teamId}/trend.csv': 'teamResults',
  'GET /api/teams/{teamId}/trend/pooled': 'teamLead',
  'POST /api/threads/messages': 'public',
  'POST /api/threads/read': 'public',
};

/** The only routes that may answer a caller without credentials (issue 3 acceptance). */
const OPEN_ROUTES = new Set([
  // health
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/health/ready',
  // sign-in
  'POST /api/auth/login',
  'GET /api/auth/providers',
  'GET /api/auth/oidc/start',
  'GET /api/auth/oidc/callback',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'POST /api/auth/invitations/accept',
  // the anonymous survey submission
  'POST /api/responses',
  // the anonymous comment, and the writer's thread opened by its reply secret (issue 16)
  'POST /api/comments',
  'POST /api/threads/read',
  'POST /api/threads/messages',
]);

const QUERY: Record<string, string> = {
  'GET /api/teams/{teamId}/trend': '?instrument=psych-safety',
  'GET /api/teams/{teamId}/trend.csv': '?instrument=psych-safety',
  'GET /api/teams/{teamId}/trend/pooled': '?instrument=psych-safety',
  'GET /api/groups/{groupId}/comparison': '?instrument=psych-safety&period=2026-03',
  'GET /api/groups/{groupId}/comparison.csv': '?instrument=psych-safety&period=2026-03',
  'GET /api/groups/{groupId}/overview': '?period=2026-03',
  'GET /api/groups/{groupId}/trend': '?instrument=psych-safety',
  'GET /api/groups/{groupId}/reliability': '?instrument=psych-safety',
};

/**
 * Valid bodies for routes that check the caller against something in the body, or that
 * validate before authorising: without them the matrix would only see a 400.
 */
const BODY: Record<string, (ids: { teamId: string }) => object> = {
  'POST /api/schedules': ({ teamId }) => ({
    teamId,
    instrument: 'psych-safety',
    cadence: 'monthly',
    weekday: 1,
    hour: 9,
    windowDays: 5,
  }),
  'PUT /api/teams/{teamId}/slack': () => ({ webhookUrl: null }),
  'POST /api/cycles/{cycleId}/tokens': () => ({ blindedMessage: 'AAAA' }),
  'POST /api/teams/{teamId}/comments/{commentId}/messages': () => ({ body: 'Thanks' }),
  'POST /api/teams/{teamId}/comments/{commentId}/hide': () => ({ reason: 'names a person' }),
  'POST /api/teams/{teamId}/comments/{commentId}/report': () => ({ reason: 'abusive' }),
  'POST /api/admin/comments/{commentId}/resolve': () => ({ outcome: 'restore', note: 'not abusive' }),
};

const LOGOUT = 'POST /api/auth/logout';
const ERROR_KEYS = ['statusCode', 'error', 'code', 'message', 'fields'];

describe('access matrix (every OpenAPI route × role × own / sibling / unrelated team)', () => {
  let t: TestApp;
  let routes: { method: string; path: string; key: string }[];
  const tokens = new Map<Role, string>();
  const emails = new Map<Role, string>();
  const ids: Record<Relation, { teamId: string; groupId: string; cycleId: string }> = {} as never;

  beforeAll(async () => {
    // With a metrics token configured, so that /api/metrics exists and must refuse every session.
    t = await createTestApp({ metrics: { token: randomUUID() } });
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(doc.paths)
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => ({ method: m, path, key: `${m.toUpperCase()} ${path}` })),
      )
      // Sign-out ends every session of the caller: it goes last.
      .sort((a, b) => Number(a.key === LOGOUT) - Number(b.key === LOGOUT));

    // Org: R → { G → { own, sibling }, G2 } ; U → { H → { unrelated } }
    const r = await makeGroup(t.ds);
    const g = await makeGroup(t.ds, r);
    const g2 = await makeGroup(t.ds, r);
    const u = await makeGroup(t.ds);
    const h = await makeGroup(t.ds, u);
    const own = await makeTeam(t.ds, 2, g);
    const sibling = await makeTeam(t.ds, 2, g);
    const unrelated = await makeTeam(t.ds, 2, h);
    const director = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [director.id, g]);
    const admin = await makeUser(t.ds, { isAdmin: true });

    const cycles = t.app.get(CycleService);
    const openCycle = async (teamId: string) => {
      const now = Date.now();
      const c = (await cycles.open({
        teamId,
        instrument: 'psych-safety@1',
        opensAt: new Date(now - 3_600_000),
        closesAt: new Date(now + 86_400_000),
        k: 3,
      })) as { id: string };
      return c.id;
    };
    ids.own = { teamId: own.teamId, groupId: g, cycleId: await openCycle(own.teamId) };
    ids.sibling = { teamId: sibling.teamId, groupId: g2, cycleId: await openCycle(sibling.teamId) };
    ids.unrelated = { teamId: unrelated.teamId, groupId: h, cycleId: await openCycle(unrelated.teamId) };

    emails.set('engineer', own.members[0]!.email);
    emails.set('lead', own.lead.email);
    emails.set('director', director.email);
    emails.set('admin', admin.email);
    await signIn();
  });
  /** (Again) after the matrix has called sign-out for every role. */
  const signIn = async () => {
    for (const [role, email] of emails) tokens.set(role, await login(t.http, email, PASSWORD));
  };
  afterAll(() => t.close());

  const call = (method: string, url: string, role: Role, body: object = {}) => {
    let req = request(t.http)[method as 'get'](url);
    if (role !== 'anonymous') req = req.set('Authorization', `Bearer ${tokens.get(role)}`);
    if (method !== 'get' && method !== 'delete') req = req.set('Content-Type', 'application/json').send(body);
    return req;
  };

  const fill = (path: string, rel: Relation, unknown: boolean) =>
    path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      if (unknown) return randomUUID();
      if (name === 'teamId' || name === 'groupId' || name === 'cycleId') return ids[rel][name];
      return randomUUID();
    });

  it('has an expected outcome written down for every route in the OpenAPI document', () => {
    const missing = routes.map((r) => r.key).filter((k) => !(k in MATRIX));
    if (missing.length > 0) {
      throw new Error(
        `These routes have no entry in the access matrix (apps/api/test/access-matrix.e2e-spec.ts, MATRIX); ` +
          `decide who may call each one and add it:\n  ${missing.join('\n  ')}`,
      );
    }
  });

  it('lets exactly the expected roles through, per route × role × own / sibling / unrelated', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const rule = MATRIX[route.key];
      if (!rule) continue; // reported by the test above
      const scoped = route.path.includes('{');
      for (const rel of scoped ? RELATIONS : (['own'] as Relation[])) {
        const url = `${fill(route.path, rel, rule === 'unknownIdOnly')}${QUERY[route.key] ?? ''}`;
        for (const role of ROLES) {
          const allowed = RULES[rule](role, rel);
          const res = await call(route.method, url, role, BODY[route.key]?.(ids[rel]));
          const where = `${route.key} as ${role} on ${rel} team → ${res.status}`;
          if (res.status >= 500) failures.push(`${where}: server error`);
          else if (allowed && (res.status === 401 || res.status === 403))
            failures.push(`${where}: expected access`);
          else if (!allowed) {
            const expected = role === 'anonymous' ? [401] : [403, 404];
            if (!expected.includes(res.status)) failures.push(`${where}: expected ${expected.join(' or ')}`);
            else if (res.headers['content-type']?.includes('json')) {
              const extra = Object.keys(res.body as object).filter((k) => !ERROR_KEYS.includes(k));
              if (extra.length > 0) failures.push(`${where}: denial carries data (${extra.join(', ')})`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers unknown ids with 403 or 404 for every role, never with data', async () => {
    await signIn();
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.path.includes('{'))) {
      const url = `${fill(route.path, 'own', true)}${QUERY[route.key] ?? ''}`;
      for (const role of ROLES.filter((r) => r !== 'anonymous')) {
        const res = await call(route.method, url, role, BODY[route.key]?.({ teamId: randomUUID() }));
        if (![400, 403, 404].includes(res.status)) failures.push(`${route.key} as ${role} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers nothing but health, sign-in and the anonymous submission without credentials', async () => {
    const open: string[] = [];
    for (const route of routes) {
      const res = await call(
        route.method,
        fill(route.path, 'own', false) + (QUERY[route.key] ?? ''),
        'anonymous',
      );
      if (res.status !== 401) open.push(route.key);
    }
    expect(open.filter((k) => !OPEN_ROUTES.has(k))).toEqual([]);
    // and the table agrees: only those routes are marked public
    expect(Object.entries(MATRIX).filter(([k, r]) => r === 'public' && !OPEN_ROUTES.has(k))).toEqual([]);
  });
});
