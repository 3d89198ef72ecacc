import { Injectable } from '@nestjs/common';
import type { GroupOverviewResponse, InstrumentId, TeamTrendResponse } from '@candor/contracts';
import { type AuthUser } from '../auth/auth.types';
import { TeamAnalyticsService } from './team-analytics.service';
import { GroupAnalyticsService } from './group-analytics.service';
import { composeOverview, OVERVIEW_INSTRUMENTS } from './group-overview';

/** Team trends read at once while composing an overview (each is cached per data version). */
const TREND_CONCURRENCY = 4;

/**
 * `GET /api/groups/:groupId/overview`: the director's home in one request. Access as the group
 * comparison (directors of the group or of a group above it; a denial is audited under this
 * route). Every cell is one the gate released on the comparison or on the team's own trend, which
 * a director of the group may read as well.
 */
@Injectable()
export class GroupOverviewService {
  constructor(
    private readonly groups: GroupAnalyticsService,
    private readonly teams: TeamAnalyticsService,
  ) {}

  async overview(user: AuthUser, groupId: string, period: string): Promise<GroupOverviewResponse> {
    await this.groups.assertCanSeeGroup(user, groupId, 'GET /api/groups/:groupId/overview');
    const [psych, trust] = await Promise.all(
      OVERVIEW_INSTRUMENTS.map((i) => this.groups.comparison(user, groupId, i, period)),
    );
    const comparisons = { 'psych-safety': psych!, 'trust-equation': trust! };
    const keys = OVERVIEW_INSTRUMENTS.flatMap((instrument: InstrumentId) =>
      comparisons[instrument].rows
        .filter((r) => r.kind === 'team')
        .map((r) => ({ teamId: r.id, instrument })),
    );
    const trends = new Map<string, TeamTrendResponse>();
    for (let i = 0; i < keys.length; i += TREND_CONCURRENCY) {
      await Promise.all(
        keys.slice(i, i + TREND_CONCURRENCY).map(async ({ teamId, instrument }) => {
          trends.set(`${teamId}:${instrument}`, await this.teams.teamTrend(user, teamId, instrument));
        }),
      );
    }
    return composeOverview({ comparisons, trends });
  }
}
