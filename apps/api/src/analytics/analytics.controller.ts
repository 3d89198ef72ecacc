import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ItemBreakdownResponse, PooledTrendResponse, TeamTrendResponse } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { itemsCsv, trendCsv } from './analytics.csv';
import { PooledTrendQuery, TrendQuery } from './analytics.dto';
import { TeamAnalyticsService } from './team-analytics.service';
import { teamId as teamIdPipe, cycleId as cycleIdPipe } from '../common/ids';

@ApiTags('analytics')
@Controller('teams')
export class AnalyticsController {
  constructor(private readonly analytics: TeamAnalyticsService) {}

  @Authenticated({ team: 'results' })
  @Get(':teamId/trend')
  @ApiOkResponse({ description: 'Released scores per closed cycle; cells with n < k are suppressed' })
  trend(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
    @Query() query: TrendQuery,
  ): Promise<TeamTrendResponse> {
    return this.analytics.teamTrend(user, teamId, query.instrument ?? 'psych-safety');
  }

  @Authenticated({ team: 'results' })
  @Get(':teamId/trend.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="team-trend.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The team trend as CSV, with the same suppression' })
  async trendCsv(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
    @Query() query: TrendQuery,
  ): Promise<string> {
    return trendCsv(await this.analytics.teamTrend(user, teamId, query.instrument ?? 'psych-safety'));
  }

  @Authenticated({ team: 'lead' })
  @Get(':teamId/trend/pooled')
  @ApiOkResponse({
    description:
      "The trend pooled over the team's fixed blocks of consecutive cycles (leads only); the block size is fixed per team",
  })
  pooled(
    @Param('teamId', teamIdPipe) teamId: string,
    @Query() query: PooledTrendQuery,
  ): Promise<PooledTrendResponse> {
    return this.analytics.pooledTrend(teamId, query.instrument ?? 'psych-safety');
  }

  @Authenticated({ team: 'results' })
  @Get(':teamId/cycles/:cycleId/items')
  @ApiOkResponse({ description: 'Item means of one closed cycle; answer distributions from n ≥ 10' })
  items(
    @Param('teamId', teamIdPipe) teamId: string,
    @Param('cycleId', cycleIdPipe) cycleId: string,
  ): Promise<ItemBreakdownResponse> {
    return this.analytics.itemBreakdown(teamId, cycleId);
  }

  @Authenticated({ team: 'results' })
  @Get(':teamId/cycles/:cycleId/items.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="item-breakdown.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The item breakdown as CSV, with the same suppression' })
  async itemsCsv(
    @Param('teamId', teamIdPipe) teamId: string,
    @Param('cycleId', cycleIdPipe) cycleId: string,
  ): Promise<string> {
    return itemsCsv(await this.analytics.itemBreakdown(teamId, cycleId));
  }
}
