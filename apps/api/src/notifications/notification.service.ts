import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import type { OutboxMessage } from '@candor/contracts';
import { Mailer } from '../common/mail';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { type NotificationKind } from './notification.entities';
import { postWebhook, WebhookRefused } from './webhook-target';

/** A message claimed inside the tick's transaction, delivered after it commits. */
export interface PendingDelivery {
  cycleId: string;
  kind: NotificationKind;
  recipient: string;
  channel: 'email' | 'slack';
  /** email address, or the webhook URL */
  to: string;
  subject: string;
  text: string;
}

interface EmailRow {
  cycle_id: string;
  recipient: string;
  email: string;
  name: string;
  team_name: string;
  opens_at: Date;
  closes_at: Date;
  k: number;
  timezone: string | null;
}

interface SlackRow {
  cycle_id: string;
  webhook: string;
  team_name: string;
  closes_at: Date;
  k: number;
  timezone: string | null;
}

/** When the reminder goes out: 24 h before close, or half-way through a shorter window. */
const REMINDER_AT = `c.closes_at - LEAST(interval '24 hours', (c.closes_at - c.opens_at) / 2)`;

/**
 * "The pulse is open", reminders and "results are in".
 *
 * Exactly-once bookkeeping: every message is first *claimed* by inserting its key
 * (cycle, kind, recipient) into `notification_sent` inside the scheduler's transaction; only
 * claims that were new are delivered. Without SMTP the message goes to `outbox` in the same
 * transaction. With SMTP or Slack it is delivered after commit; a failed delivery gives its
 * claim back, so the next tick retries it. Nothing here knows, or logs, what anyone answered.
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mailer: Mailer,
  ) {}

  /**
   * Claims every notification due at `now`. Without SMTP, emails go to the outbox in this
   * transaction; returns what is left to deliver after commit and how many went to the outbox.
   */
  async collect(tx: EntityManager, now: Date): Promise<{ deliveries: PendingDelivery[]; outboxed: number }> {
    const out: PendingDelivery[] = [];
    const open: EmailRow[] = await tx.query(
      this.claimEmails(
        'open',
        `c.status = 'open' AND c.opens_at <= $1 AND c.closes_at > $1 AND $1 < ${REMINDER_AT}`,
      ),
      [now],
    );
    const reminders: EmailRow[] = await tx.query(
      this.claimEmails(
        'reminder',
        `c.status = 'open' AND c.closes_at > $1 AND $1 >= ${REMINDER_AT} AND u.reminders_enabled`,
      ),
      [now],
    );
    for (const row of open) out.push(this.email('open', row));
    for (const row of reminders) out.push(this.email('reminder', row));

    const slackOpen: SlackRow[] = await tx.query(
      this.claimSlack('open', `c.status = 'open' AND c.opens_at <= $1 AND c.closes_at > $1`),
      [now],
    );
    // "Results are in" for cycles that closed in the last day (not for the whole history when a
    // webhook is first set).
    const slackResults: SlackRow[] = await tx.query(
      this.claimSlack(
        'results',
        `c.status = 'closed' AND c.closes_at <= $1 AND c.closes_at > $1::timestamptz - interval '24 hours'`,
      ),
      [now],
    );
    for (const row of slackOpen) out.push(this.slack('open', row));
    for (const row of slackResults) out.push(this.slack('results', row));

    const emails = out.filter((d) => d.channel === 'email');
    const toOutbox = this.mailer.usesOutbox;
    if (toOutbox) await this.mailer.writeOutbox(tx, emails);
    return {
      deliveries: toOutbox ? out.filter((d) => d.channel === 'slack') : out,
      outboxed: toOutbox ? emails.length : 0,
    };
  }

  /** Sends what `collect` claimed. Never throws; failures give the claim back for the next tick. */
  async deliver(pending: PendingDelivery[]): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (let i = 0; i < pending.length; i += 10) {
      await Promise.all(
        pending.slice(i, i + 10).map(async (d) => {
          try {
            if (d.channel === 'email') {
              await this.mailer.send(d);
            } else {
              await postWebhook(d.to, { text: d.text }, this.config.network.slackAllowLocal);
            }
            sent++;
          } catch (err) {
            failed++;
            if (err instanceof WebhookRefused) {
              // The target is not allowed (any more): keep the claim, do not knock every minute.
              this.logger.warn(`slack ${d.kind} for cycle ${d.cycleId} not sent: ${err.message}`);
              return;
            }
            // No addresses, webhook URLs or message text in the log.
            const reason = err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
            this.logger.warn(`${d.channel} ${d.kind} for cycle ${d.cycleId} failed (will retry): ${reason}`);
            await this.dataSource
              .query('DELETE FROM notification_sent WHERE cycle_id = $1 AND kind = $2 AND recipient = $3', [
                d.cycleId,
                d.kind,
                d.recipient,
              ])
              .catch(() => undefined);
          }
        }),
      );
    }
    return { sent, failed };
  }

  /**
   * Tells a team's leads that an anonymous comment thread has a new message from its writer —
   * never its content, the comment or anything about the writer (docs/adr/0012). E-mail (or the
   * outbox without SMTP) to each active lead, and the team's Slack hook. Best effort: a failed
   * delivery is logged without address or text and not retried (the message waits in Candor).
   */
  async commentActivity(teamId: string): Promise<void> {
    const leads: { email: string; team_name: string }[] = await this.dataSource.query(
      `SELECT u.email, t.name AS team_name FROM membership m
         JOIN app_user u ON u.id = m.user_id AND u.active
         JOIN team t ON t.id = m.team_id
        WHERE m.team_id = $1 AND m.role = 'lead' ORDER BY u.email`,
      [teamId],
    );
    const team: { name: string; slack_webhook_url: string | null }[] = await this.dataSource.query(
      'SELECT name, slack_webhook_url FROM team WHERE id = $1',
      [teamId],
    );
    const name = team[0]?.name ?? 'your team';
    const subject = `New message in an anonymous comment thread of ${name}`;
    const text = [
      `Someone answered in an anonymous comment thread of ${name}.`,
      '',
      'Open Candor and look at the comments on the team page to read it. Nobody, Candor included,',
      'can tell you who wrote it.',
    ].join('\n');
    try {
      if (this.mailer.usesOutbox) {
        await this.mailer.writeOutbox(
          this.dataSource.manager,
          leads.map((l) => ({ to: l.email, subject, text, kind: 'comment' })),
        );
      } else {
        for (const l of leads) await this.mailer.send({ to: l.email, subject, text });
      }
      const webhook = team[0]?.slack_webhook_url;
      if (webhook) await postWebhook(webhook, { text: subject }, this.config.network.slackAllowLocal);
    } catch (err) {
      const reason = err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
      this.logger.warn(`comment notification for team ${teamId} failed: ${reason}`);
    }
  }

  async outbox(limit: number, before: string | null): Promise<OutboxMessage[]> {
    const rows: {
      id: string;
      created_at: Date;
      to_address: string;
      subject: string;
      body: string;
      kind: NotificationKind;
    }[] = await this.dataSource.query(
      // Ordered by the bigint column: `ORDER BY id` would sort the text output column ('999' > '1684').
      `SELECT o.id::text AS id, o.created_at, o.to_address, o.subject, o.body, o.kind FROM outbox o
          WHERE ($2::bigint IS NULL OR o.id < $2::bigint) ORDER BY o.id DESC LIMIT $1`,
      [limit, before],
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: new Date(r.created_at).toISOString(),
      to: r.to_address,
      subject: r.subject,
      text: r.body,
      kind: r.kind,
    }));
  }

  private claimEmails(kind: 'open' | 'reminder', where: string): string {
    return `WITH due AS (
        SELECT c.id AS cycle_id, ci.user_id
          FROM cycle c
          JOIN cycle_invitee ci ON ci.cycle_id = c.id
          JOIN app_user u ON u.id = ci.user_id AND u.active
         WHERE ${where}
           AND NOT EXISTS (SELECT 1 FROM token_issue ti WHERE ti.cycle_id = c.id AND ti.user_id = ci.user_id)
      ), claimed AS (
        INSERT INTO notification_sent (cycle_id, kind, recipient)
        SELECT cycle_id, '${kind}', user_id::text FROM due
        ON CONFLICT DO NOTHING RETURNING cycle_id, recipient
      )
      SELECT cl.cycle_id, cl.recipient, u.email, u.name, t.name AS team_name, c.opens_at, c.closes_at, c.k, s.timezone
        FROM claimed cl
        JOIN app_user u ON u.id = cl.recipient::uuid
        JOIN cycle c ON c.id = cl.cycle_id
        JOIN team t ON t.id = c.team_id
        LEFT JOIN schedule s ON s.id = c.schedule_id
       ORDER BY u.email`;
  }

  private claimSlack(kind: 'open' | 'results', where: string): string {
    return `WITH claimed AS (
        INSERT INTO notification_sent (cycle_id, kind, recipient)
        SELECT c.id, '${kind}', 'slack'
          FROM cycle c JOIN team t ON t.id = c.team_id AND t.slack_webhook_url IS NOT NULL
         WHERE ${where}
        ON CONFLICT DO NOTHING RETURNING cycle_id
      )
      SELECT cl.cycle_id, t.slack_webhook_url AS webhook, t.name AS team_name, c.closes_at, c.k, s.timezone
        FROM claimed cl
        JOIN cycle c ON c.id = cl.cycle_id
        JOIN team t ON t.id = c.team_id
        LEFT JOIN schedule s ON s.id = c.schedule_id`;
  }

  private when(date: Date, zone: string | null): string {
    return DateTime.fromJSDate(new Date(date), { zone: zone ?? this.config.timezone }).toFormat(
      "cccc d LLLL yyyy 'at' HH:mm ZZZZ",
    );
  }

  private email(kind: 'open' | 'reminder', r: EmailRow): PendingDelivery {
    const closes = this.when(r.closes_at, r.timezone);
    const subject =
      kind === 'open'
        ? `The ${r.team_name} pulse is open until ${closes}`
        : `Reminder: the ${r.team_name} pulse closes ${closes}`;
    const text = [
      `Hello ${r.name},`,
      '',
      kind === 'open'
        ? `The ${r.team_name} team-health pulse is open. It takes about a minute.`
        : `The ${r.team_name} team-health pulse closes on ${closes}. It takes about a minute.`,
      '',
      'Your answers are anonymous: they are stored without your name, and nobody (not your lead, not an',
      `administrator) can see them. Results are shown only when at least ${r.k} people have answered.`,
      '',
      'Open Candor and choose "My surveys" to answer.',
      '',
      kind === 'open'
        ? `It closes on ${closes}.`
        : 'You can turn reminders off in Candor under your preferences.',
    ].join('\n');
    return {
      cycleId: r.cycle_id,
      kind,
      recipient: r.recipient,
      channel: 'email',
      to: r.email,
      subject,
      text,
    };
  }

  private slack(kind: 'open' | 'results', r: SlackRow): PendingDelivery {
    const text =
      kind === 'open'
        ? `The ${r.team_name} pulse is open until ${this.when(r.closes_at, r.timezone)}. It takes a minute and it is anonymous.`
        : `The ${r.team_name} pulse has closed: results are in on Candor (shown when at least ${r.k} people answered).`;
    return {
      cycleId: r.cycle_id,
      kind,
      recipient: 'slack',
      channel: 'slack',
      to: r.webhook,
      subject: '',
      text,
    };
  }
}
