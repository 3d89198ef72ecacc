import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SubmitReceipt, TokenIssueResponse } from '@candor/contracts';
import { getInstrument, isInstrumentVersion, validateAnswers } from '@candor/instruments';
import { badRequest, conflict, forbidden, gone, notFound } from '../common/errors';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/**
 * Token issue and anonymous submission: the two halves of the blind-signature protocol.
 * Nothing here logs or returns answers, tokens or signatures.
 */
@Injectable()
export class ResponseService {
  constructor(private readonly dataSource: DataSource) {}

  private async cycle(cycleId: string): Promise<CycleRow> {
    if (!UUID.test(cycleId)) throw notFound('Cycle');
    const rows: CycleRow[] = await this.dataSource.query(
      `SELECT id, team_id, status, opens_at, closes_at, instrument_version, public_key_spki, private_key_pkcs8
         FROM cycle WHERE id = $1`,
      [cycleId],
    );
    if (!rows[0]) throw notFound('Cycle');
    return rows[0];
  }

  private assertOpen(cycle: CycleRow, now: Date): void {
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
   * Stores an anonymous response. The token is the idempotency key: the same token with the same
   * answers replays the first receipt (200); with other answers it is refused (409).
   */
  async submit(dto: SubmitResponseDto, now = new Date()): Promise<SubmitReceipt> {
    const cycle = await this.cycle(dto.cycleId);
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
    this.assertOpen(cycle, now);
    const token = fromBase64Url(dto.token);
    const signature = fromBase64Url(dto.signature);
    const fields: Record<string, string[]> = {};
    if (!token || token.length !== TOKEN_BYTES) fields.token = [`must be ${TOKEN_BYTES} bytes of base64url`];
    if (!signature || signature.length !== MODULUS_BYTES)
      fields.signature = [`must be ${MODULUS_BYTES} bytes of base64url`];
    if (!token || !signature || Object.keys(fields).length > 0) {
      throw badRequest('malformed_token', 'The survey token is malformed', fields);
    }
    if (!(await verifyToken(cycle.public_key_spki, token, signature))) {
      throw badRequest('invalid_signature', 'The token was not signed for this survey', {
        signature: ['does not verify for this survey'],
      });
    }

    const canonical = JSON.stringify(
      Object.keys(dto.answers)
        .sort()
        .map((k) => [k, dto.answers[k]]),
    );
    const tokenHash = sha256(token);
    const digest = sha256(token, '\u0000', dto.instrument, '\u0000', canonical);
    const receiptId = randomUUID();
    const answers = Object.fromEntries(
      getInstrument(dto.instrument).items.map((i) => [i.id, dto.answers[i.id] as number]),
    );

    return this.dataSource.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
        [cycle.id, tokenHash, digest, receiptId],
      );
      if (inserted.length === 1) {
        // Re-check inside the transaction: the cycle must still be open when the answer lands.
        const open: unknown[] = await tx.query(
          `SELECT 1 FROM cycle WHERE id = $1 AND status = 'open' FOR SHARE`,
          [cycle.id],
        );
        if (open.length === 0)
          throw gone('cycle_closed', 'This survey has closed; answers are no longer accepted');
        await tx.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
          cycle.id,
          dto.instrument,
          JSON.stringify(answers),
        ]);
        return {
          receiptId,
          cycleId: cycle.id,
          instrument: dto.instrument,
          replayed: false,
          teamId: cycle.team_id,
        };
      }
      const first: { submission_digest: Buffer; receipt_id: string }[] = await tx.query(
        'SELECT submission_digest, receipt_id FROM spent_token WHERE cycle_id = $1 AND token_hash = $2',
        [cycle.id, tokenHash],
      );
      if (first[0] && first[0].submission_digest.equals(digest)) {
        return {
          receiptId: first[0].receipt_id,
          cycleId: cycle.id,
          instrument: dto.instrument,
          replayed: true,
          teamId: cycle.team_id,
        };
      }
      throw conflict('token_already_used', 'This token was already used with different answers');
    });
  }
}
