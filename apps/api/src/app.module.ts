import { type DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalyticsController } from './analytics/analytics.controller';
import { AnalyticsRepository } from './analytics/analytics.repository';
import { AnalyticsService } from './analytics/analytics.service';
import { DisclosureRepository } from './analytics/disclosure.repository';
import { DisclosureService } from './analytics/disclosure.service';
import { GroupAnalyticsController } from './analytics/group-analytics.controller';
import { GroupAnalyticsService } from './analytics/group-analytics.service';
import { GroupOverviewService } from './analytics/group-overview.service';
import { ActionsController } from './actions/actions.controller';
import { ActionsService } from './actions/actions.service';
import { AccessService } from './auth/access.service';
import { AccessGuard, JwtAuthGuard } from './auth/auth.decorators';
import { AccountController } from './auth/account.controller';
import { AccountMailer } from './auth/account-mailer';
import { Mailer } from './common/mail';
import { AccountService } from './auth/account.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { LocalAuthGuard, LocalStrategy } from './auth/local.strategy';
import { LoginThrottle } from './auth/login-throttle';
import { OidcController } from './auth/oidc.controller';
import { OidcService } from './auth/oidc.service';
import { CLOCK, type Clock, systemClock } from './common/clock';
import { COMMENT_SEALER, sealedComments } from './comments/comment-sealer';
import { CommentsController } from './comments/comments.controller';
import { CommentsRepository } from './comments/comments.repository';
import { CommentsService } from './comments/comments.service';
import { APP_CONFIG, type AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source';
import { HealthController } from './health/health.controller';
import { ShutdownState } from './health/shutdown-state';
import { Metrics } from './observability/metrics';
import { MetricsController } from './observability/metrics.controller';
import { OrgAdminController } from './org/org-admin.controller';
import { OrgAdminService } from './org/org-admin.service';
import { OrgImportController } from './org/org-import.controller';
import { OrgImportService } from './org/org-import.service';
import { ResponsesController } from './responses/responses.controller';
import { ResponseService } from './responses/response.service';
import { RouteLimits } from './responses/route-limits';
import { SharedLimits } from './common/shared-limits';
import { SealingService } from './sealing/sealing.service';
import { CycleService } from './surveys/cycle.service';
import { SurveysController } from './surveys/surveys.controller';
import { ScheduleService } from './surveys/schedule.service';
import { SchedulerService } from './surveys/scheduler.service';
import { SchedulesController } from './surveys/schedules.controller';
import { NotificationService } from './notifications/notification.service';
import { NotificationSettingsService } from './notifications/notification-settings.service';
import { NotificationsController } from './notifications/notifications.controller';

export const CONTROLLERS = [
  HealthController,
  MetricsController,
  AuthController,
  AccountController,
  OidcController,
  SurveysController,
  SchedulesController,
  NotificationsController,
  ResponsesController,
  AnalyticsController,
  GroupAnalyticsController,
  ActionsController,
  OrgAdminController,
  OrgImportController,
  CommentsController,
];

/** The whole API. Built from a validated config and a database URL (server or embedded). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, clock: Clock = systemClock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), retryAttempts: 3, retryDelay: 1000 }),
        PassportModule,
        ScheduleModule.forRoot(),
        JwtModule.register({
          secret: config.jwt.secret,
          signOptions: {
            algorithm: 'HS256',
            expiresIn: config.jwt.ttlSeconds,
            issuer: config.jwt.issuer,
            audience: config.jwt.audience,
          },
          verifyOptions: { algorithms: ['HS256'], issuer: config.jwt.issuer, audience: config.jwt.audience },
        }),
      ],
      controllers: CONTROLLERS,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        Metrics,
        SharedLimits,
        RouteLimits,
        ShutdownState,
        AuthService,
        AccessService,
        JwtStrategy,
        LocalStrategy,
        LocalAuthGuard,
        LoginThrottle,
        AccountService,
        AccountMailer,
        Mailer,
        OidcService,
        JwtAuthGuard,
        AccessGuard,
        CycleService,
        ScheduleService,
        SchedulerService,
        NotificationService,
        NotificationSettingsService,
        ResponseService,
        SealingService,
        AnalyticsRepository,
        AnalyticsService,
        DisclosureRepository,
        DisclosureService,
        GroupAnalyticsService,
        GroupOverviewService,
        ActionsService,
        OrgAdminService,
        OrgImportService,
        { provide: COMMENT_SEALER, useFactory: sealedComments, inject: [SealingService] },
        CommentsRepository,
        CommentsService,
      ],
    };
  }
}
