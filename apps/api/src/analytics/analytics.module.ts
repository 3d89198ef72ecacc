import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { AuthModule } from '../auth/auth.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { TeamAnalyticsService } from './team-analytics.service';
import { DisclosureRepository } from './disclosure.repository';
import { DisclosureService } from './disclosure.service';
import { GroupAnalyticsController } from './group-analytics.controller';
import { GroupAnalyticsService } from './group-analytics.service';
import { GroupOverviewService } from './group-overview.service';

/**
 * Released aggregates through the release gate. `DisclosureService` is exported for the
 * scheduler, which seals the months that are over.
 */
@Module({
  imports: [AuthModule, ActionsModule],
  controllers: [AnalyticsController, GroupAnalyticsController],
  providers: [
    AnalyticsRepository,
    TeamAnalyticsService,
    DisclosureRepository,
    DisclosureService,
    GroupAnalyticsService,
    GroupOverviewService,
  ],
  exports: [DisclosureService],
})
export class AnalyticsModule {}
