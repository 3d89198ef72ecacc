import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SubmitReceipt, TokenIssueResponse } from '@candor/contracts';
import { getInstrument, isInstrumentVersion, validateAnswers } from '@candor/instruments';
import { badRequest, conflict, DomainError, forbidden, gone, notFound, unavailable } from '../common/errors';
import { DeferredCharges, refundOnServerError } from '../common/route-limits';
import { type CounterRow, countingUpsert } from '../common/shared-limits';
import { SealingKeyUnavailableError, SealingService } from '../sealing/sealing.service';
import { ANSWERS_PURPOSE, answersPadLength, encodeAnswers } from './sealed-answers';
import { type AuthUser } from '../auth/auth.types';
import {
  BlindSignError,
  blindSign,
  fromBase64Url,
  MODULUS_BYTES,
  sha256,
  TOKEN_BYTES,
  verifyToken,
} from './blind-signing';
import { type SubmitResponseDto } from './dto/submit-response.dto';
import { isUuid } from '../common/ids';

interface CycleRow {
  id: string;
  team_id: string;
  status: string;
  opens_at: Date;
  closes_at: Date;
  instrument_version: string;
  public_key_spki: string;
  private_key_pkcs8: string | null;
}

type Window = Pick<CycleRow, 'status' | 'opens_at' | 'closes_at'>;

function isOpen(cycle: Window, now: Date): boolean {
  return cycle.status === 'open' && now >= new Date(cycle.opens_at) && now < new Date(cycle.closes_at);
}

const OPEN_CYCLE_CACHE_SIZE = 1000;

interface SubmitRow extends Window {
  stored: boolean;
  /** The rate-limit counters the statement counted (DeferredCharges); only when nothing was stored. */
  counters: CounterRow[] | null;
}

/**
 * One submission in one statement (one round trip, one implicit transaction, one commit). It locks
 * the cycle row FOR SHARE — closing a cycle updates that row, so a close and a submission
 * serialise and a closed cycle never takes an answer — and reads its current status and window.
 * Then it counts the request's deferred rate limits — the survey token's, never the address's (see
 * DeferredCharges) — ($7 keys, $8 window ends, $9 now, $10 limits; the cycle row is locked first,
 * then the counters in key order). Only if the cycle is open at $5 and no
 * counter is over its limit does it spend the token, storing the sealed answers ($6) on the spent
 * token: an open cycle holds no plaintext answer (issue 12; the close opens them, see
 * CycleService.closeMany). It returns the cycle's current window, whether the answers were stored
 * and, only when they were not (the caller must then say why), the counters; no row if the cycle
 * does not exist (then nothing was counted either).
 * `npm run bench:submit` gives this very statement to pgbench (apps/api/bench/submit.ts).
 */
export const SUBMIT_SQL = `WITH c AS (
  SELECT id, status, opens_at, closes_at FROM cycle WHERE id = $1 FOR SHARE
), hits AS (
  ${countingUpsert({ keys: '$7', expires: '$8', now: '$9', where: 'EXISTS (SELECT 1 FROM c)' })}
), spent AS (
  INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id, sealed_answers)
  SELECT id, $2::bytea, $3::bytea, $4::uuid, $6::bytea FROM c
   WHERE status = 'open' AND opens_at <= $5::timestamptz AND closes_at > $5::timestamptz
     AND NOT ${DeferredCharges.overSql('hits', { keys: '$7', limits: '$10' })}
  ON CONFLICT DO NOTHING
  RETURNING cycle_id
)
SELECT c.status, c.opens_at, c.closes_at, s.stored,
       CASE WHEN s.stored THEN NULL ELSE (SELECT coalesce(json_agg(hits), '[]') FROM hits) END AS counters
  FROM c CROSS JOIN (SELECT EXISTS (SELECT 1 FROM spent) AS stored) s`;

/**
 * Token issue and anonymous submission: the two halves of the blind-signature protocol.
 * Nothing here logs or returns answers, tokens or signatures.
 */
@Injectable()
export class ResponseService {
  /** Open cycles' submission metadata, by id (see submitCycle). */
  private readonly openCycles = new Map<string, CycleRow>();

  private readonly logger = new Logger(ResponseService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealing: SealingService,
  ) {}

  private async cycle(cycleId: string): Promise<CycleRow> {
    if (!isUuid(cycleId)) throw notFound('Cycle');
    const rows: CycleRow[] = await this.dataSource.query(
      `SELECT id, team_id, status, opens_at, closes_at, instrument_version, public_key_spki, private_key_pkcs8
         FROM cycle WHERE id = $1`,
      [cycleId],
    );
    if (!rows[0]) throw notFound('Cycle');
    return rows[0];
  }

