import { type DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from './clock';
import { Mailer } from './mail';
import { Metrics } from './metrics';
import { RouteLimits } from './route-limits';
import { SharedLimits } from './shared-limits';

const everywhere = [Metrics, SharedLimits, RouteLimits, Mailer];

/**
 * The infrastructure every domain uses, provided once for the whole app: the validated config,
 * the clock, the metrics registry, the rate limits counted in PostgreSQL and the mailer.
 */
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: CommonModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        ...everywhere,
      ],
      exports: [APP_CONFIG, CLOCK, ...everywhere],
    };
  }
}
