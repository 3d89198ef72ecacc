import request from 'supertest';
import { createTestApp, login, type TestApp } from './test-app';
import { makeTeam, PASSWORD } from './factories';

/**
 * Every route in the OpenAPI document, with and without credentials, gets malformed input.
 * Nothing may answer 5xx, echo a stack trace or SQL, or change what is stored.
 */
const BODIES: (string | object)[] = [
  '{"unterminated": ',
  'null',
  '[]',
  '"a string"',
  '12',
  '{"__proto__": {"isAdmin": true}}',
  '{"constructor": {"prototype": {"isAdmin": true}}}',
  JSON.stringify({ email: "' OR 1=1 --", password: "'; DROP TABLE app_user; --" }),
  JSON.stringify({ cycleId: null, instrument: {}, token: [], signature: 1, answers: 'x' }),
  JSON.stringify({ answers: { ps1: 1e308, ps2: -1, ps3: NaN, ps4: '7', ps5: null } }),
  JSON.stringify({ blindedMessage: 'A'.repeat(5000) }),
  JSON.stringify({ deep: JSON.parse('['.repeat(500) + ']'.repeat(500)) }),
  '\u00ff\u00fe invalid utf-8 \udc00',
  JSON.stringify({ text: 'x'.repeat(1024 * 1024) }),
  JSON.stringify({ id: 'undefined', teamId: null, groupId: '', cycleId: "' OR ''='" }),
  JSON.stringify({ email: 'a@b.example', role: 'admin', isAdmin: true, k: 1, windowDays: 999, limit: -1 }),
  JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, i]))),
];
const IDS = [
  'undefined',
  'null',
  '%20',
  "1'%20OR%20'1'='1",
  '00000000-0000-0000-0000-000000000000',
  '..%2F..%2Fetc%2Fpasswd',
];

describe('hostile input across every route', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    const team = await makeTeam(t.ds, 3);
    token = await login(t.http, team.lead.email, PASSWORD);
  });
  afterAll(() => t.close());

  it('never answers 5xx or leaks internals', async () => {
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const before = await t.ds.query(
      `SELECT (SELECT count(*) FROM response) r, (SELECT count(*) FROM app_user) u, (SELECT count(*) FROM token_issue) ti,
              (SELECT count(*) FROM spent_token) st, (SELECT count(*) FROM cycle) c`,
    );
    let requests = 0;
    const failures: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const paths = path.includes('{') ? IDS.map((id) => path.replace(/\{[^}]+\}/g, id)) : [path];
        for (const p of paths) {
          for (const auth of [undefined, `Bearer ${token}`, 'Bearer x.y.z']) {
            for (const body of method === 'get' ? [undefined] : BODIES) {
              let req = request(t.http)[method as 'get' | 'post'](
                `${p}${method === 'get' ? '?instrument=%27;--&x[y]=1' : ''}`,
              );
              if (auth) req = req.set('Authorization', auth);
              if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body as string);
              const res = await req;
              requests++;
              const text = res.text ?? '';
              if (
                res.status >= 500 ||
                /\bat \S+ \(|node_modules|QueryFailedError|SELECT |INSERT /.test(text)
              ) {
                failures.push(
                  `${method.toUpperCase()} ${p} [${auth ?? 'anon'}] ${String(body).slice(0, 40)} → ${res.status} ${text.slice(0, 120)}`,
                );
              }
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(5_000);
    const after = await t.ds.query(
      `SELECT (SELECT count(*) FROM response) r, (SELECT count(*) FROM app_user) u, (SELECT count(*) FROM token_issue) ti,
              (SELECT count(*) FROM spent_token) st, (SELECT count(*) FROM cycle) c`,
    );
    expect(after).toEqual(before);
  }, 300_000);
});
