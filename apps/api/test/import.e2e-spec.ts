import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, login, type TestApp } from './test-app';
import { makeUser, PASSWORD } from './factories';

describe('CSV import (/api/admin/import/preview, /apply)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await makeUser(t.ds, { isAdmin: true });
    token = await login(t.http, admin.email, PASSWORD);
  });
  afterAll(() => t.close());

  const post = (what: 'preview' | 'apply', body: string | Buffer, query = '') =>
    request(t.http)
      .post(`/api/admin/import/${what}${query}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(body);

  /** A small org with a unique root, so tests do not see each other. */
  const org = () => {
    const tag = randomUUID().slice(0, 8);
    const e = (n: string) => `${n}-${tag}@test.example`;
    const csv = [
      'email,name,team,role,group',
      `${e('ada')},Ada Lovelace,Payments,lead,Acme ${tag}/Product/Payments`,
      `${e('bob')},Bob Builder,Payments,member,Acme ${tag}/Product/Payments`,
      `${e('cy')},Cy Young,Payments,,Acme ${tag}/Product/Payments`,
      `${e('dee')},Dee Dee,Platform,lead,Acme ${tag}/Platform`,
      `${e('ada')},Ada Lovelace,Platform,member,Acme ${tag}/Platform`,
    ].join('\n');
    return { tag, e, csv };
  };

  const count = async (tag: string) => {
    const rows: { people: number; groups: number; teams: number; memberships: number }[] = await t.ds.query(
      `SELECT (SELECT count(*)::int FROM app_user WHERE email LIKE '%-' || $1 || '@test.example') AS people,
              (SELECT count(*)::int FROM org_group WHERE name = 'Acme ' || $1 OR parent_id IN (SELECT id FROM org_group WHERE name = 'Acme ' || $1)) AS groups,
              (SELECT count(*)::int FROM team t JOIN org_group g ON g.id = t.group_id WHERE g.name IN ('Payments', 'Platform') AND EXISTS (
                 SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id WHERE m.team_id = t.id AND u.email LIKE '%-' || $1 || '@test.example')) AS teams,
              (SELECT count(*)::int FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.email LIKE '%-' || $1 || '@test.example') AS memberships`,
      [tag],
    );
    return rows[0]!;
  };

  it('previews without writing, applies all of it, and re-applying the same file changes nothing', async () => {
    const { tag, csv, e } = org();
    const preview = await post('preview', csv).expect(200);
    expect(preview.body).toMatchObject({
      ok: true,
      errors: [],
      summary: {
        rows: 5,
        people: { create: 4, update: 0 },
        groups: { create: 4 }, // Acme, Acme/Product, Acme/Product/Payments, Acme/Platform
        teams: { create: 2 },
        memberships: { add: 5, changeRole: 0, remove: 0 },
      },
    });
    expect(await count(tag)).toMatchObject({ people: 0, memberships: 0 });

    const applied = await post('apply', csv).expect(200);
    expect(applied.body.summary).toEqual(preview.body.summary);
    expect(await count(tag)).toEqual({ people: 4, groups: 3, teams: 2, memberships: 5 });

    const again = await post('preview', csv).expect(200);
    expect(again.body.summary).toMatchObject({
      people: { create: 0, update: 0, unchanged: 4 },
      groups: { create: 0 },
      teams: { create: 0 },
      memberships: { add: 0, changeRole: 0, remove: 0 },
    });
    await post('apply', csv).expect(200);
    expect(await count(tag)).toEqual({ people: 4, groups: 3, teams: 2, memberships: 5 });

    // The people can be found by the admin API, with their teams.
    const found = await request(t.http)
      .get(`/api/admin/people?q=${encodeURIComponent(e('ada'))}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(found.body.people).toEqual([
      expect.objectContaining({ name: 'Ada Lovelace', hasPassword: false }),
    ]);
    const audit = await request(t.http)
      .get('/api/admin/audit?action=import.apply&limit=1')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(audit.body.entries[0].detail).toMatchObject({
      rows: 5,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('updates people in place from a changed file: rename, role change, team change; never duplicates', async () => {
    const { tag, csv, e } = org();
    await post('apply', csv).expect(200);
    const changed = [
      'Email,Name,Team,Role,Group Path',
      `${e('ADA').toUpperCase().replace(tag.toUpperCase(), tag)},Ada King,Payments,lead,Acme ${tag}/Product/Payments`,
      `${e('bob')},Bob Builder,Payments,lead,Acme ${tag}/Product/Payments`,
      `${e('cy')},Cy Young,Platform,member,acme ${tag}/platform`,
      `${e('dee')},Dee Dee,Platform,lead,Acme ${tag}/Platform`,
    ].join('\r\n');
    const preview = await post('preview', changed).expect(200);
    expect(preview.body.ok).toBe(true);
    expect(preview.body.summary).toMatchObject({
      people: { create: 0, update: 1, unchanged: 3 },
      groups: { create: 0 },
      teams: { create: 0 },
      memberships: { add: 1, changeRole: 1, remove: 2 },
    });
    await post('apply', changed).expect(200);
    expect(await count(tag)).toEqual({ people: 4, groups: 3, teams: 2, memberships: 4 });
    const ada: { name: string }[] = await t.ds.query('SELECT name FROM app_user WHERE email = $1', [
      e('ada'),
    ]);
    expect(ada).toEqual([{ name: 'Ada King' }]);
  });

  it('reports row-level errors and warnings, and apply refuses the file without writing anything', async () => {
    const tag = randomUUID().slice(0, 8);
    const e = (n: string) => `${n}-${tag}@test.example`;
    const csv = [
      'email,name,team,role,group',
      `${e('a')},A,Payments,member,Acme ${tag}/Product`, // line 2: ok, but Payments would have no lead (warning)
      `not-an-email,B,Payments,member,Acme ${tag}/Product`, // 3: bad email
      `${e('a')},A,Payments,member,Acme ${tag}/Product`, // 4: duplicate of 2
      `${e('c')},C,Core,boss,Acme ${tag}/Product`, // 5: unknown role
      `${e('d')},D,Core,lead,Acme ${tag}/Product/Acme ${tag}`, // 6: cycle (repeated name)
      `${e('f')},F,Core,lead,Product ${tag}/Zeta ${tag}`, // 7 + 8: opposite orders
      `${e('g')},G,Core,lead,Zeta ${tag}/Product ${tag}`,
      `${e('a')},Another Name,Core,lead,Acme ${tag}/Product`, // 9: conflicting name
      `${e('h')},,Core,lead,Acme ${tag}//Product`, // 10: missing name, bad path
      `${e('i')},I,Core,lead`, // 11: wrong number of values
      `${e('j')},J\u0000J,Core,lead,Acme ${tag}/Product`, // 12: NUL (was a 500 on apply)
    ].join('\n');
    const res = await post('preview', csv).expect(200);
    expect(res.body.ok).toBe(false);
    const codes = (res.body.errors as { line: number; code: string }[]).map((x) => `${x.line}:${x.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        '3:bad_email',
        '4:duplicate_row',
        '5:unknown_role',
        '6:group_path_cycle',
        '7:group_path_cycle',
        '8:group_path_cycle',
        '9:conflicting_name',
        '10:missing_value',
        '10:bad_group_path',
        '11:malformed_row',
        '12:malformed_row',
      ]),
    );
    expect(res.body.errors).toContainEqual({
      line: 12,
      column: 'name',
      code: 'malformed_row',
      message: '"name" must not contain control characters (such as NUL)',
    });
    expect(res.body.warnings).toEqual([expect.objectContaining({ line: 2, code: 'team_without_lead' })]);

    const apply = await post('apply', csv).expect(422);
    expect(apply.body).toMatchObject({
      code: 'import_invalid',
      fields: { 'line 3': [expect.stringMatching(/not an email/)] },
    });
    const people: unknown[] = await t.ds.query(
      `SELECT 1 FROM app_user WHERE email LIKE '%-' || $1 || '@test.example'`,
      [tag],
    );
    expect(people).toEqual([]);
  });

  it('refuses a wrong header, unknown teams (when asked not to create), non-UTF-8 and a 50 MB file with a readable report', async () => {
    const header = await post('preview', 'mail,name,team,department\nx@y.example,X,T,G').expect(200);
    expect(header.body.errors.map((x: { code: string; column: string }) => `${x.code}:${x.column}`)).toEqual(
      expect.arrayContaining([
        'unknown_column:mail',
        'unknown_column:department',
        'missing_column:email',
        'missing_column:group',
      ]),
    );
    const tag = randomUUID().slice(0, 8);
    const unknown = await post(
      'preview',
      `email,name,team,group\nx-${tag}@test.example,X,Nope,Nowhere ${tag}`,
      '?createTeams=false',
    ).expect(200);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ line: 2, code: 'unknown_team' })]);

    const latin1 = Buffer.concat([
      Buffer.from('email,name,team,group\nx@y.example,Jos'),
      Buffer.from([0xe9]),
      Buffer.from(',T,G\n'),
    ]);
    const enc = await post('preview', latin1).expect(422);
    expect(enc.body.message).toMatch(/not UTF-8.*line 2/);

    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    const tooBig = await post('preview', big).expect(413);
    expect(tooBig.body.message).toMatch(/larger than 10 MB/);

    await request(t.http)
      .post('/api/admin/import/preview')
      .set('Authorization', `Bearer ${token}`)
      .send({ csv: 'x' })
      .expect(415);
    const empty = await post('preview', '').expect(200);
    expect(empty.body.errors[0].code).toBe('empty_file');
  });

  it('accepts a multipart upload', async () => {
    const { csv } = org();
    const res = await request(t.http)
      .post('/api/admin/import/preview')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', Buffer.from(csv), { filename: 'people.csv', contentType: 'text/csv' })
      .expect(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.summary.rows).toBe(5);
  });

  it('is for admins only', async () => {
    const user = await makeUser(t.ds);
    const other = await login(t.http, user.email, PASSWORD);
    await request(t.http)
      .post('/api/admin/import/apply')
      .set('Authorization', `Bearer ${other}`)
      .set('Content-Type', 'text/csv')
      .send('email,name,team,group\n')
      .expect(403);
  });
});
