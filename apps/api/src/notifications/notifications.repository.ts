import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The notification settings' SQL: a person's reminder preference and a team's Slack webhook.
 * (The delivery queries of `NotificationService` still live in that service.)
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The person's reminder preference; null when there is no such person. */
  async remindersEnabled(userId: string): Promise<boolean | null> {
    const rows: { reminders_enabled: boolean }[] = await this.dataSource.query(
      'SELECT reminders_enabled FROM app_user WHERE id = $1',
      [userId],
    );
    return rows[0]?.reminders_enabled ?? null;
  }

  async setRemindersEnabled(userId: string, enabled: boolean): Promise<void> {
    await this.dataSource.query('UPDATE app_user SET reminders_enabled = $2 WHERE id = $1', [
      userId,
      enabled,
    ]);
  }

  /** The team's Slack webhook URL; null when none is set (or there is no such team). */
  async slackWebhook(teamId: string): Promise<string | null> {
    const rows: { url: string | null }[] = await this.dataSource.query(
      'SELECT slack_webhook_url AS url FROM team WHERE id = $1',
      [teamId],
    );
    return rows[0]?.url ?? null;
  }

  async setSlackWebhook(teamId: string, url: string | null): Promise<void> {
    await this.dataSource.query('UPDATE team SET slack_webhook_url = $2 WHERE id = $1', [teamId, url]);
  }
}
