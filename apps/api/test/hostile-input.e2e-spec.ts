import request from 'supertest';
import { createTestApp, login, type TestApp } from './test-app';
import { makeTeam, PASSWORD } from './factories';

/**
 * Every route in the OpenAPI document, with and without credentials, gets malformed input.
 * Nothing may answer 5xx, echo a stack trace or SQL, or change what is stored.
 */
const BODIES: (string | Buffer)[] = [
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
  // Issue 14: nesting deep enough to overflow validation (was a 500), NUL and other control
  // characters in every field a route reads, in keys, broken and overlong Unicode, huge arrays.
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
  JSON.stringify({ a: [{ b: [{ c: [{ d: JSON.parse('['.repeat(40) + ']'.repeat(40)) }] }] }] }),
  JSON.stringify({
    name: 'Team\u0000',
    text: 'Try\u0000this',
    email: 'a\u0000@b.example',
    password: 'pass\u0000word',
    currentPassword: '\u0000',
    newPassword: 'new passphrase\u0000',
    webhookUrl: 'https://hooks.slack.com/services/\u0000',
    token: '\u0000',
    blindedMessage: '\u0000',
    cycleId: '\u0000',
    teamId: '\u0000',
    groupId: '\u0000',
    timezone: 'Europe/Berlin\u0000',
    dimension: '\u0007',
    answers: { ps1: 4, 'ps\u00002': 4 },
  }),
  JSON.stringify({ name: '\u001b[31mred\u001b[0m', text: '\u0085\u009b', email: '\u007f@b.example' }),
  JSON.stringify({ name: '\ud800', text: 'x\udfff', email: '\udbff@b.example' }),
  Buffer.concat([
    Buffer.from('{"name":"'),
    Buffer.from([0xc0, 0x80, 0xe0, 0x80, 0x80]),
    Buffer.from('","text":"x"}'),
  ]),
  JSON.stringify({ '\u0000': 1, ['\ud800']: 2 }),
  JSON.stringify({ answers: Array.from({ length: 30_000 }, () => 0) }),
  `[${Array.from({ length: 12_000 }, () => '{}').join(',')}]`,
];
const IDS = [
  'undefined',
  'null',
  '%20',
  "1'%20OR%20'1'='1",
  '00000000-0000-0000-0000-000000000000',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'abc%00def',
  '%C0%80',
  '%ED%A0%80',
  '%1B%5B2J',
];
/** Query strings for every GET: the usual junk, and NUL / control characters in likely parameters. */
const QUERIES = [
  '?instrument=%27;--&x[y]=1',
  '?q=%00&cursor=%00&limit=%00&teamId=%00&month=2026-01%00&action=%00&returnTo=%2F%00',
  '?q=%C0%80&cursor=%ED%A0%80&before=%1B&instrument=psych-safety%7F',
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
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const paths = path.includes('{') ? IDS.map((id) => path.replace(/\{[^}]+\}/g, id)) : [path];
        for (const p of paths) {
          for (const auth of [undefined, `Bearer ${token}`, 'Bearer x.y.z']) {
            for (const [query, body] of method === 'get'
              ? QUERIES.map((q) => [q, undefined] as const)
              : BODIES.map((b) => ['', b] as const)) {
              let req = request(t.http)[method as 'get' | 'post'](`${p}${query}`);
              if (auth) req = req.set('Authorization', auth);
              if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body);
              const res = await req;
              requests++;
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              const text = res.text ?? '';
              if (
                res.status >= 500 ||
                /\bat \S+ \(|node_modules|QueryFailedError|SELECT |INSERT /.test(text)
              ) {
                failures.push(
                  `${method.toUpperCase()} ${p}${query} [${auth ?? 'anon'}] ${String(body).slice(0, 40)} → ${res.status} ${text.slice(0, 120)}`,
                );
              }
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(5_000);
    expect(statuses.get(500) ?? 0).toBe(0);
    const after = await t.ds.query(
      `SELECT (SELECT count(*) FROM response) r, (SELECT count(*) FROM app_user) u, (SELECT count(*) FROM token_issue) ti,
              (SELECT count(*) FROM spent_token) st, (SELECT count(*) FROM cycle) c`,
    );
    expect(after).toEqual(before);
  }, 300_000);
});
