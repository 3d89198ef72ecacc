import { constants, createHash, randomBytes, randomUUID, sign } from 'node:crypto';
import request from 'supertest';
import type {
  CommentModerationResponse,
  GroupCommentCountsResponse,
  ModeratedComment,
  TeamCommentsResponse,
  TeamRosterNamesResponse,
  ThreadResponse,
} from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import { SchedulerService } from '../src/surveys/scheduler.service';
import { makeGroup, makeTeam, makeUser, PASSWORD, type TestTeam } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const ANSWERS = { ps1: 4, ps2: 5, ps3: 3, ps4: 6, ps5: 2, ps6: 5, ps7: 4 };

interface Signed {
  token: string;
  signature: string;
}

/** A reply secret as the browser makes it, and the hash it sends. */
function replySecret(): { secret: string; hash: string } {
  const raw = randomBytes(32);
  return { secret: raw.toString('base64url'), hash: createHash('sha256').update(raw).digest('base64url') };
}

describe('anonymous comments (issue 16)', () => {
  let t: TestApp;
  let cycles: CycleService;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  async function openCycle(team: TestTeam, k = 3, kComments?: number): Promise<string> {
    const now = Date.now();
    const cycle = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(now - 3_600_000),
      closesAt: new Date(now + 86_400_000),
      k,
      kComments,
    });
    return cycle.id;
  }

  /**
   * A valid token of the cycle: the RSA-PSS signature that unblinding gives, made with the cycle
   * key directly (the full blind protocol runs in responses.e2e-spec.ts; here it would only cost time).
   */
  async function signedToken(cycleId: string): Promise<Signed> {
    const [row]: { private_key_pkcs8: string }[] = await t.ds.query(
      'SELECT private_key_pkcs8 FROM cycle WHERE id = $1',
      [cycleId],
    );
    const token = randomBytes(64);
    const signature = sign('sha384', token, {
      key: row!.private_key_pkcs8,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 48,
    });
    return { token: token.toString('base64url'), signature: signature.toString('base64url') };
  }

  const answer = (cycleId: string, s: Signed) =>
    request(t.http)
      .post('/api/responses')
      .send({ cycleId, instrument: 'psych-safety@1', ...s, answers: ANSWERS })
      .expect(201);

  const comment = (cycleId: string, s: Signed, text: string, hash = replySecret().hash) =>
    request(t.http)
      .post('/api/comments')
      .send({ cycleId, ...s, text, replyHash: hash });

  /** `people` answer and comment; returns the texts and reply secrets, in writing order. */
  async function writeAll(cycleId: string, people: number, tag: string) {
    const written: { text: string; secret: string }[] = [];
    for (let i = 0; i < people; i++) {
      const s = await signedToken(cycleId);
      await answer(cycleId, s);
      const r = replySecret();
      const text = `${tag} comment number ${i} about the on-call rota`;
      await comment(cycleId, s, text, r.hash).expect(201);
      written.push({ text, secret: r.secret });
    }
    return written;
  }

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('takes a comment with the blind token and no credentials, sealed and apart from the answers', async () => {
    const team = await makeTeam(t.ds, 6);
    const cycleId = await openCycle(team);
    const s = await signedToken(cycleId);
    await answer(cycleId, s);
    const needle = `plaintext-needle-${randomBytes(6).toString('hex')}`;
    const { hash } = replySecret();
    const first = await comment(cycleId, s, needle, hash).expect(201);
    expect(first.body).toEqual({ cycleId, replayed: false });
    // Same token, same comment: replayed; another comment: refused.
    expect((await comment(cycleId, s, needle, hash).expect(200)).body).toEqual({ cycleId, replayed: true });
    expect((await comment(cycleId, s, `${needle} changed`, hash).expect(409)).body.code).toBe(
      'comment_already_sent',
    );
    // Bad input: clear 4xx with field messages.
    const bad = await comment(cycleId, { ...s, signature: 'AAAA' }, 'x').expect(400);
    expect(bad.body.fields.signature).toBeDefined();
    const other = await signedToken(await openCycle(team));
    expect((await comment(cycleId, other, 'x').expect(400)).body.code).toBe('invalid_signature');
    const noHash = await request(t.http)
      .post('/api/comments')
      .send({ cycleId, ...s, text: 'x', replyHash: 'short' })
      .expect(400);
    expect(noHash.body.fields.replyHash).toBeDefined();
    const long = await comment(cycleId, s, 'x'.repeat(1001)).expect(400);
    expect(long.body.fields.text).toBeDefined();

    // Stored: no user, no time, not the spent-token hash, no plaintext.
    const columns: { column_name: string }[] = await t.ds.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'comment_sealed' ORDER BY column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(['cycle_id', 'digest', 'sealed', 'token_tag']);
    const [sealed]: { token_tag: Buffer; sealed: Buffer }[] = await t.ds.query(
      'SELECT token_tag, sealed FROM comment_sealed WHERE cycle_id = $1',
      [cycleId],
    );
    const [spent]: { token_hash: Buffer }[] = await t.ds.query(
      'SELECT token_hash FROM spent_token WHERE cycle_id = $1',
      [cycleId],
    );
    expect(sealed!.token_tag.equals(spent!.token_hash)).toBe(false);
    expect(sealed!.sealed.includes(Buffer.from(needle))).toBe(false);
    expect(sealed!.sealed.length).toBeGreaterThan(4096); // padded: the length says nothing
    // Raw heap pages of every comment table hold no plaintext of the open cycle's comment.
    const inspect = await t.ds
      .query('CREATE EXTENSION IF NOT EXISTS pageinspect')
      .then(() => true)
      .catch(() => false);
    expect(inspect).toBe(true);
    await t.ds.query('CHECKPOINT');
    for (const table of ['comment_sealed', 'comment', 'comment_message', 'response', 'spent_token']) {
      const [{ n }]: { n: number }[] = await t.ds.query(
        `SELECT (pg_relation_size($1) / current_setting('block_size')::int)::int AS n`,
        [table],
      );
      const hits: { hits: number }[] = await t.ds.query(
        `SELECT count(*)::int AS hits FROM generate_series(0, $1::int - 1) p
          WHERE position($2::bytea IN get_raw_page($3, p::int)) > 0`,
        [n, Buffer.from(needle), table],
      );
      expect({ table, hits: hits[0]!.hits }).toEqual({ table, hits: 0 });
    }
    // A closed cycle takes no comment.
    await cycles.close(cycleId);
    const late = await comment(cycleId, s, 'late').expect(410);
    expect(late.body.code).toBe('cycle_closed');
  });

  it('releases at close in random order, only to the leads, with no link to a person, a response or a moment', async () => {
    const team = await makeTeam(t.ds, 8);
    const cycleId = await openCycle(team, 3, 5);
    const written = await writeAll(cycleId, 6, 'released');
    await cycles.close(cycleId);

    expect(await t.ds.query('SELECT 1 FROM comment_sealed WHERE cycle_id = $1', [cycleId])).toEqual([]);
    expect(await t.ds.query('SELECT 1 FROM cycle_key WHERE cycle_id = $1', [cycleId])).toEqual([]);
    const columns: { table_name: string; column_name: string; data_type: string }[] = await t.ds.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_name IN ('comment', 'comment_message') ORDER BY table_name, column_name`,
    );
    // Nothing that names a person, and no time finer than a day (messages) or the cycle (comments).
    expect(columns.map((c) => `${c.table_name}.${c.column_name}:${c.data_type}`)).toEqual([
      'comment.body:text',
      'comment.cycle_id:uuid',
      'comment.hidden:boolean',
      'comment.hidden_reason:text',
      'comment.id:uuid',
      'comment.position:integer',
      'comment.reply_hash:bytea',
      'comment_message.author:text',
      'comment_message.body:text',
      'comment_message.comment_id:uuid',
      'comment_message.id:uuid',
      'comment_message.seq:integer',
      'comment_message.written_on:date',
    ]);
    const rows: { body: string; position: number; xmin: string }[] = await t.ds.query(
      'SELECT body, position, xmin::text FROM comment WHERE cycle_id = $1 ORDER BY ctid',
      [cycleId],
    );
    expect(rows.map((r) => r.body).sort()).toEqual(written.map((w) => w.text).sort());
    // Physical order is the random position order; one transaction wrote them all.
    expect(rows.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);

    const lead = await login(t.http, team.lead.email, PASSWORD);
    const view = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(lead)).expect(200)
    ).body as TeamCommentsResponse;
    const mine = view.cycles.find((c) => c.cycleId === cycleId)!;
    expect(mine.count).toEqual({ status: 'released', count: 6 });
    expect(mine.comments!.map((c) => c.text).sort()).toEqual(written.map((w) => w.text).sort());

    // A member and a director see the count, never the text.
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const memberView = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(member)).expect(200)
    ).body as TeamCommentsResponse;
    expect(memberView.cycles[0]).toMatchObject({ count: { status: 'released', count: 6 } });
    expect(memberView.cycles[0]!.comments).toBeUndefined();
    const director = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [
      director.id,
      team.groupId,
    ]);
    const dir = await login(t.http, director.email, PASSWORD);
    const dirView = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(dir)).expect(200)
    ).body as TeamCommentsResponse;
    expect(dirView.cycles[0]!.comments).toBeUndefined();
    expect(JSON.stringify(dirView)).not.toContain('on-call');
    // Outsiders: refused.
    const outsider = await login(t.http, (await makeUser(t.ds)).email, PASSWORD);
    await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(outsider)).expect(403);
  });

  it('refuses release below k_comments and below k (the gate), and a k_comments below k at open', async () => {
    const team = await makeTeam(t.ds, 8);
    await expect(openCycle(team, 5, 4)).rejects.toMatchObject({ code: 'invalid_k_comments' });
    const few = await openCycle(team, 3, 5);
    await writeAll(few, 4, 'few');
    await cycles.close(few);
    const tiny = await openCycle(team, 3, 5);
    await writeAll(tiny, 2, 'tiny');
    await cycles.close(tiny);
    expect(await t.ds.query('SELECT 1 FROM comment WHERE cycle_id = ANY($1::uuid[])', [[few, tiny]])).toEqual(
      [],
    );
    expect(
      await t.ds.query('SELECT 1 FROM comment_sealed WHERE cycle_id = ANY($1::uuid[])', [[few, tiny]]),
    ).toEqual([]);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const view = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(lead)).expect(200)
    ).body as TeamCommentsResponse;
    const byId = new Map(view.cycles.map((c) => [c.cycleId, c]));
    expect(byId.get(few)).toMatchObject({
      kComments: 5,
      count: { status: 'suppressed', reason: 'below-k-comments' },
    });
    expect(byId.get(tiny)).toMatchObject({ count: { status: 'suppressed', reason: 'below-k' } });
    expect(byId.get(few)!.comments).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('comment number');
  });

  it('threads: the lead replies, the writer reads and answers with the secret alone; leads are told without content', async () => {
    const team = await makeTeam(t.ds, 7);
    const cycleId = await openCycle(team, 3, 5);
    const written = await writeAll(cycleId, 5, 'thread');
    await cycles.close(cycleId);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const view = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(lead)).expect(200)
    ).body as TeamCommentsResponse;
    const target = written[2]!;
    const c = view.cycles[0]!.comments!.find((x) => x.text === target.text)!;
    await request(t.http)
      .post(`/api/teams/${team.teamId}/comments/${c.id}/messages`)
      .set(bearer(lead))
      .send({ body: 'Thanks, what would you change first?' })
      .expect(201);
    // A member cannot reply as the lead.
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    await request(t.http)
      .post(`/api/teams/${team.teamId}/comments/${c.id}/messages`)
      .set(bearer(member))
      .send({ body: 'x' })
      .expect(403);

    // The writer, without any credentials.
    const thread = (
      await request(t.http).post('/api/threads/read').send({ secret: target.secret }).expect(200)
    ).body as ThreadResponse;
    expect(thread.text).toBe(target.text);
    expect(thread.messages).toEqual([
      {
        seq: 1,
        author: 'lead',
        body: 'Thanks, what would you change first?',
        writtenOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      },
    ]);
    // Another writer's secret opens only their own thread; a wrong one opens nothing.
    const otherThread = (
      await request(t.http).post('/api/threads/read').send({ secret: written[0]!.secret }).expect(200)
    ).body as ThreadResponse;
    expect(otherThread.messages).toEqual([]);
    await request(t.http)
      .post('/api/threads/read')
      .send({ secret: randomBytes(32).toString('base64url') })
      .expect(404);
    const malformed = await request(t.http).post('/api/threads/read').send({ secret: 'nope' }).expect(400);
    expect(malformed.body.fields.secret).toBeDefined();

    const outboxBefore: { n: number }[] = await t.ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'comment'`,
    );
    const answerText = `The rota swap ${randomBytes(4).toString('hex')}`;
    await request(t.http)
      .post('/api/threads/messages')
      .send({ secret: target.secret, body: answerText })
      .expect(201);
    const sent: { to_address: string; subject: string; body: string }[] = await t.ds.query(
      `SELECT to_address, subject, body FROM outbox WHERE kind = 'comment' ORDER BY id DESC LIMIT 1`,
    );
    const [{ n: after }]: { n: number }[] = await t.ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'comment'`,
    );
    expect(after).toBe(outboxBefore[0]!.n + 1);
    expect(sent[0]!.to_address).toBe(team.lead.email);
    expect(`${sent[0]!.subject} ${sent[0]!.body}`).not.toContain(answerText);
    expect(`${sent[0]!.subject} ${sent[0]!.body}`).not.toContain(target.text);

    const again = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(lead)).expect(200)
    ).body as TeamCommentsResponse;
    const msgs = again.cycles[0]!.comments!.find((x) => x.id === c.id)!.messages;
    expect(msgs.map((m) => [m.author, m.body])).toEqual([
      ['lead', 'Thanks, what would you change first?'],
      ['writer', answerText],
    ]);
  });

  it('moderation: a lead hides with a reason (audit log), admins still read it, anyone may be reported, nobody is revealed', async () => {
    const team = await makeTeam(t.ds, 7);
    const cycleId = await openCycle(team, 3, 5);
    const written = await writeAll(cycleId, 5, 'moderated');
    await cycles.close(cycleId);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const view = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(lead)).expect(200)
    ).body as TeamCommentsResponse;
    const c = view.cycles[0]!.comments![0]!;
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    await request(t.http)
      .post(`/api/teams/${team.teamId}/comments/${c.id}/hide`)
      .set(bearer(member))
      .send({ reason: 'not mine to hide' })
      .expect(403);
    const noReason = await request(t.http)
      .post(`/api/teams/${team.teamId}/comments/${c.id}/hide`)
      .set(bearer(lead))
      .send({})
      .expect(400);
    expect(noReason.body.fields.reason).toBeDefined();
    await request(t.http)
      .post(`/api/teams/${team.teamId}/comments/${c.id}/hide`)
      .set(bearer(lead))
      .send({ reason: 'names a colleague' })
      .expect(204);
    await request(t.http)
      .post(`/api/teams/${team.teamId}/comments/${c.id}/report`)
      .set(bearer(lead))
      .send({ reason: 'abusive language' })
      .expect(204);
    const audit: { actor_id: string; action: string; detail: { reason: string } }[] = await t.ds.query(
      `SELECT actor_id, action, detail FROM audit_log WHERE target = $1 ORDER BY id`,
      [c.id],
    );
    expect(audit.map((a) => [a.actor_id, a.action, a.detail.reason])).toEqual([
      [team.lead.id, 'comment.hidden', 'names a colleague'],
      [team.lead.id, 'comment.reported', 'abusive language'],
    ]);
    const hidden = (
      await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(lead)).expect(200)
    ).body as TeamCommentsResponse;
    expect(hidden.cycles[0]!.comments!.find((x) => x.id === c.id)).toMatchObject({
      text: null,
      hidden: true,
      hiddenReason: 'names a colleague',
    });
    const adminUser = await makeUser(t.ds, { isAdmin: true });
    const admin = await login(t.http, adminUser.email, PASSWORD);
    const adminView = (
      await request(t.http).get(`/api/admin/teams/${team.teamId}/comments`).set(bearer(admin)).expect(200)
    ).body as TeamCommentsResponse;
    expect(adminView.cycles[0]!.comments!.find((x) => x.id === c.id)!.text).toBe(c.text);
    await request(t.http).get(`/api/admin/teams/${team.teamId}/comments`).set(bearer(lead)).expect(403);
    // Nothing any view returns names the writer: no user id or e-mail of the team in any of them.
    const everything = JSON.stringify([view, hidden, adminView]);
    for (const p of team.everyone) {
      expect(everything).not.toContain(p.id);
      expect(everything).not.toContain(p.email);
    }
    expect(written).toHaveLength(5);
  });

  it('abuse reports: admins list reported and hidden comments across teams, resolve them (audited), nothing about the writer', async () => {
    const [a, b] = [await makeTeam(t.ds, 7), await makeTeam(t.ds, 7)];
    const [cycleA, cycleB] = [await openCycle(a, 3, 5), await openCycle(b, 3, 5)];
    await writeAll(cycleA, 5, 'reports-a');
    await writeAll(cycleB, 5, 'reports-b');
    await cycles.close(cycleA);
    await cycles.close(cycleB);
    const [leadA, leadB] = [
      await login(t.http, a.lead.email, PASSWORD),
      await login(t.http, b.lead.email, PASSWORD),
    ];
    const first = async (team: TestTeam, lead: string) =>
      (
        (await request(t.http).get(`/api/teams/${team.teamId}/comments`).set(bearer(lead)).expect(200))
          .body as TeamCommentsResponse
      ).cycles[0]!.comments!;
    const [ca, cb] = [(await first(a, leadA))[0]!, (await first(b, leadB))[0]!];
    const adminUser = await makeUser(t.ds, { isAdmin: true });
    const admin = await login(t.http, adminUser.email, PASSWORD);
    const list = async () =>
      (await request(t.http).get('/api/admin/comments').set(bearer(admin)).expect(200))
        .body as CommentModerationResponse;
    const before = (await list()).openReports;
    const resolve = (id: string, token: string, body: object) =>
      request(t.http).post(`/api/admin/comments/${id}/resolve`).set(bearer(token)).send(body);

    // Lead A reports (twice, two reasons); lead B hides without reporting.
    for (const reason of ['insults a colleague', 'threatening tone'])
      await request(t.http)
        .post(`/api/teams/${a.teamId}/comments/${ca.id}/report`)
        .set(bearer(leadA))
        .send({ reason })
        .expect(204);
    await request(t.http)
      .post(`/api/teams/${b.teamId}/comments/${cb.id}/hide`)
      .set(bearer(leadB))
      .send({ reason: 'names the on-call person' })
      .expect(204);

    // The reporting lead's view says a decision is pending; nothing changes for the others.
    expect((await first(a, leadA)).find((c) => c.id === ca.id)).toMatchObject({
      reported: true,
      hidden: false,
    });
    expect((await first(b, leadB)).find((c) => c.id === cb.id)).toMatchObject({
      reported: false,
      hidden: true,
    });
    const listed = await list();
    expect(listed.openReports).toBe(before + 1);
    expect(listed.truncated).toBe(false);
    const byId = new Map(listed.comments.map((c) => [c.id, c]));
    const [closesA]: { day: string }[] = await t.ds.query(
      `SELECT to_char(closes_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM cycle WHERE id = $1`,
      [cycleA],
    );
    expect(byId.get(ca.id)).toEqual({
      id: ca.id,
      team: { id: a.teamId, name: expect.any(String) },
      cycle: { id: cycleA, closesOn: closesA!.day },
      text: ca.text!,
      hidden: false,
      hiddenReason: null,
      openReports: expect.arrayContaining(['insults a colleague', 'threatening tone']),
    } satisfies ModeratedComment);
    expect(byId.get(cb.id)).toMatchObject({
      hidden: true,
      hiddenReason: 'names the on-call person',
      openReports: [],
    });
    // Open reports come first; only reported or hidden comments are listed.
    expect(listed.comments.findIndex((c) => c.id === ca.id)).toBeLessThan(
      listed.comments.findIndex((c) => c.id === cb.id),
    );
    expect(listed.comments.filter((c) => c.openReports.length === 0 && !c.hidden)).toEqual([]);
    // Nothing about any writer: no reply hash, no thread, no person of either team.
    const json = JSON.stringify(listed);
    const [hashA]: { h: string }[] = await t.ds.query(
      `SELECT encode(reply_hash, 'base64') AS h FROM comment WHERE id = $1`,
      [ca.id],
    );
    expect(json).not.toContain(hashA!.h);
    for (const p of [...a.everyone, ...b.everyone]) {
      expect(json).not.toContain(p.id);
      expect(json).not.toContain(p.email);
    }
    // Admins only.
    await request(t.http).get('/api/admin/comments').set(bearer(leadA)).expect(403);
    await resolve(ca.id, leadA, { outcome: 'restore', note: 'not for leads' }).expect(403);

    // Bad input: field messages; unknown comments: 404.
    const bad = await resolve(ca.id, admin, { outcome: 'delete', note: '' }).expect(400);
    expect(Object.keys(bad.body.fields as object).sort()).toEqual(['note', 'outcome']);
    await resolve(randomUUID(), admin, { outcome: 'restore', note: 'unknown id' }).expect(404);

    // Keep hidden: the reported comment is hidden now (the note is its reason), its reports closed.
    const kept = await resolve(ca.id, admin, {
      outcome: 'keep-hidden',
      note: 'abusive, stays hidden',
    }).expect(200);
    expect(kept.body).toMatchObject({ hidden: true, hiddenReason: 'abusive, stays hidden', openReports: [] });
    expect((await first(a, leadA)).find((c) => c.id === ca.id)).toMatchObject({
      text: null,
      hidden: true,
      hiddenReason: 'abusive, stays hidden',
      reported: false,
    });
    // Restore: lead B's hidden comment is back in the team's view.
    await resolve(cb.id, admin, { outcome: 'restore', note: 'names nobody after all' }).expect(200);
    expect((await first(b, leadB)).find((c) => c.id === cb.id)).toMatchObject({
      text: cb.text,
      hidden: false,
      hiddenReason: null,
    });
    const after = await list();
    expect(after.openReports).toBe(before);
    expect(after.comments.find((c) => c.id === cb.id)).toBeUndefined();
    expect(after.comments.find((c) => c.id === ca.id)).toMatchObject({ hidden: true, openReports: [] });
    // A restored, unreported comment has nothing left to resolve.
    const nothing = await resolve(cb.id, admin, { outcome: 'keep-hidden', note: 'again' }).expect(409);
    expect(nothing.body.code).toBe('nothing_to_resolve');
    const reports: { resolution: string }[] = await t.ds.query(
      'SELECT resolution FROM comment_report WHERE comment_id = $1',
      [ca.id],
    );
    expect(reports.map((r) => r.resolution)).toEqual(['keep-hidden', 'keep-hidden']);
    const audit: { actor_id: string; detail: { outcome: string; note: string; reports: number } }[] =
      await t.ds.query(
        `SELECT actor_id, detail FROM audit_log WHERE action = 'comment.report_resolved' AND target = ANY($1) ORDER BY id`,
        [[ca.id, cb.id]],
      );
    expect(audit.map((r) => [r.actor_id, r.detail.outcome, r.detail.note, r.detail.reports])).toEqual([
      [adminUser.id, 'keep-hidden', 'abusive, stays hidden', 2],
      [adminUser.id, 'restore', 'names nobody after all', 0],
    ]);
  });

  it("directors: per team, the latest closed cycle's comment count through the gate and k_comments, never text", async () => {
    const group = await makeGroup(t.ds);
    const sub = await makeGroup(t.ds, group);
    const [many, few, none] = [
      await makeTeam(t.ds, 8, group),
      await makeTeam(t.ds, 8, sub),
      await makeTeam(t.ds, 4, group),
    ];
    const older = await openCycle(many, 3, 5);
    await writeAll(older, 5, 'director-older');
    await cycles.close(older);
    const latest = await openCycle(many, 3, 5);
    await writeAll(latest, 6, 'director-latest');
    await cycles.close(latest);
    const fewCycle = await openCycle(few, 3, 5);
    await writeAll(fewCycle, 4, 'director-few');
    await cycles.close(fewCycle);
    await openCycle(none); // open: nothing to count yet

    const director = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [director.id, group]);
    const dir = await login(t.http, director.email, PASSWORD);
    const res = (
      await request(t.http).get(`/api/groups/${group}/comment-counts`).set(bearer(dir)).expect(200)
    ).body as GroupCommentCountsResponse;
    const team = (id: string) => res.teams.find((x) => x.id === id)!;
    expect(res.teams.map((x) => x.id).sort()).toEqual([many.teamId, few.teamId, none.teamId].sort());
    expect(team(many.teamId).cycles).toEqual([
      {
        instrument: 'psych-safety@1',
        cycleId: latest,
        closesOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
        kComments: 5,
        count: { status: 'released', count: 6 },
      },
    ]);
    expect(team(few.teamId).cycles).toEqual([
      expect.objectContaining({
        cycleId: fewCycle,
        count: { status: 'suppressed', reason: 'below-k-comments' },
      }),
    ]);
    expect(team(none.teamId).cycles).toEqual([]);
    expect(JSON.stringify(res)).not.toContain('director-');
    // A director of the subgroup sees only its team; nobody else sees any.
    const subDirector = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [subDirector.id, sub]);
    const subDir = await login(t.http, subDirector.email, PASSWORD);
    const subRes = (
      await request(t.http).get(`/api/groups/${sub}/comment-counts`).set(bearer(subDir)).expect(200)
    ).body as GroupCommentCountsResponse;
    expect(subRes.teams.map((x) => x.id)).toEqual([few.teamId]);
    await request(t.http).get(`/api/groups/${group}/comment-counts`).set(bearer(subDir)).expect(403);
    const lead = await login(t.http, many.lead.email, PASSWORD);
    await request(t.http).get(`/api/groups/${group}/comment-counts`).set(bearer(lead)).expect(403);
    const [denied]: { n: number }[] = await t.ds.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied' AND actor_id = $1 AND target = $2`,
      [many.lead.id, group],
    );
    expect(denied!.n).toBe(1);
  });

  it("roster names: a team's members and leads get the names on its roster, nobody else does", async () => {
    const team = await makeTeam(t.ds, 4);
    const gone = await makeUser(t.ds, { active: false });
    await t.ds.query("INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, 'member')", [
      gone.id,
      team.teamId,
    ]);
    const names: { name: string }[] = await t.ds.query(
      'SELECT name FROM app_user WHERE id = ANY($1) ORDER BY name',
      [team.everyone.map((p) => p.id)],
    );
    for (const who of [team.members[1]!, team.lead]) {
      const token = await login(t.http, who.email, PASSWORD);
      const res = (
        await request(t.http).get(`/api/teams/${team.teamId}/roster-names`).set(bearer(token)).expect(200)
      ).body as TeamRosterNamesResponse;
      expect(res).toEqual({ teamId: team.teamId, names: names.map((n) => n.name) });
      expect(JSON.stringify(res)).not.toContain('@');
    }
    const director = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [
      director.id,
      team.groupId,
    ]);
    const adminUser = await makeUser(t.ds, { isAdmin: true });
    const outsider = (await makeTeam(t.ds, 2)).members[0]!;
    for (const who of [director, adminUser, outsider]) {
      const token = await login(t.http, who.email, PASSWORD);
      const res = await request(t.http)
        .get(`/api/teams/${team.teamId}/roster-names`)
        .set(bearer(token))
        .expect(403);
      expect(res.body.code).toBe('team_access_denied');
    }
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    await request(t.http).get(`/api/teams/${randomUUID()}/roster-names`).set(bearer(member)).expect(404);
  });

  it('schedules carry k_comments (never below k, default max(k, 5)) and cycles freeze it at open', async () => {
    const team = await makeTeam(t.ds, 6);
    const adminUser = await makeUser(t.ds, { isAdmin: true });
    const admin = await login(t.http, adminUser.email, PASSWORD);
    const now = new Date();
    const form = {
      teamId: team.teamId,
      instrument: 'psych-safety',
      cadence: 'weekly',
      weekday: now.getUTCDay() === 0 ? 7 : now.getUTCDay(),
      hour: now.getUTCHours(),
      timezone: 'UTC',
      windowDays: 1,
      k: 5,
    };
    const low = await request(t.http)
      .post('/api/schedules')
      .set(bearer(admin))
      .send({ ...form, kComments: 4 })
      .expect(400);
    expect(low.body.fields.kComments).toEqual(['kComments must be a whole number from k (5) to 50']);
    const created = await request(t.http)
      .post('/api/schedules')
      .set(bearer(admin))
      .send({ ...form, kComments: 7 })
      .expect(201);
    expect(created.body.kComments).toBe(7);
    await t.app.get(SchedulerService).tick(now, { waitForLock: true });
    const [cycle]: { k: number; k_comments: number }[] = await t.ds.query(
      'SELECT k, k_comments FROM cycle WHERE team_id = $1',
      [team.teamId],
    );
    expect(cycle).toEqual({ k: 5, k_comments: 7 });
    // Later edits act on future cycles only; the open survey tells the writer the frozen value.
    await request(t.http)
      .patch(`/api/schedules/${created.body.id as string}`)
      .set(bearer(admin))
      .send({ kComments: null })
      .expect(200);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const open = await request(t.http).get('/api/surveys/open').set(bearer(member)).expect(200);
    expect(open.body.surveys[0]).toMatchObject({ k: 5, kComments: 7, openQuestion: expect.any(String) });
    await t.ds.query('UPDATE schedule SET active = false WHERE team_id = $1', [team.teamId]);
  });
  /**
   * The per-minute limits on the anonymous routes (issue 16), with the machinery of the submission
   * limits: a second app on the same database with low limits takes the limited requests, the
   * unlimited app above prepares cycles, answers and released threads. Each case uses its own
   * X-Forwarded-For (`trust proxy` is loopback), so the per-address counters do not mix.
   */
  describe('rate limits', () => {
    let lim: TestApp;
    beforeAll(async () => {
      lim = await createTestApp({
        rateLimits: {
          commentPerToken: 3,
          commentPerAddress: 4,
          threadReadPerSecret: 4,
          threadMessagePerSecret: 2,
          threadPerAddress: 12,
        },
      });
    });
    afterAll(() => lim.close());

    const expectLimited = (res: request.Response, what: string) => {
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(res.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'rate_limited',
        message: expect.stringMatching(
          new RegExp(`^Too many ${what}\\. Try again in \\d+ seconds?\\.$`),
        ) as string,
      });
    };
    const from = (address: string) => ({ 'X-Forwarded-For': address });

    /** Five people answer and comment on a new team's cycle, which closes: five released threads. */
    async function releasedThreads(tag: string) {
      const team = await makeTeam(t.ds, 6);
      const cycleId = await openCycle(team, 3, 5);
      const written = await writeAll(cycleId, 5, tag);
      await cycles.close(cycleId);
      return written;
    }

    it('comments: retries with one token are limited, another token is not', async () => {
      const team = await makeTeam(t.ds, 4);
      const cycleId = await openCycle(team);
      const [s1, s2] = [await signedToken(cycleId), await signedToken(cycleId)];
      await answer(cycleId, s1);
      await answer(cycleId, s2);
      const hashes = new Map([s1, s2].map((s) => [s, replySecret().hash]));
      // Over the per-address limit (4) this would be refused anyway: a second address each.
      const send = (s: Signed, text: string) =>
        request(lim.http)
          .post('/api/comments')
          .set(from(s === s1 ? '198.51.100.21' : '198.51.100.22'))
          .send({ cycleId, ...s, text, replyHash: hashes.get(s) });
      expect((await send(s1, 'limits one')).status).toBe(201);
      expect((await send(s1, 'limits one')).status).toBe(200); // identical retry
      expect((await send(s1, 'limits another text')).status).toBe(409);
      expectLimited(await send(s1, 'limits one'), 'comment attempts with this survey token');
      // Another token (same address, under its limit) is unaffected.
      expect((await send(s2, 'limits two')).status).toBe(201);
      const [row]: { n: number }[] = await t.ds.query(
        'SELECT count(*)::int AS n FROM comment_sealed WHERE cycle_id = $1',
        [cycleId],
      );
      expect(row!.n).toBe(2);
    });

    it('comments: one address is limited, another address is not', async () => {
      const cycleId = await openCycle(await makeTeam(t.ds, 3));
      // Well-formed but unsigned tokens: counted, then refused by the signature check.
      const forged = (address: string, i: number) =>
        request(lim.http)
          .post('/api/comments')
          .set(from(address))
          .send({
            cycleId,
            token: `forged${i}`.padEnd(86, 'A'),
            signature: 'A'.repeat(342),
            text: 'forged',
            replyHash: replySecret().hash,
          });
      for (let i = 0; i < 4; i++) expect((await forged('203.0.113.21', i)).status).toBe(400);
      expectLimited(await forged('203.0.113.21', 4), 'comments from your network address');
      expect((await forged('203.0.113.22', 5)).status).toBe(400);
    });

    it('thread reads: one reply code is limited, another code is not', async () => {
      const [w1, w2] = await releasedThreads('read-limit');
      const read = (secret: string) =>
        request(lim.http).post('/api/threads/read').set(from('198.51.100.31')).send({ secret });
      for (let i = 0; i < 4; i++) expect((await read(w1!.secret)).status).toBe(200);
      expectLimited(await read(w1!.secret), 'reads of this thread');
      expect((await read(w2!.secret)).status).toBe(200);
      // A message is counted apart from the reads: the writer can still answer.
      await request(lim.http)
        .post('/api/threads/messages')
        .set(from('198.51.100.31'))
        .send({ secret: w1!.secret, body: 'still here' })
        .expect(201);
    });

    it('thread messages: one reply code is limited, another code is not', async () => {
      const [w1, w2] = await releasedThreads('message-limit');
      const post = (secret: string, body: string) =>
        request(lim.http).post('/api/threads/messages').set(from('198.51.100.41')).send({ secret, body });
      expect((await post(w1!.secret, 'first')).status).toBe(201);
      expect((await post(w1!.secret, 'second')).status).toBe(201);
      expectLimited(await post(w1!.secret, 'third'), 'messages to this thread');
      expect((await post(w2!.secret, 'other writer')).status).toBe(201);
      const [row]: { n: number }[] = await t.ds.query(
        `SELECT count(*)::int AS n FROM comment_message m JOIN comment c ON c.id = m.comment_id
          WHERE c.reply_hash = $1 AND m.author = 'writer'`,
        [createHash('sha256').update(Buffer.from(w1!.secret, 'base64url')).digest()],
      );
      expect(row!.n).toBe(2);
    });

    it('threads: one address is limited over reads and messages together, another address is not', async () => {
      const unknown = () => randomBytes(32).toString('base64url');
      const read = (address: string) =>
        request(lim.http).post('/api/threads/read').set(from(address)).send({ secret: unknown() });
      const post = (address: string) =>
        request(lim.http)
          .post('/api/threads/messages')
          .set(from(address))
          .send({ secret: unknown(), body: 'x' });
      for (let i = 0; i < 6; i++) expect((await read('203.0.113.31')).status).toBe(404);
      for (let i = 0; i < 6; i++) expect((await post('203.0.113.31')).status).toBe(404);
      expectLimited(await read('203.0.113.31'), 'thread requests from your network address');
      expectLimited(await post('203.0.113.31'), 'thread requests from your network address');
      expect((await read('203.0.113.32')).status).toBe(404);
    });

    it("default limits: a writer's browsers polling for a minute stay below them", async () => {
      // The home page asks for each reply code when it mounts and when the window regains focus
      // after staleTime (30 s), retrying a failure twice: at most 6 reads a minute per tab. Five
      // tabs or devices with one code, plus a message and its refetch, all pass the default app.
      expect(t.config.rateLimits.threadReadPerSecret).toBe(30);
      const [w] = await releasedThreads('polling');
      for (let i = 0; i < 30; i++)
        await request(t.http).post('/api/threads/read').send({ secret: w!.secret }).expect(200);
      await request(t.http).post('/api/threads/messages').send({ secret: w!.secret, body: 'hi' }).expect(201);
    });
  });
});
