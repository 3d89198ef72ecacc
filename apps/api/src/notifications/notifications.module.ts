import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NotificationService } from './notification.service';
import { NotificationSettingsService } from './notification-settings.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';

/** Email (SMTP or outbox), Slack webhooks and personal preferences. */
@Module({
  imports: [AuthModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationService, NotificationSettingsService],
  exports: [NotificationService],
})
export class NotificationsModule {}