  private assertOpen(cycle: Window, now: Date): void {
    if (cycle.status !== 'open' || now >= new Date(cycle.closes_at)) {
      throw gone('cycle_closed', 'This survey has closed; answers are no longer accepted');
    }
    if (now < new Date(cycle.opens_at)) throw forbidden('cycle_not_open', 'This survey has not opened yet');
  }

  /**
   * Signs a blinded message for an invited member, once per person per cycle. Re-sending the
   * same blinded message returns the same signature (safe retry); a different one is refused.
   */
  async issueToken(
    user: AuthUser,
    cycleId: string,
    blindedMessage: string,
    now = new Date(),
  ): Promise<TokenIssueResponse> {
    const cycle = await this.cycle(cycleId);
    const invited: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM cycle_invitee WHERE cycle_id = $1 AND user_id = $2',
      [cycleId, user.id],
    );
    if (invited.length === 0) throw forbidden('not_invited', 'You are not invited to this survey');
    this.assertOpen(cycle, now);
    const blinded = fromBase64Url(blindedMessage);
    if (!blinded || blinded.length !== MODULUS_BYTES) {
      throw badRequest('invalid_blinded_message', 'The blinded message is malformed', {
        blindedMessage: [`must be ${MODULUS_BYTES} bytes of base64url`],
      });
    }
    const blindedHash = sha256(blinded);
    await this.dataSource.query(
      `INSERT INTO token_issue (cycle_id, user_id, blinded_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [cycleId, user.id, blindedHash],
    );
    const issued: { blinded_hash: Buffer }[] = await this.dataSource.query(
      'SELECT blinded_hash FROM token_issue WHERE cycle_id = $1 AND user_id = $2',
      [cycleId, user.id],
    );
    if (!issued[0]?.blinded_hash.equals(blindedHash)) {
      throw conflict(
        'token_already_issued',
        'You already took your token for this survey (perhaps in another browser). Answer from there.',
      );
    }
    if (!cycle.private_key_pkcs8) throw gone('cycle_closed', 'This survey has closed');
    try {
      const signature = blindSign(cycle.private_key_pkcs8, cycle.public_key_spki, blinded);
      return { cycleId, blindSignature: signature.toString('base64url') };
    } catch (err) {
      if (err instanceof BlindSignError) {
        // Undo the issue so the person can retry with a well-formed message.
        await this.dataSource.query(
          'DELETE FROM token_issue WHERE cycle_id = $1 AND user_id = $2 AND blinded_hash = $3',
          [cycleId, user.id, blindedHash],
        );
        throw badRequest('invalid_blinded_message', 'The blinded message is malformed', {
          blindedMessage: [err.message],
        });
      }
      throw err;
    }
  }

  /**
   * What a submission needs to know about its cycle before touching the database: the instrument,
   * the public key (which never changes for a cycle), the team and the window. Served from memory
   * for open cycles, so a submission is one round trip. A cached entry is only ever a hint that the
   * cycle accepts answers: the statement that stores the answer re-checks status and window under
   * a row lock, and any refusal based on a cached entry is confirmed against a fresh read first.
   */
  private async submitCycle(cycleId: string): Promise<CycleRow> {
    const cached = this.openCycles.get(cycleId);
    if (cached) return cached;
    const cycle = await this.cycle(cycleId);
    if (cycle.status === 'open') {
      if (this.openCycles.size >= OPEN_CYCLE_CACHE_SIZE)
        this.openCycles.delete(this.openCycles.keys().next().value as string);
      // The private key is not needed to verify and must not linger in memory for this.
      this.openCycles.set(cycleId, { ...cycle, private_key_pkcs8: null });
    }
    return cycle;
  }

  /**
   * Stores an anonymous response. The token is the idempotency key: the same token with the same
   * answers replays the first receipt (200); with other answers it is refused (409). `limits` are
   * the request's rate limits, counted exactly once on every path: by the storing statement itself,
   * or on their own when a check refuses the request before that statement (see DeferredCharges).
   */
  async submit(dto: SubmitResponseDto, limits: DeferredCharges, now = new Date()): Promise<SubmitReceipt> {
    let checked: Checked;
    try {
      checked = await this.checkSubmission(dto, now);
    } catch (err) {
      // Refused before the statement: counted on its own (429 instead once over), as any attempt is.
      if (err instanceof DomainError && err.status < 500) await limits.countAlone();
      throw err;
    }
    const { cycle, tokenHash, digest, sealed } = checked;
    const receiptId = randomUUID();
    const receipt = (id: string, replayed: boolean): SubmitReceipt => ({
      receiptId: id,
      cycleId: cycle.id,
      instrument: dto.instrument,
      replayed,
      teamId: cycle.team_id,
    });

    // One statement, so one implicit transaction: the limits are counted and either the token is
    // spent and the answer stored, or neither; a failure rolls the count back too.
    const p = limits.params;
    const rows: SubmitRow[] = await this.dataSource.query(SUBMIT_SQL, [
      cycle.id,
      tokenHash,
      digest,
      receiptId,
      now,
      sealed,
      p.keys,
      p.expires,
      p.now,
      p.limits,
    ]);
    const row = rows[0];
    if (!row) {
      this.openCycles.delete(cycle.id);
      await limits.countAlone();
      throw notFound('Cycle');
    }
    if (row.stored) return receipt(receiptId, false);
    limits.settle(row.counters ?? []);
    return refundOnServerError(
      async () => {
        if (!isOpen({ status: row.status, opens_at: row.opens_at, closes_at: row.closes_at }, now)) {
          this.openCycles.delete(cycle.id);
          this.assertOpen(
            { ...cycle, status: row.status, opens_at: row.opens_at, closes_at: row.closes_at },
            now,
          );
        }
        // The token was spent before (a retry, or a concurrent duplicate that committed first).
        const first: { submission_digest: Buffer; receipt_id: string }[] = await this.dataSource.query(
          'SELECT submission_digest, receipt_id FROM spent_token WHERE cycle_id = $1 AND token_hash = $2',
          [cycle.id, tokenHash],
        );
        if (first[0] && first[0].submission_digest.equals(digest)) return receipt(first[0].receipt_id, true);
        throw conflict('token_already_used', 'This token was already used with different answers');
      },
      () => limits.refund(),
    );
  }

  /**
   * Everything a submission is checked for before its statement, in the app: cycle known and (as
   * far as memory says) open, instrument and answers valid, token well formed and signed for the
   * cycle. Returns what the statement stores: the token's hash, the submission's digest (for
   * replays) and the sealed answers.
   */
  private async checkSubmission(dto: SubmitResponseDto, now: Date): Promise<Checked> {
    let cycle = await this.submitCycle(dto.cycleId);
    if (!isInstrumentVersion(dto.instrument) || dto.instrument !== cycle.instrument_version) {
      throw badRequest('instrument_mismatch', 'This survey uses another instrument', {
        instrument: [`must be ${cycle.instrument_version}`],
      });
    }
    const problems = validateAnswers(getInstrument(dto.instrument), dto.answers);
    if (problems.length > 0) {
      const fields: Record<string, string[]> = {};
      for (const p of problems) (fields[p.field] ??= []).push(p.message);
      throw badRequest('invalid_answers', 'Some answers are not valid', fields);
    }
    if (!isOpen(cycle, now)) {
      // The cached window may be out of date (a cycle's dates can be edited): decide on a fresh read.
      this.openCycles.delete(cycle.id);
      cycle = await this.cycle(cycle.id);
      this.assertOpen(cycle, now);
    }
    const token = fromBase64Url(dto.token);
    const signature = fromBase64Url(dto.signature);
    const fields: Record<string, string[]> = {};
    if (!token || token.length !== TOKEN_BYTES) fields.token = [`must be ${TOKEN_BYTES} bytes of base64url`];
    if (!signature || signature.length !== MODULUS_BYTES)
      fields.signature = [`must be ${MODULUS_BYTES} bytes of base64url`];
    if (!token || !signature || Object.keys(fields).length > 0) {
      throw badRequest('malformed_token', 'The survey token is malformed', fields);
    }
    if (!verifyToken(cycle.public_key_spki, token, signature)) {
      throw badRequest('invalid_signature', 'The token was not signed for this survey', {
        signature: ['does not verify for this survey'],
      });
    }

    const canonical = JSON.stringify(
      Object.keys(dto.answers)
        .sort()
        .map((k) => [k, dto.answers[k]]),
    );
    const instrument = getInstrument(dto.instrument);
    try {
      const sealed = await this.sealing.seal(
        this.dataSource.manager,
        cycle.id,
        ANSWERS_PURPOSE,
        encodeAnswers(instrument, dto.answers),
        answersPadLength(instrument),
      );
      return {
        cycle,
        tokenHash: sha256(token),
        digest: sha256(token, '\u0000', dto.instrument, '\u0000', canonical),
        sealed,
      };
    } catch (err) {
      if (err instanceof SealingKeyUnavailableError) {
        this.logger.error(err.message);
        throw unavailable(
          'sealing_key_unavailable',
          'Answers cannot be stored safely right now (the sealing key is unavailable); try again later',
        );
      }
      throw err;
    }
  }
}

interface Checked {
  cycle: CycleRow;
  tokenHash: Buffer;
  digest: Buffer;
  sealed: Buffer;
}
