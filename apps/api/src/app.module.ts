import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionsModule } from './actions/actions.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuthModule } from './auth/auth.module';
import { sessionKey } from './auth/session-key';
import { CommentsModule } from './comments/comments.module';
import { CommonModule } from './common/common.module';
import { type Clock, systemClock } from './common/clock';
import { type AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ObservabilityModule } from './observability/observability.module';
import { OrgModule } from './org/org.module';
import { ResponsesModule } from './responses/responses.module';
import { SealingModule } from './sealing/sealing.module';
import { SurveysModule } from './surveys/surveys.module';

/** The feature modules, platform pieces first. Each declares its own controllers and providers. */
const FEATURE_MODULES: Type[] = [
  HealthModule,
  ObservabilityModule,
  AuthModule,
  OrgModule,
  ActionsModule,
  SealingModule,
  NotificationsModule,
  ResponsesModule,
  CommentsModule,
  AnalyticsModule,
  SurveysModule,
];

/** Every controller of the API, read from the feature modules (the boot check walks them). */
export function apiControllers(): Type[] {
  return FEATURE_MODULES.flatMap((m) => (Reflect.getMetadata('controllers', m) as Type[] | undefined) ?? []);
}

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
          global: true,
          secret: sessionKey(config.jwt.secret),
          signOptions: {
            algorithm: 'HS256',
            expiresIn: config.jwt.ttlSeconds,
            issuer: config.jwt.issuer,
            audience: config.jwt.audience,
          },
          verifyOptions: { algorithms: ['HS256'], issuer: config.jwt.issuer, audience: config.jwt.audience },
        }),
        CommonModule.forRoot(config, clock),
        ...FEATURE_MODULES,
      ],
    };
  }
}
