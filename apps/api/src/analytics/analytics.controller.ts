import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { InstrumentId, TeamTrendResponse } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { AnalyticsService } from './analytics.service';

export class TrendQuery {
  @IsOptional()
  @IsIn(['psych-safety', 'trust-equation'], { message: 'instrument must be psych-safety or trust-equation' })
  instrument?: InstrumentId;
}

@ApiTags('analytics')
@Controller('teams')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Authenticated({ team: 'results' })
  @Get(':teamId/trend')
  @ApiQuery({ name: 'instrument', enum: ['psych-safety', 'trust-equation'], required: false })
  @ApiOkResponse({ description: 'Released scores per closed cycle; cells with n < k are suppressed' })
  trend(
    @CurrentUser() user: AuthUser,
    @Param('teamId') teamId: string,
    @Query() query: TrendQuery,
  ): Promise<TeamTrendResponse> {
    return this.analytics.teamTrend(user, teamId, query.instrument ?? 'psych-safety');
  }
}
