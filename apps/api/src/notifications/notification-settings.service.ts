import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PreferencesResponse, TeamSlackResponse } from '@candor/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest, forbidden, notFound } from '../common/errors';
import { AccessService } from '../auth/access.service';
import { type AuthUser } from '../auth/auth.types';
import { checkWebhook } from './webhook-target';
import { audit } from '../common/audit-log';
import { NotificationsRepository } from './notifications.repository';

@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: NotificationsRepository,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async preferences(user: AuthUser): Promise<PreferencesResponse> {
    return { remindersEnabled: (await this.repo.remindersEnabled(user.id)) ?? true };
  }

  async setReminders(user: AuthUser, enabled: boolean): Promise<PreferencesResponse> {
    await this.repo.setRemindersEnabled(user.id, enabled);
    return { remindersEnabled: enabled };
  }

  private async assertTeamManager(user: AuthUser, teamId: string, route: string): Promise<void> {
    if (!(await this.access.teamExists(teamId))) throw notFound('Team');
    if (user.isAdmin || this.access.isLead(user, teamId)) return;
    await this.access.recordDenial(user, route, teamId);
    throw forbidden('team_access_denied', 'Only an administrator or a lead of this team can do this');
  }

  async slack(user: AuthUser, teamId: string): Promise<TeamSlackResponse> {
    await this.assertTeamManager(user, teamId, 'GET /teams/:teamId/slack');
    return hint(await this.repo.slackWebhook(teamId));
  }

  async setSlack(user: AuthUser, teamId: string, webhookUrl: string | null): Promise<TeamSlackResponse> {
    await this.assertTeamManager(user, teamId, 'PUT /teams/:teamId/slack');
    const url = webhookUrl === null || webhookUrl.trim() === '' ? null : webhookUrl.trim();
    if (url !== null) {
      // Where the URL leads, not how it is spelled; checked again at every delivery.
      const target = await checkWebhook(url, this.config.network.slackAllowLocal, { resolve: false });
      if ('problem' in target)
        throw badRequest('invalid_webhook', 'The Slack webhook URL is not valid', {
          webhookUrl: [target.problem],
        });
    }
    await this.repo.setSlackWebhook(teamId, url);
    await audit(this.dataSource.manager, user.id, 'team.slack', teamId, { configured: url !== null });
    return hint(url);
  }
}

function hint(url: string | null): TeamSlackResponse {
  if (url === null) return { configured: false, hint: null };
  const u = new URL(url);
  const first = u.pathname.split('/').filter(Boolean).slice(0, 2).join('/');
  return { configured: true, hint: `${u.protocol}//${u.host}/${first}/…` };
}
