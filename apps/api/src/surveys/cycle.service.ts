import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { randomInt } from 'node:crypto';
import type { InstrumentVersion, OpenSurvey, TrustSubject } from '@candor/contracts';
import { getInstrument, scoreResponse, type Answers } from '@candor/instruments';
import {
  addObservation,
  addRatioObservation,
  emptyMoments,
  emptyRatioMoments,
  type Moments,
} from '@candor/stats';
import { validateK } from '@candor/disclosure';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest } from '../common/errors';
import { generateCycleKeyPair, type CycleKeyPair } from '../responses/blind-signing';
import { type AuthUser } from '../auth/auth.types';
import { Cycle, CycleInvitee } from './survey.entities';

export interface OpenCycleInput {
  teamId: string;
  instrument: InstrumentVersion;
  trustSubject?: TrustSubject | null;
  opensAt: Date;
  closesAt: Date;
  k?: number;
  scheduleId?: string | null;
  /** Reuse a key pair (demo history only); a real cycle always gets a fresh one. */
  keyPair?: CycleKeyPair;
}

export interface StatsRow {
  dimension: string;
  n: number;
  sum: number;
  sumSq: number;
  sumCross: number | null;
}

/** Statistics stored per cycle. See docs/statistics.md for what each row means. */
export function cycleStatsRows(instrumentKey: InstrumentVersion, answers: Answers[]): StatsRow[] {
  const instrument = getInstrument(instrumentKey);
  const dims = new Map<string, Moments>();
  const add = (id: string, x: number) => dims.set(id, addObservation(dims.get(id) ?? emptyMoments(), x));
  let trust = emptyRatioMoments();
  for (const a of answers) {
    const scored = scoreResponse(instrument, a);
    for (const [id, value] of Object.entries(scored.dimensions)) add(id, value);
    for (const [id, value] of Object.entries(scored.items)) add(`item:${id}`, value);
    add('total', scored.total);
    // Answer distribution per item (raw answer, before reverse-scoring): `dist:<itemId>:<answer>`,
    // n = count. Only non-zero counts are stored; the item breakdown shows them where n ≥ 10.
    for (const item of instrument.items) {
      const answer = a[item.id];
      if (answer !== undefined) add(`dist:${item.id}:${answer}`, answer);
    }
    if (instrument.id === 'trust-equation') {
      const d = scored.dimensions;
      trust = addRatioObservation(
        trust,
        (d.credibility ?? 0) + (d.reliability ?? 0) + (d.intimacy ?? 0),
        d.self_orientation ?? 0,
      );
    }
  }
  const rows: StatsRow[] = [];
  const dimensionIds = [
    ...instrument.responseDimensions.map((d) => d.id),
    ...instrument.items.map((i) => `item:${i.id}`),
    'total',
  ];
  for (const id of dimensionIds) {
    const m = dims.get(id) ?? emptyMoments();
    rows.push({ dimension: id, n: m.n, sum: m.sum, sumSq: m.sumSq, sumCross: null });
  }
  for (const [id, m] of dims) {
    if (id.startsWith('dist:'))
      rows.push({ dimension: id, n: m.n, sum: m.sum, sumSq: m.sumSq, sumCross: null });
  }
  if (instrument.id === 'trust-equation') {
    rows.push({
      dimension: 'trust_index',
      n: trust.n,
      sum: trust.sumX,
      sumSq: trust.sumXSq,
      sumCross: trust.sumXY,
    });
  }
  return rows;
}

