import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SealingModule } from '../sealing/sealing.module';
import { CycleService } from './cycle.service';
import { ScheduleAdminService } from './schedule-admin.service';
import { ScheduleRepository } from './schedule.repository';
import { SchedulerService } from './scheduler.service';
import { SchedulesController } from './schedules.controller';
import { SurveysController } from './surveys.controller';

/** Schedules, cycles (open, close) and the scheduler tick. */
@Module({
  imports: [AuthModule, AnalyticsModule, NotificationsModule, SealingModule],
  controllers: [SurveysController, SchedulesController],
  providers: [CycleService, ScheduleRepository, ScheduleAdminService, SchedulerService],
})
export class SurveysModule {}
