import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';

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
export class AccountMailer implements OnModuleDestroy {
  private readonly logger = new Logger('AccountMail');
  private transport: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** In the transaction: outbox row (no SMTP). Returns what to send after commit (SMTP). */
  async enqueue(m: EntityManager, email: AccountEmail): Promise<AccountEmail | null> {
    if (this.config.smtp.url) return email;
    await m.query('INSERT INTO outbox (to_address, subject, body, kind) VALUES ($1, $2, $3, $4)', [
      email.to,
      email.subject,
      email.text,
      email.kind,
    ]);
    return null;
  }

  /** After commit. Never throws: a failed send is logged (without address or link); the admin can re-send. */
  async send(email: AccountEmail | null): Promise<void> {
    if (!email || !this.config.smtp.url) return;
    try {
      this.transport ??= createTransport(this.config.smtp.url);
      await this.transport.sendMail({
        from: this.config.smtp.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
      });
    } catch (err) {
      this.logger.warn(
        `${email.kind} email failed: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}`,
      );
    }
  }
}
