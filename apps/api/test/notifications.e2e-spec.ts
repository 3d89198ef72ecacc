import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import type { OutboxResponse, TeamSlackResponse } from '@candor/contracts';
import { type AuthUser } from '../src/auth/auth.types';
import { ResponseService } from '../src/responses/response.service';
import { SchedulerService } from '../src/surveys/scheduler.service';
import { blindToken } from './blind-client';
import { makeTeam, makeUser, PASSWORD, type TestPerson } from './factories';
import { createDataSource } from '../src/database/data-source';
import { createScratchDatabase } from '../src/database/scratch-database';
import { createTestApp, login, testDatabaseUrl, type TestApp } from './test-app';

/** Email through a real SMTP server and Slack through a real HTTP receiver, both on loopback only. */
interface Mail {
  to: string[];
  raw: string;
}

/** Unfolds headers and undoes quoted-printable soft breaks, enough to read what was sent. */
function readable(raw: string): string {
  return raw
    .replace(/\r\n[ \t]+/g, ' ')
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function startSmtp(): Promise<{ server: SMTPServer; port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: readable(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.server.address() as AddressInfo).port;
      resolve({ server, port, mails });
    });
  });
}

function startSlack(): Promise<{
  server: Server;
  url: string;
  posts: { path: string; body: { text: string } }[];
}> {
  const posts: { path: string; body: { text: string } }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string },
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, posts });
    });
  });
}

const at = (iso: string) => new Date(iso);
const asUser = (p: TestPerson): AuthUser => ({
  id: p.id,
  email: p.email,
  name: '',
  isAdmin: false,
  tokenVersion: 0,
  teams: new Map(),
  directorOf: [],
});

