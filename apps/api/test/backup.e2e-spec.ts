import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { backup, restore } from '../src/cli/backup';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { CycleService } from '../src/surveys/cycle.service';
import { obtainToken } from './blind-client';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, login, testDatabaseUrl, type TestApp } from './test-app';

const HOUR = 3_600_000;
const answers = (v: number) => ({ ps1: 8 - v, ps2: v, ps3: 8 - v, ps4: v, ps5: 8 - v, ps6: v, ps7: v });

describe('backup and restore (npm run backup / restore)', () => {
  let t: TestApp;
  let dir: string;
  let restoredName: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'candor-backup-'));
    restoredName = `candor_restore_${randomBytes(4).toString('hex')}`;
  });
  afterAll(async () => {
    await t.close();
    const c = new Client({ connectionString: testDatabaseUrl() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
    await c.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a backup taken while answers arrive restores into an empty database that serves the same dashboard', async () => {
    const cycles = t.app.get(CycleService);
    const team = await makeTeam(t.ds, 8);
    const closed = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - 2 * HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    const open = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + 2 * HOUR),
      k: 3,
    });
    const tokens: {
      closed: { token: string; signature: string };
      open: { token: string; signature: string };
    }[] = [];
    for (const person of team.everyone) {
      const access = await login(t.http, person.email, PASSWORD);
      tokens.push({
        closed: await obtainToken(t.http, access, closed.id, closed.publicKeySpki),
        open: await obtainToken(t.http, access, open.id, open.publicKeySpki),
      });
    }
    for (const [i, tok] of tokens.slice(0, 5).entries()) {
      await request(t.http)
        .post('/api/responses')
        .send({
          cycleId: closed.id,
          instrument: 'psych-safety@1',
          ...tok.closed,
          answers: answers((i % 7) + 1),
        })
        .expect(201);
    }
    await cycles.close(closed.id);

    // Under load: submissions to the open cycle while pg_dump runs.
    const file = join(dir, 'candor.dump');
    const submitting = Promise.all(
      tokens.map((tok, i) =>
        request(t.http)
          .post('/api/responses')
          .send({
            cycleId: open.id,
            instrument: 'psych-safety@1',
            ...tok.open,
            answers: answers((i % 7) + 1),
          }),
      ),
    );
    await backup(testDatabaseUrl(), file);
    expect((await submitting).map((r) => r.status)).toEqual(tokens.map(() => 201));
    expect(statSync(file).size).toBeGreaterThan(0);

    const admin = new Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${restoredName}`);
    await admin.end();
    const restoredUrl = new URL(testDatabaseUrl());
    restoredUrl.pathname = `/${restoredName}`;
    await restore(restoredUrl.toString(), file);
    // Restoring over a database that has data is refused.
    await expect(restore(restoredUrl.toString(), file)).rejects.toThrow(/not empty/);

    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: restoredUrl.toString(),
      JWT_SECRET: t.config.jwt.secret,
    });
    const restoredApp = await createApp({ config, databaseUrl: restoredUrl.toString(), logger: false });
    await restoredApp.init();
    try {
      const http2 = restoredApp.getHttpServer() as App;
      const trend = async (http: App) => {
        const access = await login(http, team.lead.email, PASSWORD);
        const res = await request(http)
          .get(`/api/teams/${team.teamId}/trend`)
          .set('Authorization', `Bearer ${access}`)
          .expect(200);
        return res.body as { points: unknown[]; openCycle: { responses: number } };
      };
      const [original, restored] = [await trend(t.http), await trend(http2)];
      expect(restored.points).toEqual(original.points);
      expect(restored.points).toHaveLength(1);
      // The snapshot is consistent: each restored answer (sealed on its spent token while the cycle
      // is open, issue 12) has its spent token, and vice versa.
      const ds2 = restoredApp.get(DataSource);
      const [row]: { responses: number; spent: number }[] = await ds2.query(
        `SELECT ((SELECT count(*) FROM response WHERE cycle_id = $1)
                 + (SELECT count(*) FROM spent_token WHERE cycle_id = $1 AND sealed_answers IS NOT NULL))::int AS responses,
                (SELECT count(*) FROM spent_token WHERE cycle_id = $1)::int AS spent`,
        [open.id],
      );
      expect(row!.responses).toBe(row!.spent);
      expect(restored.openCycle.responses).toBe(row!.responses);
    } finally {
      await restoredApp.close();
    }
  });
});
