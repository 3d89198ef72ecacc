import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { InstrumentVersion, OpenSurvey, TrustSubject } from '@candor/contracts';
import { getInstrument } from '@candor/instruments';
import { defaultKComments, validateK, validateKComments } from '@candor/disclosure';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest } from '../common/errors';
import { cycleStatsInsertSql } from '../analytics/cycle-stats.sql';
import { recordClosedCycles } from '../analytics/team-month.sql';
import { generateCycleKeyPair, type CycleKeyPair } from '../responses/blind-signing';
import { type AuthUser } from '../auth/auth.types';
import { Cycle, CycleInvitee } from './survey.entities';
import { COMMENT_SEALER, type CommentSealer } from '../comments/comment-sealer';
import { releaseComments } from '../comments/comment-release';

export interface OpenCycleInput {
  teamId: string;
  instrument: InstrumentVersion;
  trustSubject?: TrustSubject | null;
  opensAt: Date;
  closesAt: Date;
  k?: number;
  /** Threshold for comment text; default max(k, 5), never below k. */
  kComments?: number | null;
  scheduleId?: string | null;
  /** Reuse a key pair (demo history only); a real cycle always gets a fresh one. */
  keyPair?: CycleKeyPair;
}

@Injectable()
export class CycleService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(COMMENT_SEALER) private readonly commentSealer: CommentSealer,
  ) {}

  /** Opens a cycle for a team: freezes k, the invited members and a fresh blind-signing key. */
  async open(input: OpenCycleInput, manager: EntityManager = this.dataSource.manager): Promise<Cycle> {
    const k = input.k ?? this.config.defaultK;
    const problem = validateK(k);
    if (problem) throw badRequest('invalid_k', `k ${problem}`, { k: [problem] });
    const kComments = input.kComments ?? defaultKComments(k);
    const kCommentsProblem = validateKComments(kComments, k);
    if (kCommentsProblem)
      throw badRequest('invalid_k_comments', kCommentsProblem, { kComments: [kCommentsProblem] });
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
        kComments,
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
   * Closes a cycle (see closeMany). Idempotent: closing a closed cycle does nothing and returns
   * false. Given the scheduler's transaction, it runs inside it (as a savepoint), so a failed close
   * does not undo the rest of the tick.
   */
  async close(cycleId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (await this.closeMany([cycleId], manager)).length > 0;
  }

  /**
   * Closes cycles together, in one transaction and a fixed number of set-based statements whatever
   * their number (responses never travel to the application):
   * 1. locks the cycles that are still open;
   * 2. writes their sufficient statistics to `cycle_stats` (one INSERT … SELECT … GROUP BY per
   *    instrument version, see cycleStatsInsertSql);
   *    then releases their comments where k, k_comments and the gate allow (comment-release.ts), while
   *    their keys still exist, and deletes every sealed comment;
   * 3. rewrites their responses in random order — sorted by gen_random_uuid(), PostgreSQL's
   *    cryptographic random source — with new row ids and one transaction id, so neither physical
   *    order nor transaction ids carry submission order; and deletes their spent tokens, which only
   *    refuse a second use of a token while a cycle is open (a closed cycle takes no answer, so a
   *    late retry is told the survey has closed): kept, they would be an ordered trace of the
   *    submissions and nothing else;
   * 4. marks them closed and erases their private signing keys;
   * 5. records their group paths and recomputes the `team_month_cycle` rows of their teams'
   *    unsealed months (the cycle and response count the director views use, see team-month.sql.ts).
   * Returns the ids it closed; ids of closed or unknown cycles are skipped. Given a transaction, it
   * runs inside it (as a savepoint).
   */
  async closeMany(cycleIds: string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (cycleIds.length === 0) return [];
    return manager.transaction(async (tx) => {
      const cycles: { id: string; instrument_version: InstrumentVersion }[] = await tx.query(
        `SELECT id, instrument_version FROM cycle
          WHERE id = ANY($1::uuid[]) AND status <> 'closed' ORDER BY id FOR UPDATE`,
        [cycleIds],
      );
      if (cycles.length === 0) return [];
      const ids = cycles.map((c) => c.id);
      const byVersion = new Map<InstrumentVersion, string[]>();
      for (const c of cycles)
        byVersion.set(c.instrument_version, [...(byVersion.get(c.instrument_version) ?? []), c.id]);

      // The statistics statement is one big aggregate whose row estimate makes PostgreSQL JIT-compile
      // it (seconds of compilation for a sub-second query); its sort fits in memory at 32 MB.
      // Both settings end with the transaction.
      await tx.query(`SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
      for (const [version, versionIds] of byVersion) {
        await tx.query(cycleStatsInsertSql(version), [versionIds, version]);
      }
      // Comments first: they need the cycles' keys, and must be out before anything else changes.
      await releaseComments(tx, ids, this.commentSealer);
      await tx.query(
        `WITH d AS (DELETE FROM response WHERE cycle_id = ANY($1::uuid[]) RETURNING cycle_id, instrument_version, answers)
         INSERT INTO response (cycle_id, instrument_version, answers)
         SELECT cycle_id, instrument_version, answers FROM d ORDER BY gen_random_uuid()`,
        [ids],
      );
      await tx.query('DELETE FROM spent_token WHERE cycle_id = ANY($1::uuid[])', [ids]);
      await tx.query(
        `UPDATE cycle SET status = 'closed', private_key_pkcs8 = NULL WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      await recordClosedCycles(tx, ids);
      return ids;
    });
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
      k_comments: number;
      invited: number;
      public_key_spki: string;
      token_issued: boolean;
    }[] = await this.dataSource.query(
      `SELECT c.id, c.team_id, t.name AS team_name, c.instrument_version, c.trust_subject, c.opens_at, c.closes_at,
              c.k, c.k_comments, c.invited, c.public_key_spki,
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
      kComments: r.k_comments,
      openQuestion: getInstrument(r.instrument_version).openQuestion,
      invited: r.invited,
      tokenIssued: r.token_issued,
      publicKeySpki: r.public_key_spki,
    }));
  }
}