describe('notifications: email (SMTP and outbox), reminders, preferences, Slack', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let slack: Awaited<ReturnType<typeof startSlack>>;
  let admin: string;
  beforeAll(async () => {
    smtp = await startSmtp();
    slack = await startSlack();
    t = await createTestApp({
      smtp: { url: `smtp://127.0.0.1:${smtp.port}`, from: 'Candor <candor@test.example>' },
      // The Slack receiver is on 127.0.0.1: allowed only with SLACK_ALLOW_LOCAL=true.
      network: { trustProxy: ['loopback'], slackAllowLocal: true },
    });
    const a = await makeUser(t.ds, { isAdmin: true });
    admin = await login(t.http, a.email, PASSWORD);
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => smtp.server.close(() => r()));
    await new Promise<void>((r) => slack.server.close(() => r()));
  });

  it('sends "the pulse is open", one reminder to those without a token who want reminders, and Slack open/results — each once', async () => {
    const team = await makeTeam(t.ds, 4);
    const [lead, m1, m2, m3] = team.everyone as [
      (typeof team.everyone)[0],
      (typeof team.everyone)[0],
      (typeof team.everyone)[0],
      (typeof team.everyone)[0],
    ];
    const leadToken = await login(t.http, lead.email, PASSWORD);
    const hook = `${slack.url}/services/T0/B0/secret-${team.teamId.slice(0, 8)}`;
    const set = await request(t.http)
      .put(`/api/teams/${team.teamId}/slack`)
      .set('Authorization', `Bearer ${leadToken}`)
      .send({ webhookUrl: hook })
      .expect(200);
    expect(set.body as TeamSlackResponse).toEqual({ configured: true, hint: `${slack.url}/services/T0/…` });

    const m3Token = await login(t.http, m3.email, PASSWORD);
    await request(t.http)
      .patch('/api/me/preferences')
      .set('Authorization', `Bearer ${m3Token}`)
      .send({ remindersEnabled: false })
      .expect(200, { remindersEnabled: false });
    await request(t.http)
      .get('/api/me/preferences')
      .set('Authorization', `Bearer ${m3Token}`)
      .expect(200, { remindersEnabled: false });

    await request(t.http)
      .post('/api/schedules')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        teamId: team.teamId,
        instrument: 'psych-safety',
        cadence: 'weekly',
        weekday: 1,
        hour: 9,
        timezone: 'UTC',
        windowDays: 4,
        k: 3,
        startsOn: '2020-06-01',
      })
      .expect(201);
    const scheduler = t.app.get(SchedulerService);
    const mine = () => smtp.mails.filter((m) => m.to.some((to) => team.everyone.some((p) => p.email === to)));
    const hooks = () => slack.posts.filter((p) => p.path === new URL(hook).pathname);

    // Monday 1 June 2020 09:00 UTC: the cycle opens.
    await scheduler.tick(at('2020-06-01T09:00:00Z'), { waitForLock: true });
    await scheduler.tick(at('2020-06-01T09:01:00Z'), { waitForLock: true });
    expect(
      mine()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual([lead.email, m1.email, m2.email, m3.email].sort());
    const open = mine()[0]!.raw;
    expect(open).toMatch(/^From: Candor <candor@test\.example>/m);
    expect(open).toMatch(/^Subject: The Team \w+ pulse is open until Friday 5 June 2020 at 09:00 UTC/m);
    expect(open).toContain('Results are shown only when at least 3 people have answered.');
    expect(hooks().map((p) => p.body.text)).toEqual([
      expect.stringMatching(/^The Team \w+ pulse is open until Friday 5 June 2020 at 09:00 UTC/),
    ]);

    // The lead takes a token on Tuesday.
    const [cycle]: { id: string; public_key_spki: string }[] = await t.ds.query(
      'SELECT id, public_key_spki FROM cycle WHERE team_id = $1',
      [team.teamId],
    );
    const state = await blindToken(cycle!.public_key_spki);
    await t.app
      .get(ResponseService)
      .issueToken(
        asUser(lead),
        cycle!.id,
        Buffer.from(state.blinded).toString('base64url'),
        at('2020-06-02T10:00:00Z'),
      );

    // Thursday 09:00 (24 h before close): reminders to m1 and m2 only (lead has a token, m3 opted out).
    smtp.mails.length = 0;
    await scheduler.tick(at('2020-06-04T09:00:00Z'), { waitForLock: true });
    await scheduler.tick(at('2020-06-04T15:00:00Z'), { waitForLock: true });
    expect(
      mine()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual([m1.email, m2.email].sort());
    expect(mine()[0]!.raw).toMatch(
      /^Subject: Reminder: the Team \w+ pulse closes Friday 5 June 2020 at 09:00 UTC/m,
    );
    expect(mine()[0]!.raw).toContain('You can turn reminders off');

    // Friday 09:00: closes; Slack hears "results are in", once.
    await scheduler.tick(at('2020-06-05T09:00:00Z'), { waitForLock: true });
    await scheduler.tick(at('2020-06-05T10:00:00Z'), { waitForLock: true });
    expect(hooks().map((p) => p.body.text)).toEqual([
      expect.stringMatching(/pulse is open/),
      expect.stringMatching(/^The Team \w+ pulse has closed: results are in/),
    ]);
    expect(mine()).toHaveLength(2);
    const sent: { kind: string; recipient: string }[] = await t.ds.query(
      'SELECT kind, recipient FROM notification_sent WHERE cycle_id = $1 ORDER BY kind, recipient',
      [cycle!.id],
    );
    expect(sent.filter((s) => s.kind === 'open')).toHaveLength(5); // 4 people + slack
    expect(sent.filter((s) => s.kind === 'reminder')).toHaveLength(2);
    expect(sent.filter((s) => s.kind === 'results')).toEqual([{ kind: 'results', recipient: 'slack' }]);
    await t.ds.query('UPDATE schedule SET active = false WHERE team_id = $1', [team.teamId]);
  });

  it('gives a claim back when delivery fails, so the next tick retries (and still sends once)', async () => {
    const team = await makeTeam(t.ds, 3);
    await t.ds.query('UPDATE team SET slack_webhook_url = $2 WHERE id = $1', [
      team.teamId,
      `${slack.url}/services/T1/B1/flaky`,
    ]);
    await t.ds.query(
      `INSERT INTO schedule (team_id, instrument, cadence, weekday, hour, timezone, window_days, k, starts_on)
       VALUES ($1, 'psych-safety', 'weekly', 3, 9, 'UTC', 2, 3, '2020-07-01')`,
      [team.teamId],
    );
    const scheduler = t.app.get(SchedulerService);
    const fails = slack.server.listeners('request');
    slack.server.removeAllListeners('request');
    slack.server.on('request', (_req, res) => res.writeHead(500).end());
    const first = await scheduler.tick(at('2020-07-01T09:00:00Z'), { waitForLock: true });
    expect(first.notifications.failed).toBeGreaterThanOrEqual(1);
    slack.server.removeAllListeners('request');
    for (const l of fails) slack.server.on('request', l as () => void);
    await scheduler.tick(at('2020-07-01T09:01:00Z'), { waitForLock: true });
    await scheduler.tick(at('2020-07-01T09:02:00Z'), { waitForLock: true });
    expect(slack.posts.filter((p) => p.path === '/services/T1/B1/flaky')).toHaveLength(1);
    await t.ds.query('UPDATE schedule SET active = false WHERE team_id = $1', [team.teamId]);
  });

  it('validates preferences and Slack webhooks; only an admin or the team lead sets a webhook', async () => {
    const team = await makeTeam(t.ds, 3);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const bad = await request(t.http)
      .patch('/api/me/preferences')
      .set('Authorization', `Bearer ${member}`)
      .send({ remindersEnabled: 'no' })
      .expect(400);
    expect(bad.body.fields).toEqual({ remindersEnabled: ['must be true or false'] });
    const put = (token: string, webhookUrl: unknown) =>
      request(t.http)
        .put(`/api/teams/${team.teamId}/slack`)
        .set('Authorization', `Bearer ${token}`)
        .send({ webhookUrl });
    await put(member, 'https://hooks.slack.com/services/T/B/x').expect(403);
    t.config.network.slackAllowLocal = false;
    for (const url of [
      'https://evil.example/hook',
      'http://10.0.0.1/hook',
      'ftp://hooks.slack.com/x',
      'nope',
    ]) {
      const res = await put(admin, url).expect(400);
      expect(Object.keys(res.body.fields as object)).toEqual(['webhookUrl']);
    }
    await put(admin, 42).expect(400);
    expect((await put(admin, 'https://hooks.slack.com/services/T9/B9/zzz').expect(200)).body).toEqual({
      configured: true,
      hint: 'https://hooks.slack.com/services/T9/…',
    });
    await put(admin, null).expect(200, { configured: false, hint: null });
    t.config.network.slackAllowLocal = true;
    await request(t.http)
      .put('/api/teams/00000000-0000-4000-8000-000000000000/slack')
      .set('Authorization', `Bearer ${admin}`)
      .send({ webhookUrl: null })
      .expect(404);
  });

  it('refuses loopback in every spelling and private targets unless SLACK_ALLOW_LOCAL=true', async () => {
    const team = await makeTeam(t.ds, 2);
    const put = (webhookUrl: string) =>
      request(t.http)
        .put(`/api/teams/${team.teamId}/slack`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ webhookUrl });
    const port = new URL(slack.url).port;
    const local = [
      `http://2130706433:${port}/hook`,
      `http://0x7f000001:${port}/hook`,
      `http://127.1:${port}/hook`,
      `http://0177.0.0.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://localhost:${port}/hook`,
      'http://10.0.0.1/hook',
      'https://192.168.1.10/hook',
    ];
    const never = [
      'http://169.254.169.254/latest/meta-data',
      'http://0.0.0.0/hook',
      'http://[fe80::1]/hook',
      'https://evil.example/hook',
      'http://hooks.slack.com/services/T/B/x',
      'https://hooks.slack.com:8443/services/T/B/x',
    ];
    t.config.network.slackAllowLocal = false;
    try {
      for (const url of [...local, ...never]) {
        const res = await put(url);
        expect([url, res.status]).toEqual([url, 400]);
        expect(Object.keys(res.body.fields as object)).toEqual(['webhookUrl']);
      }
      // Not production is no exception any more (loopback used to be accepted outside production).
      expect(t.config.production).toBe(false);
    } finally {
      t.config.network.slackAllowLocal = true;
    }
    for (const url of local) expect([url, (await put(url)).status]).toEqual([url, 200]);
    for (const url of never) expect([url, (await put(url)).status]).toEqual([url, 400]);
    await put('https://hooks.slack.com/services/T/B/x').expect(200);
  });

  it('checks the target again at delivery: a stored local webhook is not called once local targets are off', async () => {
    const team = await makeTeam(t.ds, 3);
    const path = `/services/T2/B2/${team.teamId.slice(0, 8)}`;
    await t.ds.query('UPDATE team SET slack_webhook_url = $2 WHERE id = $1', [
      team.teamId,
      `http://2130706433:${new URL(slack.url).port}${path}`,
    ]);
    await t.ds.query(
      `INSERT INTO schedule (team_id, instrument, cadence, weekday, hour, timezone, window_days, k, starts_on)
       VALUES ($1, 'psych-safety', 'weekly', 3, 9, 'UTC', 2, 3, '2020-08-05')`,
      [team.teamId],
    );
    const scheduler = t.app.get(SchedulerService);
    t.config.network.slackAllowLocal = false;
    try {
      const tick = await scheduler.tick(at('2020-08-05T09:00:00Z'), { waitForLock: true });
      expect(tick.notifications.failed).toBeGreaterThanOrEqual(1);
      await scheduler.tick(at('2020-08-05T09:01:00Z'), { waitForLock: true });
    } finally {
      t.config.network.slackAllowLocal = true;
      await t.ds.query('UPDATE schedule SET active = false WHERE team_id = $1', [team.teamId]);
    }
    expect(slack.posts.filter((p) => p.path === path)).toEqual([]);
    // Refused by policy: the claim is kept, so no tick knocks again.
    const claims: unknown[] = await t.ds.query(
      `SELECT 1 FROM notification_sent n JOIN cycle c ON c.id = n.cycle_id WHERE c.team_id = $1 AND n.recipient = 'slack'`,
      [team.teamId],
    );
    expect(claims).toHaveLength(1);
  });

  // Last: a second app in one process takes over Passport's strategies (its own JWT secret).
  // On a database of its own: on the shared test database another file's tick can put hundreds of
  // messages in the outbox between this tick and the read. The 1,000 older messages put in first
  // reproduce what the full suite once left there: NotificationService.outbox used to order by its
  // text output column, so '999' sorted above '1684' and the newest messages fell off the page.
  it('without SMTP the messages go to the outbox, which only admins can read', async () => {
    const own = await createScratchDatabase('candor_test_outbox', testDatabaseUrl());
    const migrate = createDataSource(own.url);
    await migrate.initialize();
    await migrate.runMigrations();
    await migrate.destroy();
    const noSmtp = await createTestApp({}, { databaseUrl: own.url });
    try {
      await noSmtp.ds.query(
        `INSERT INTO outbox (to_address, subject, body, kind)
         SELECT 'older' || i || '@example.com', 'Older message', 'Older message', 'open' FROM generate_series(1, 1000) i`,
      );
      const team = await makeTeam(noSmtp.ds, 3);
      await noSmtp.ds.query(
        `INSERT INTO schedule (team_id, instrument, cadence, weekday, hour, timezone, window_days, k, starts_on)
         VALUES ($1, 'psych-safety', 'weekly', 5, 9, 'UTC', 3, 3, '2020-09-01')`,
        [team.teamId],
      );
      const report = await noSmtp.app
        .get(SchedulerService)
        .tick(at('2020-09-04T09:00:00Z'), { waitForLock: true });
      expect(report.notifications).toEqual({ sent: 0, failed: 0, outbox: 3 });
      const a = await makeUser(noSmtp.ds, { isAdmin: true });
      const admin = await login(noSmtp.http, a.email, PASSWORD);
      const res = await request(noSmtp.http)
        .get('/api/admin/outbox?limit=3')
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      // The newest first: the first page of 3 is exactly this tick's messages.
      const page = (res.body as OutboxResponse).messages;
      const mine = page.filter((m) => team.everyone.some((p) => p.email === m.to));
      expect(mine).toHaveLength(3);
      const next = await request(noSmtp.http)
        .get(`/api/admin/outbox?limit=500&before=${page.at(-1)!.id}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      const ids = [...page, ...(next.body as OutboxResponse).messages].map((m) => Number(m.id));
      expect(ids).toHaveLength(503);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(ids[0]).toBe(1003);
      expect(mine[0]).toMatchObject({ kind: 'open', subject: expect.stringMatching(/pulse is open/) });
      const lead = await login(noSmtp.http, team.lead.email, PASSWORD);
      await request(noSmtp.http).get('/api/admin/outbox').set('Authorization', `Bearer ${lead}`).expect(403);
      const bad = await request(noSmtp.http)
        .get('/api/admin/outbox?limit=0&before=x')
        .set('Authorization', `Bearer ${admin}`)
        .expect(400);
      expect(Object.keys(bad.body.fields as object).sort()).toEqual(['before', 'limit']);
      await noSmtp.ds.query('UPDATE schedule SET active = false WHERE team_id = $1', [team.teamId]);
    } finally {
      await noSmtp.close();
      await own.dispose();
    }
  });
});
