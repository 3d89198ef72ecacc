import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { GroupOverviewResponse, GroupTrendResponse, ReliabilityResponse } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { comparisonCsv } from './analytics.csv';
import { ComparisonQuery, MonthsQuery, PeriodQuery } from './analytics.dto';
import { GroupAnalyticsService } from './group-analytics.service';
import { GroupOverviewService } from './group-overview.service';
import { groupId as groupIdPipe } from '../common/ids';

/** Director views. Access: directors of the group or of a group above it (checked in the service). */
@ApiTags('analytics')
@Controller('groups')
export class GroupAnalyticsController {
  constructor(
    private readonly groups: GroupAnalyticsService,
    private readonly overviews: GroupOverviewService,
  ) {}

  @Authenticated()
  @Get(':groupId/overview')
  @ApiOkResponse({
    description:
      "Every team by every dimension of both instruments for a month, worst first by favourability, and the 'where to look' list",
  })
  overview(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupIdPipe) groupId: string,
    @Query() query: PeriodQuery,
  ): Promise<GroupOverviewResponse> {
    return this.overviews.overview(user, groupId, query.period);
  }

  @Authenticated()
  @Get(':groupId/comparison')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({
    description:
      'Teams × dimensions for a month, with suppression and BH-adjusted flags (`GroupComparisonResponse`, sent as the JSON text it is cached as)',
  })
  comparison(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupIdPipe) groupId: string,
    @Query() query: ComparisonQuery,
  ): Promise<string> {
    return this.groups.comparisonJson(user, groupId, query.instrument ?? 'psych-safety', query.period);
  }

  @Authenticated()
  @Get(':groupId/comparison.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="group-comparison.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The group comparison as CSV, with the same suppression' })
  async comparisonCsv(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupIdPipe) groupId: string,
    @Query() query: ComparisonQuery,
  ): Promise<string> {
    return comparisonCsv(
      await this.groups.comparison(user, groupId, query.instrument ?? 'psych-safety', query.period),
    );
  }

  @Authenticated()
  @Get(':groupId/trend')
  @ApiOkResponse({ description: 'The group rolled up from its teams, per calendar month' })
  trend(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupIdPipe) groupId: string,
    @Query() query: MonthsQuery,
  ): Promise<GroupTrendResponse> {
    return this.groups.trend(user, groupId, query.instrument ?? 'psych-safety', query.months ?? 12);
  }

  @Authenticated()
  @Get(':groupId/reliability')
  @ApiOkResponse({
    description:
      "Cronbach's α per month and per scale (psychological safety as one scale, the trust equation per component) where n ≥ 30",
  })
  reliability(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupIdPipe) groupId: string,
    @Query() query: MonthsQuery,
  ): Promise<ReliabilityResponse> {
    return this.groups.reliability(user, groupId, query.instrument ?? 'psych-safety', query.months ?? 12);
  }
}
