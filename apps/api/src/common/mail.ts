import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';

/** An email as the outbox stores it; `kind` says which flow wrote it (invitation, reminder, …). */
export interface OutboxEmail {
  to: string;
  subject: string;
  text: string;
  kind: string;
}

/**
 * The one way the API sends email: with SMTP_URL through one pooled SMTP transport (a cycle
 * opening for a whole organisation sends many messages at once), without it into the `outbox`
 * table, which admins read at GET /api/admin/outbox. Callers write the outbox inside their
 * transaction and send after it commits; what to do about a failed send is theirs to decide.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private transport: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** True without SMTP: emails go to the outbox. */
  get usesOutbox(): boolean {
    return !this.config.smtp.url;
  }

  /** Writes the emails to the outbox in the caller's transaction (one statement). */
  async writeOutbox(m: EntityManager, emails: readonly OutboxEmail[]): Promise<void> {
    if (emails.length === 0) return;
    await m.query(
      `INSERT INTO outbox (to_address, subject, body, kind)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [
        emails.map((e) => e.to),
        emails.map((e) => e.subject),
        emails.map((e) => e.text),
        emails.map((e) => e.kind),
      ],
    );
  }

  /** Sends one email over SMTP. Throws on failure. */
  async send(email: { to: string; subject: string; text: string }): Promise<void> {
    await this.smtp().sendMail({
      from: this.config.smtp.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
    });
  }

  private smtp(): Transporter {
    const url = this.config.smtp.url ?? '';
    this.transport ??= createTransport(`${url}${url.includes('?') ? '&' : '?'}pool=true&maxConnections=3`);
    return this.transport;
  }
}
