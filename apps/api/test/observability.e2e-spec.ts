import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { type INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { createRootLogger } from '../src/observability/logging';
import { CycleService } from '../src/surveys/cycle.service';
import { SchedulerService } from '../src/surveys/scheduler.service';
import { obtainToken } from './blind-client';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, testDatabaseUrl } from './test-app';

const HOUR = 3_600_000;
const METRICS_TOKEN = 'metrics-' + randomBytes(16).toString('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface LogLine {
  level: string;
  msg?: string;
  requestId?: string;
  method?: string;
  route?: string;
  res?: { status: number };
  durationMs?: number;
  context?: string;
}

/**
 * A real app handling real requests, its JSON log output captured line by line: request ids,
 * one line per request, and nothing secret in any line. Then the Prometheus endpoint.
 */
describe('structured logs and metrics', () => {
  let app: INestApplication;
  let http: App;
  let ds: DataSource;
  const raw: string[] = [];
  const lines = () => raw.join('').trim().split('\n').filter(Boolean);
  const parsed = () => lines().map((l) => JSON.parse(l) as LogLine);

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        raw.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl(),
      JWT_SECRET: randomBytes(32).toString('hex'),
      CANDOR_WEB_DIR: '/nonexistent',
      METRICS_TOKEN,
      LOG_LEVEL: 'debug',
    });
    app = await createApp({ config, databaseUrl: testDatabaseUrl(), pino: createRootLogger('debug', sink) });
    await app.init();
    http = app.getHttpServer() as App;
    ds = app.get(DataSource);
  });
  afterAll(() => app.close());

  it('logs one JSON line per request with its id, route pattern, status and duration — and no secrets', async () => {
    const team = await makeTeam(ds, 3);
    const cycle = await app.get(CycleService).open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    const person = team.members[0]!;

    // Sign-in: the password and the session token must not appear.
    const signIn = await request(http)
      .post('/api/auth/login')
      .set('X-Request-Id', 'client-chosen.id:42')
      .send({ email: person.email, password: PASSWORD })
      .expect(200);
    expect(signIn.headers['x-request-id']).toBe('client-chosen.id:42');
    const accessToken = (signIn.body as { accessToken: string }).accessToken;
    const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).join('; ');

    // Token issue and a submission with distinctive answers.
    const tok = await obtainToken(http, accessToken, cycle.id, cycle.publicKeySpki);
    const answers = { ps1: 7, ps2: 1, ps3: 6, ps4: 2, ps5: 5, ps6: 3, ps7: 4 };
    const submitted = await request(http)
      .post('/api/responses')
      .set('Cookie', cookie)
      .send({ cycleId: cycle.id, instrument: 'psych-safety@1', ...tok, answers })
      .expect(201);
    const submitId = submitted.headers['x-request-id'] as string;
    expect(submitId).toMatch(UUID);

    // A submission carrying a comment (not an accepted field): refused, and the text never logged.
    const comment = 'my-manager-ignores-every-idea-' + randomBytes(6).toString('hex');
    await request(http)
      .post('/api/responses')
      .send({ cycleId: cycle.id, instrument: 'psych-safety@1', ...tok, answers, comment })
      .expect(400);

    // A query string with a secret, and an unusable incoming request id (replaced).
    const secretQuery = 'reset-' + randomBytes(8).toString('hex');
    const probe = await request(http)
      .get(`/api/auth/me?token=${secretQuery}`)
      .set('Authorization', `Bearer ${accessToken}`)
      .set('X-Request-Id', 'bad id "with" spaces')
      .expect(200);
    expect(probe.headers['x-request-id']).toMatch(UUID);
    const unknown = await request(http).get('/api/no-such-route').expect(404);

    const all = lines().join('\n');
    for (const secret of [
      PASSWORD,
      accessToken,
      tok.token,
      tok.signature,
      comment,
      secretQuery,
      cookie.split(';')[0]!.split('=')[1]!,
      JSON.stringify(answers),
      '"ps1"',
    ]) {
      expect(all).not.toContain(secret);
    }

    // Every line is JSON; each request has exactly one request line, tagged with its id.
    const logged = parsed();
    const requestLine = (id: string) => logged.filter((l) => l.requestId === id && l.res !== undefined);
    expect(requestLine('client-chosen.id:42')).toEqual([
      expect.objectContaining({
        level: 'info',
        method: 'POST',
        route: '/api/auth/login',
        res: { status: 200 },
        durationMs: expect.any(Number) as number,
      }),
    ]);
    expect(requestLine(submitId)).toEqual([
      expect.objectContaining({ method: 'POST', route: '/api/responses', res: { status: 201 } }),
    ]);
    expect(requestLine(probe.headers['x-request-id'] as string)).toEqual([
      expect.objectContaining({ method: 'GET', route: '/api/auth/me', res: { status: 200 } }),
    ]);
    expect(requestLine(unknown.headers['x-request-id'] as string)).toEqual([
      expect.objectContaining({ method: 'GET', route: '(unmatched)', res: { status: 404 } }),
    ]);
    // Route patterns, never raw paths with ids.
    expect(logged.filter((l) => l.route?.includes(cycle.id))).toEqual([]);
    expect(logged.some((l) => l.route === '/api/cycles/:cycleId/tokens')).toBe(true);
    // Nest's own messages go through the same JSON logger.
    expect(logged.some((l) => l.context === 'RoutesResolver' || l.context === 'NestApplication')).toBe(true);
  });

  it('serves Prometheus metrics only with the metrics token, without team or cycle labels', async () => {
    const team = await makeTeam(ds, 3);
    const cycles = app.get(CycleService);
    const cycle = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - 2 * HOUR),
      closesAt: new Date(Date.now() - 60_000),
      k: 3,
    });
    const scrape = () => request(http).get('/api/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);

    await request(http).get('/api/metrics').expect(401);
    await request(http).get('/api/metrics').set('Authorization', 'Bearer not-the-metrics-token').expect(403);
    const before = await scrape().expect(200);
    expect(before.headers['content-type']).toContain('text/plain');
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    // The cycle above is past its closing time and still open: the scheduler is behind.
    expect(value(before.text, 'candor_scheduler_lag_seconds')).toBeGreaterThanOrEqual(59);
    const closedBefore = value(before.text, 'candor_cycles_closed_total')!;

    await app.get(SchedulerService).tick(new Date(), { waitForLock: true });
    const after = (await scrape().expect(200)).text;
    expect(value(after, 'candor_scheduler_lag_seconds')).toBe(0);
    expect(value(after, 'candor_cycles_closed_total')).toBeGreaterThanOrEqual(closedBefore + 1);
    expect(value(after, 'candor_scheduler_last_tick_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );

    // Requests by route pattern and status, submissions by outcome, process metrics.
    expect(
      value(after, 'candor_http_requests_total{method="POST",route="/api/responses",status="201"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value(after, 'candor_submissions_total{outcome="accepted"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'candor_submissions_total{outcome="rejected"}')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(
      /^candor_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/auth\/me",status="200"\} \d+$/m,
    );
    expect(after).toMatch(/^candor_process_cpu_user_seconds_total \d/m);
    // Nothing identifies a team, a cycle or a person.
    for (const id of [team.teamId, cycle.id, team.members[0]!.id]) expect(after).not.toContain(id);
    expect(after).not.toMatch(/team|cycle_id/i);
  });

  it('has no metrics endpoint without METRICS_TOKEN', async () => {
    const t = await createTestApp();
    try {
      await request(t.http).get('/api/metrics').expect(404);
      await request(t.http)
        .get('/api/metrics')
        .set('Authorization', 'Bearer anything-at-all-here')
        .expect(404);
    } finally {
      await t.close();
    }
  });
});
