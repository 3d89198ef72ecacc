import { Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { InstrumentVersion, OpenSurvey, TrustSubject } from '@candor/contracts';
import { getInstrument } from '@candor/instruments';
import { defaultKComments, validateK, validateKComments } from '@candor/disclosure';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest } from '../common/errors';
import { returned } from '../common/sql';
import { cycleStatsOf } from '../analytics/cycle-stats';
import { recordClosedCycles } from '../analytics/team-month.sql';
import { generateCycleKeyPair, type CycleKeyPair } from '../responses/blind-signing';
import { type AuthUser } from '../auth/auth.types';
import { SealingService } from '../sealing/sealing.service';
import { ANSWERS_PURPOSE, decodeAnswers } from '../responses/sealed-answers';
import { Cycle } from '../kernel/cycle.entities';
import { CycleInvitee } from './survey.entities';
import { sealedComments, type CommentSealer } from '../comments/comment-sealer';
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

/** Decrypted responses per INSERT at close (bounds the size of one statement's parameters). */
const INSERT_CHUNK = 100_000;

/** Fisher–Yates with node:crypto's randomInt: the order says nothing about submission order. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

@Injectable()
export class CycleService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealing: SealingService,
  ) {
    this.commentSealer = sealedComments(sealing);
  }

  /** Comments are sealed under the same cycle data key as the answers (purpose 'comment'). */
  private readonly commentSealer: CommentSealer;

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
      await this.sealing.createCycleKey(tx, cycle.id);
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
   * Closes cycles together, in one transaction whatever their number:
   * 1. locks the cycles that are still open;
   * 2. opens their sealed answers (issue 12): each cycle's data key is unwrapped once, every sealed
   *    submission on its spent tokens is decrypted in the application. If a cycle's key cannot be
   *    unwrapped (its key-encryption key is not configured) the whole call throws
   *    SealingKeyUnavailableError before changing anything; the scheduler then closes the batch's
   *    cycles one by one, so that cycle alone stays open and is retried next tick;
   * 3. writes their responses in random order — the decrypted answers shuffled with a
   *    cryptographic random source, together with any plaintext responses written before sealing
   *    existed (moved, mixed in with the others) — with new row ids and one transaction id, so
   *    neither physical order nor transaction ids carry submission order (the rows are grouped by
   *    cycle, in random order within each);
   * 4. writes their sufficient statistics to `cycle_stats`, computed from the answers it holds
   *    (cycleStatsOf: the responses of each cycle's own instrument version);
   *    then releases their comments where k, k_comments and the gate allow (comment-release.ts:
   *    random order, no time), while their data keys still exist, and deletes every sealed comment;
   * 5. deletes their spent tokens (with the sealed copies), which only refuse a second use of a
   *    token while a cycle is open (a closed cycle takes no answer, so a late retry is told the
   *    survey has closed): kept, they would be an ordered trace of the submissions and nothing else;
   * 6. marks them closed, erases their private signing keys and their data keys — so any sealed
   *    copy left in pages, WAL or backups can never be opened;
   * 7. records their group paths and recomputes the `team_month_cycle` rows of their teams'
   *    unsealed months (the cycle and response count the director views use, see team-month.sql.ts).
   * A crash before commit changes nothing: the sealed answers and keys are still there and the next
   * tick closes the cycles. Returns the ids it closed; ids of closed or unknown cycles are skipped.
   * Given a transaction, it runs inside it (as a savepoint).
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
      const versionOf = new Map(cycles.map((c) => [c.id, c.instrument_version]));

      // Plaintext responses stored before sealing existed are moved too, mixed in with the opened
      // ones, so nothing in the new rows tells the two apart.
      const earlier = returned<{
        cycle_id: string;
        instrument_version: InstrumentVersion;
        answers: Record<string, number>;
      }>(
        await tx.query(
          `DELETE FROM response WHERE cycle_id = ANY($1::uuid[])
           RETURNING cycle_id, instrument_version, answers`,
          [ids],
        ),
      );
      const rows = [
        ...(await this.openSealedAnswers(tx, versionOf)),
        ...earlier.map((r) => ({ cycleId: r.cycle_id, version: r.instrument_version, answers: r.answers })),
      ];
      // Random order within each cycle; the cycles side by side (in id order, which says nothing),
      // so each cycle's rows share a leaf of the (cycle_id, id) key instead of landing all over it.
      shuffle(rows);
      rows.sort((a, b) => (a.cycleId < b.cycleId ? -1 : a.cycleId > b.cycleId ? 1 : 0));
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const chunk = rows.slice(start, start + INSERT_CHUNK);
        // One JSON document rather than three arrays: the driver's array literals (every answer
        // quoted and escaped) cost more than the rows' insert.
        await tx.query(
          `INSERT INTO response (cycle_id, instrument_version, answers)
           SELECT (e->>'c')::uuid, e->>'v', e->'a' FROM jsonb_array_elements($1::jsonb) e`,
          [JSON.stringify(chunk.map((r) => ({ c: r.cycleId, v: r.version, a: r.answers })))],
        );
      }

      // The statistics, from the answers in hand (the cycles' responses are exactly `rows` now):
      // computed here rather than read back from what was just written (cycle-stats.ts).
      const answersOf = new Map<string, Record<string, number>[]>(ids.map((id) => [id, []]));
      for (const r of rows)
        if (r.version === versionOf.get(r.cycleId)) answersOf.get(r.cycleId)!.push(r.answers);
      const stats = [...answersOf].flatMap(([id, answers]) =>
        cycleStatsOf(versionOf.get(id)!, answers).map((s) => [
          id,
          s.dimension,
          s.n,
          s.sum,
          s.sumSq,
          s.sumCross,
          s.counts,
        ]),
      );
      for (let start = 0; start < stats.length; start += INSERT_CHUNK) {
        await tx.query(
          `INSERT INTO cycle_stats (cycle_id, dimension, n, sum, sum_sq, sum_cross, counts)
           SELECT (e->>0)::uuid, e->>1, (e->>2)::int, (e->>3)::float8, (e->>4)::float8, (e->>5)::float8,
                  translate(e->>6, '[]', '{}')::int[]
             FROM jsonb_array_elements($1::jsonb) e`,
          [JSON.stringify(stats.slice(start, start + INSERT_CHUNK))],
        );
      }
      // The month bookkeeping's statements estimate many rows, which makes PostgreSQL JIT-compile
      // them (seconds of compilation for sub-second statements). The setting ends with the transaction.
      await tx.query(`SELECT set_config('jit', 'off', true)`);
      // Comments: after the responses are written (their count decides), before the keys are erased.
      await releaseComments(tx, ids, this.commentSealer);
      await tx.query('DELETE FROM spent_token WHERE cycle_id = ANY($1::uuid[])', [ids]);
      await tx.query(
        `UPDATE cycle SET status = 'closed', private_key_pkcs8 = NULL WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      await this.sealing.eraseCycleKeys(tx, ids);
      await recordClosedCycles(tx, ids);
      return ids;
    });
  }

  /**
   * The sealed answers of the cycles, decrypted (each cycle's data key unwrapped once), as
   * `response.answers` JSON. Throws SealingKeyUnavailableError (nothing changed) when a cycle's key
   * cannot be used.
   */
  private async openSealedAnswers(
    tx: EntityManager,
    /** The cycles to open, each with its instrument version. */
    versionOf: Map<string, InstrumentVersion>,
  ): Promise<{ cycleId: string; version: InstrumentVersion; answers: Record<string, number> }[]> {
    const sealed: { cycle_id: string; sealed_answers: Buffer }[] = await tx.query(
      `SELECT cycle_id, sealed_answers FROM spent_token
        WHERE cycle_id = ANY($1::uuid[]) AND sealed_answers IS NOT NULL`,
      [[...versionOf.keys()]],
    );
    if (sealed.length === 0) return [];
    const withAnswers = [...new Set(sealed.map((r) => r.cycle_id))];
    const openers = await this.sealing.openersFor(tx, withAnswers, ANSWERS_PURPOSE);
    return sealed.map((r) => {
      const open = openers.get(r.cycle_id) as (blob: Buffer) => Buffer;
      const of = versionOf.get(r.cycle_id) as InstrumentVersion;
      return { cycleId: r.cycle_id, version: of, answers: decodeAnswers(of, open(r.sealed_answers)) };
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
