import { AnalyticsVersion, AnalyticsVersionPending } from '../analytics/analytics-version.entity';
import {
  DisclosureCell,
  DisclosurePeriod,
  TeamMonthCycle,
  TeamMonthGroup,
} from '../analytics/team-month-cycle.entity';
import { TeamAction } from '../actions/action.entity';
import { CommentMessage, CommentReport, CommentRow, CommentSealed } from '../comments/comment.entities';
import { NotificationSent, OutboxEntry } from '../notifications/notification.entities';
import { AuthToken } from '../auth/auth-token.entity';
import { LoginFailure } from '../auth/login-failure.entity';
import { SsoIdentity } from '../auth/sso-identity.entity';
import { RateLimitCounter } from '../common/rate-limit.entity';
import { DirectorScope, Membership, OrgGroup, Team, User } from '../kernel/org.entities';
import { SpentToken, SurveyResponse } from '../responses/response.entities';
import { TokenIssue } from '../responses/token-issue.entity';
import { CycleKey } from '../sealing/cycle-key.entity';
import { CycleStats } from '../analytics/cycle-stats.entity';
import { AuditLog } from '../common/audit-log.entity';
import { Cycle, Schedule } from '../kernel/cycle.entities';
import { CycleInvitee } from '../surveys/survey.entities';

export const ENTITIES = [
  OrgGroup,
  Team,
  User,
  Membership,
  DirectorScope,
  Schedule,
  Cycle,
  CycleInvitee,
  CycleStats,
  AuditLog,
  TokenIssue,
  SpentToken,
  CycleKey,
  SurveyResponse,
  NotificationSent,
  OutboxEntry,
  TeamAction,
  AuthToken,
  LoginFailure,
  AnalyticsVersion,
  AnalyticsVersionPending,
  TeamMonthCycle,
  TeamMonthGroup,
  DisclosurePeriod,
  DisclosureCell,
  SsoIdentity,
  RateLimitCounter,
  CommentSealed,
  CommentRow,
  CommentMessage,
  CommentReport,
];
