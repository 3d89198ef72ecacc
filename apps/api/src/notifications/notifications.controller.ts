import { Body, Controller, Get, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { OutboxResponse, PreferencesResponse, TeamSlackResponse } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { badRequest } from '../common/errors';
import { TeamSlackDto, UpdatePreferencesDto } from './dto/notification.dto';
import { NotificationSettingsService } from './notification-settings.service';
import { NotificationService } from './notification.service';
import { teamId as teamIdPipe } from '../common/ids';

@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationService,
    private readonly settings: NotificationSettingsService,
  ) {}

  @Authenticated({ admin: true })
  @Get('admin/outbox')
  @ApiQuery({ name: 'limit', required: false, description: '1–500, default 100' })
  @ApiQuery({ name: 'before', required: false, description: 'message id: older messages than this' })
  @ApiOkResponse({
    description: 'Email written to the outbox because no SMTP server is configured, newest first',
  })
  async outbox(@Query('limit') limit?: string, @Query('before') before?: string): Promise<OutboxResponse> {
    const fields: Record<string, string[]> = {};
    const n = limit === undefined ? 100 : Number(limit);
    if (limit !== undefined && (typeof limit !== 'string' || !/^\d+$/.test(limit) || n < 1 || n > 500))
      fields.limit = ['must be a whole number from 1 to 500'];
    if (before !== undefined && (typeof before !== 'string' || !/^\d{1,18}$/.test(before)))
      fields.before = ['must be a message id'];
    if (Object.keys(fields).length > 0)
      throw badRequest('invalid_query', 'Some query parameters are not valid', fields);
    return { messages: await this.notifications.outbox(n, before ?? null) };
  }

  @Authenticated()
  @Get('me/preferences')
  @ApiOkResponse({ description: 'Your notification preferences' })
  preferences(@CurrentUser() user: AuthUser): Promise<PreferencesResponse> {
    return this.settings.preferences(user);
  }

  @Authenticated()
  @Patch('me/preferences')
  @ApiOkResponse({
    description: 'Updated: reminders on or off (the "pulse is open" email is not a reminder)',
  })
  updatePreferences(
    @CurrentUser() user: AuthUser,
    @Body() body: UpdatePreferencesDto,
  ): Promise<PreferencesResponse> {
    return this.settings.setReminders(user, body.remindersEnabled);
  }

  @Authenticated()
  @Get('teams/:teamId/slack')
  @ApiOkResponse({ description: 'Whether the team has a Slack webhook (the URL is never returned in full)' })
  slack(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
  ): Promise<TeamSlackResponse> {
    return this.settings.slack(user, teamId);
  }

  @Authenticated()
  @Put('teams/:teamId/slack')
  @ApiOkResponse({ description: 'Set or clear the team Slack webhook (admin or a lead of the team)' })
  setSlack(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
    @Body() body: TeamSlackDto,
  ): Promise<TeamSlackResponse> {
    return this.settings.setSlack(user, teamId, body.webhookUrl);
  }
}
