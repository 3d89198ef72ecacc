import { createHash, randomBytes } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { InvitationResponse } from '@candor/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest, conflict, DomainError, notFound } from '../common/errors';
import { audit } from '../common/audit-log';
import { returned } from '../common/sql';
import { User } from '../kernel/org.entities';
import { AccountMailer, type AccountEmail } from './account-mailer';
import { type AuthTokenPurpose } from './auth-token.entity';
import { hashPassword, verifyPassword } from './passwords';
import { passwordProblems } from './password-policy';

const hashToken = (token: string) => createHash('sha256').update(token).digest();

const invalidLink = () =>
  new DomainError(
    'invalid_token',
    400,
    'This link is invalid, has expired or has already been used. Ask for a new one.',
    { token: ['is invalid, expired or already used'] },
  );

/** The current password given on a password change is wrong (counted by the throttle). */
export class WrongCurrentPassword extends DomainError {
  constructor() {
    super('validation_failed', 400, 'Some fields are not valid', {
      currentPassword: ['is not your current password'],
    });
  }
}

/**
 * Invitations, password resets and password changes. Tokens are 256-bit random, sent only in
 * the email link (in the URL fragment, so they never reach server logs), stored as SHA-256,
 * single-use and expiring. Setting a password bumps the token version: every other session ends.
 */
@Injectable()
export class AccountService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Accounts');
  /** Reset requests answered but not yet processed; shutdown waits for them. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: AccountMailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async issue(
    m: EntityManager,
    userId: string,
    purpose: AuthTokenPurpose,
    ttlMs: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    // A new link replaces older unused ones of the same kind.
    await m.query('DELETE FROM auth_token WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [
      userId,
      purpose,
    ]);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlMs);
    await m.query(
      'INSERT INTO auth_token (user_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4)',
      [userId, purpose, hashToken(token), expiresAt],
    );
    return { token, expiresAt };
  }

  async invite(actorId: string, userId: string): Promise<InvitationResponse> {
    let mail: AccountEmail | null = null;
    const result = await this.dataSource.transaction(async (m) => {
      const rows: { email: string; name: string; active: boolean }[] = await m.query(
        'SELECT email, name, active FROM app_user WHERE id = $1 FOR UPDATE',
        [userId],
      );
      const person = rows[0];
      if (!person) throw notFound('Person');
      if (!person.active)
        throw conflict('person_inactive', 'This person is deactivated: reactivate them before inviting them');
      const hours = this.config.auth.inviteTtlHours;
      const { token, expiresAt } = await this.issue(m, userId, 'invite', hours * 3600_000);
      const link = `${this.config.auth.publicUrl}/accept-invitation#token=${token}`;
      mail = await this.mailer.enqueue(m, {
        to: person.email,
        kind: 'invitation',
        subject: 'You are invited to Candor',
        text: [
          `Hello ${person.name},`,
          '',
          'You have been invited to Candor, the anonymous team-health pulse.',
          `Set your password here (the link works once, for ${hours} hours):`,
          '',
          link,
          '',
          'Nobody, including administrators, can see what you answer in a pulse.',
        ].join('\n'),
      });
      await audit(m, actorId, 'person.invite', userId, { expiresAt: expiresAt.toISOString() });
      return { expiresAt: expiresAt.toISOString() };
    });
    await this.mailer.send(mail);
    return result;
  }

  /**
   * Starts a reset after the current response has gone out: the answer (202) takes the same
   * time whether or not the account exists, because it does not wait for the lookup, the new link
   * or the email (a reset of a real account used to take ~2.6 ms longer).
   */
  requestResetInBackground(email: string): void {
    const work = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.requestReset(email))
      .catch((err: unknown) =>
        // No email address in the log.
        this.logger.error(`A password reset failed: ${err instanceof Error ? err.message : 'unknown error'}`),
      )
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Issues the link and queues the email when the account exists and is active; otherwise nothing. */
  async requestReset(email: string): Promise<void> {
    let mail: AccountEmail | null = null;
    await this.dataSource.transaction(async (m) => {
      const rows: { id: string; email: string; name: string }[] = await m.query(
        'SELECT id, email, name FROM app_user WHERE email = $1 AND active',
        [email.trim().toLowerCase()],
      );
      const person = rows[0];
      if (!person) return;
      const minutes = this.config.auth.resetTtlMinutes;
      const { token } = await this.issue(m, person.id, 'reset', minutes * 60_000);
      mail = await this.mailer.enqueue(m, {
        to: person.email,
        kind: 'password_reset',
        subject: 'Reset your Candor password',
        text: [
          `Hello ${person.name},`,
          '',
          `Someone (hopefully you) asked to reset your Candor password. The link works once, for ${minutes} minutes:`,
          '',
          `${this.config.auth.publicUrl}/reset-password#token=${token}`,
          '',
          'If it was not you, ignore this email: your password stays as it is.',
        ].join('\n'),
      });
    });
    // Not awaited: an SMTP round trip would tell a caller that the account exists.
    void this.mailer.send(mail);
  }

  /**
   * Redeems an invitation or reset link: sets the password, ends every other session. Returns the
   * person (with the new token version) so that the caller can sign them in.
   */
  async setPasswordWithToken(purpose: AuthTokenPurpose, token: string, password: string): Promise<User> {
    const rows: { email: string }[] = await this.dataSource.query(
      `SELECT u.email FROM auth_token t JOIN app_user u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now() AND u.active`,
      [hashToken(token), purpose],
    );
    if (!rows[0]) throw invalidLink();
    // Check the password before spending the token, so a weak choice does not burn the link.
    const problems = passwordProblems(password, rows[0].email);
    if (problems.length > 0)
      throw badRequest('validation_failed', 'Some fields are not valid', { password: problems });
    const hash = await hashPassword(password);
    return this.dataSource.transaction(async (m) => {
      const used = returned<{ user_id: string }>(
        await m.query(
          `UPDATE auth_token SET used_at = now()
            WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
            RETURNING user_id`,
          [hashToken(token), purpose],
        ),
      );
      const userId = used[0]?.user_id;
      if (!userId) throw invalidLink();
      await m.query(
        'UPDATE app_user SET password_hash = $2, token_version = token_version + 1 WHERE id = $1 AND active',
        [userId, hash],
      );
      await audit(
        m,
        userId,
        purpose === 'invite' ? 'auth.invitation_accepted' : 'auth.password_reset',
        userId,
      );
      return m.getRepository(User).findOneByOrFail({ id: userId });
    });
  }

  async changePassword(userId: string, email: string, current: string, next: string): Promise<void> {
    const rows: { password_hash: string | null }[] = await this.dataSource.query(
      'SELECT password_hash FROM app_user WHERE id = $1',
      [userId],
    );
    if (!(await verifyPassword(rows[0]?.password_hash ?? null, current))) throw new WrongCurrentPassword();
    const problems = passwordProblems(next, email);
    if (problems.length > 0)
      throw badRequest('validation_failed', 'Some fields are not valid', { newPassword: problems });
    await this.dataSource.transaction(async (m) => {
      await m.query(
        'UPDATE app_user SET password_hash = $2, token_version = token_version + 1 WHERE id = $1',
        [userId, await hashPassword(next)],
      );
      await audit(m, userId, 'auth.password_changed', userId);
    });
  }
}
