import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Mailer } from '../common/mail';

export interface AccountEmail {
  to: string;
  subject: string;
  text: string;
  kind: 'invitation' | 'password_reset';
}

/**
 * Invitation and reset emails. With SMTP_URL they are sent after the transaction commits; without
 * it they are written to the notifications outbox (table `outbox`, readable by admins at
 * GET /api/admin/outbox) inside the caller's transaction. Links are never logged.
 */
@Injectable()
export class AccountMailer {
  private readonly logger = new Logger('AccountMail');

  constructor(private readonly mailer: Mailer) {}

  /** In the transaction: outbox row (no SMTP). Returns what to send after commit (SMTP). */
  async enqueue(m: EntityManager, email: AccountEmail): Promise<AccountEmail | null> {
    if (!this.mailer.usesOutbox) return email;
    await this.mailer.writeOutbox(m, [email]);
    return null;
  }

  /** After commit. Never throws: a failed send is logged (without address or link); the admin can re-send. */
  async send(email: AccountEmail | null): Promise<void> {
    if (!email || this.mailer.usesOutbox) return;
    try {
      await this.mailer.send(email);
    } catch (err) {
      this.logger.warn(
        `${email.kind} email failed: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}`,
      );
    }
  }
}
