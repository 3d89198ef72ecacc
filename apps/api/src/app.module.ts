import { type DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalyticsController } from './analytics/analytics.controller';
import { AnalyticsRepository } from './analytics/analytics.repository';
import { AnalyticsService } from './analytics/analytics.service';
import { AccessService } from './auth/access.service';
import { AccessGuard, JwtAuthGuard } from './auth/auth.decorators';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { LocalAuthGuard, LocalStrategy } from './auth/local.strategy';
import { APP_CONFIG, type AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source';
import { HealthController } from './health/health.controller';
import { ResponsesController } from './responses/responses.controller';
import { ResponseService } from './responses/response.service';
import { CycleService } from './surveys/cycle.service';
import { SurveysController } from './surveys/surveys.controller';

export const CONTROLLERS = [
  HealthController,
  AuthController,
  SurveysController,
  ResponsesController,
  AnalyticsController,
];

/** The whole API. Built from a validated config and a database URL (server or embedded). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), retryAttempts: 3, retryDelay: 1000 }),
        PassportModule,
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
        AuthService,
        AccessService,
        JwtStrategy,
        LocalStrategy,
        LocalAuthGuard,
        JwtAuthGuard,
        AccessGuard,
        CycleService,
        ResponseService,
        AnalyticsRepository,
        AnalyticsService,
      ],
    };
  }
}