@Injectable()
export class CycleService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens a cycle for a team: freezes k, the invited members and a fresh blind-signing key. */
  async open(input: OpenCycleInput, manager: EntityManager = this.dataSource.manager): Promise<Cycle> {
    const k = input.k ?? this.config.defaultK;
    const problem = validateK(k);
    if (problem) throw badRequest('invalid_k', `k ${problem}`, { k: [problem] });
    if (input.closesAt <= input.opensAt) {
      throw badRequest('invalid_window', 'A cycle must close after it opens', {
        closesAt: ['must be after opensAt'],
      });
    }
    const keys = input.keyPair ?? (await generateCycleKeyPair());
    return manager.transaction(async (tx) => {
      const members: { user_id: string }[] = await tx.query(
        `SELECT m.user_id FROM membership m JOIN app_user u ON u.id = m.user_id
          WHERE m.team_id = $1 AND u.active ORDER BY m.user_id`,
        [input.teamId],
      );
      const cycle = tx.getRepository(Cycle).create({
        teamId: input.teamId,
        scheduleId: input.scheduleId ?? null,
        instrumentVersion: input.instrument,
        trustSubject: input.instrument.startsWith('trust-equation') ? (input.trustSubject ?? 'team') : null,
        opensAt: input.opensAt,
        closesAt: input.closesAt,
        status: 'open',
        k,
        invited: members.length,
        publicKeySpki: keys.publicKeySpki,
        privateKeyPkcs8: keys.privateKeyPkcs8,
      });
      await tx.getRepository(Cycle).insert(cycle);
      if (members.length > 0) {
        await tx
          .getRepository(CycleInvitee)
          .insert(members.map((m) => ({ cycleId: cycle.id, userId: m.user_id })));
      }
      return cycle;
    });
  }

  /**
   * Closes a cycle, in one transaction:
   * 1. writes its sufficient statistics to `cycle_stats`;
   * 2. rewrites its responses and spent tokens in random order (new row ids, one transaction id),
   *    so neither physical order nor transaction ids carry submission order;
   * 3. erases the private signing key.
   * Idempotent: closing a closed cycle does nothing. Given the scheduler's transaction, it runs
   * inside it (as a savepoint), so a failed close does not undo the rest of the tick.
   */
  async close(cycleId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const closed = await manager.transaction(async (tx) => {
      const cycles: { id: string; status: string; instrument_version: InstrumentVersion }[] = await tx.query(
        'SELECT id, status, instrument_version FROM cycle WHERE id = $1 FOR UPDATE',
        [cycleId],
      );
      const cycle = cycles[0];
      if (!cycle || cycle.status === 'closed') return false;

      const responses: { instrument_version: InstrumentVersion; answers: Answers }[] = await tx.query(
        'WITH d AS (DELETE FROM response WHERE cycle_id = $1 RETURNING instrument_version, answers) SELECT * FROM d',
        [cycleId],
      );
      shuffle(responses);
      if (responses.length > 0) {
        await tx.query(
          `INSERT INTO response (cycle_id, instrument_version, answers)
           SELECT $1, v, a FROM unnest($2::text[], $3::jsonb[]) WITH ORDINALITY AS r(v, a, o) ORDER BY o`,
          [
            cycleId,
            responses.map((r) => r.instrument_version),
            responses.map((r) => JSON.stringify(r.answers)),
          ],
        );
      }
      const spent: { token_hash: Buffer; submission_digest: Buffer; receipt_id: string }[] = await tx.query(
        `WITH d AS (DELETE FROM spent_token WHERE cycle_id = $1 RETURNING token_hash, submission_digest, receipt_id)
         SELECT * FROM d`,
        [cycleId],
      );
      shuffle(spent);
      if (spent.length > 0) {
        await tx.query(
          `INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id)
           SELECT $1, t, d, r FROM unnest($2::bytea[], $3::bytea[], $4::uuid[]) WITH ORDINALITY AS x(t, d, r, o) ORDER BY o`,
          [
            cycleId,
            spent.map((s) => s.token_hash),
            spent.map((s) => s.submission_digest),
            spent.map((s) => s.receipt_id),
          ],
        );
      }

      const rows = cycleStatsRows(
        cycle.instrument_version,
        responses.filter((r) => r.instrument_version === cycle.instrument_version).map((r) => r.answers),
      );
      await tx.query('DELETE FROM cycle_stats WHERE cycle_id = $1', [cycleId]);
      await tx.query(
        `INSERT INTO cycle_stats (cycle_id, dimension, n, sum, sum_sq, sum_cross)
         SELECT $1, d, n, s, q, c FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[]) AS x(d, n, s, q, c)`,
        [
          cycleId,
          rows.map((r) => r.dimension),
          rows.map((r) => r.n),
          rows.map((r) => r.sum),
          rows.map((r) => r.sumSq),
          rows.map((r) => r.sumCross),
        ],
      );
      await tx.query(`UPDATE cycle SET status = 'closed', private_key_pkcs8 = NULL WHERE id = $1`, [cycleId]);
      return true;
    });
    return closed;
  }

  /** Open cycles the person was invited to. */
  async openSurveysFor(user: AuthUser, now = new Date()): Promise<OpenSurvey[]> {
    const rows: {
      id: string;
      team_id: string;
      team_name: string;
      instrument_version: InstrumentVersion;
      trust_subject: TrustSubject | null;
      opens_at: Date;
      closes_at: Date;
      k: number;
      invited: number;
      public_key_spki: string;
      token_issued: boolean;
    }[] = await this.dataSource.query(
      `SELECT c.id, c.team_id, t.name AS team_name, c.instrument_version, c.trust_subject, c.opens_at, c.closes_at,
              c.k, c.invited, c.public_key_spki,
              EXISTS (SELECT 1 FROM token_issue ti WHERE ti.cycle_id = c.id AND ti.user_id = $1) AS token_issued
         FROM cycle c
         JOIN cycle_invitee ci ON ci.cycle_id = c.id AND ci.user_id = $1
         JOIN team t ON t.id = c.team_id
        WHERE c.status = 'open' AND c.opens_at <= $2 AND c.closes_at > $2
        ORDER BY c.closes_at, t.name`,
      [user.id, now],
    );
    return rows.map((r) => ({
      cycleId: r.id,
      teamId: r.team_id,
      teamName: r.team_name,
      instrument: r.instrument_version,
      trustSubject: r.trust_subject,
      opensAt: new Date(r.opens_at).toISOString(),
      closesAt: new Date(r.closes_at).toISOString(),
      k: r.k,
      invited: r.invited,
      tokenIssued: r.token_issued,
      publicKeySpki: r.public_key_spki,
    }));
  }
}

/** Fisher–Yates with a cryptographic RNG: the new order must not be predictable. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
