import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { HealthResponse } from '@candor/contracts';
import { Public } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ShutdownState } from './shutdown-state';

const VERSION = '0.1.0';
const started = Date.now();

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process answers. Never touches the database (a DB outage must not restart the app). */
  @Public()
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: same check as /api/health, for load balancers and orchestrators; also 503 once the
   * instance has begun shutting down, so traffic moves away while in-flight requests finish.
   */
  @Public()
  @Get('ready')
  @ApiOkResponse({ description: 'Ready to serve: the database answers' })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: the database cannot be reached, or shutting down',
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const health = await this.health(res);
    if (this.shutdown.draining) {
      res.status(503);
      return { ...health, status: 'error' };
    }
    return health;
  }

  @Public()
  @Get()
  @ApiOkResponse({ description: 'The app and its database are up' })
  @ApiServiceUnavailableResponse({ description: 'The database cannot be reached' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const t0 = performance.now();
    let up = false;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref()),
      ]);
      up = true;
    } catch {
      up = false;
    }
    res.status(up ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return {
      status: up ? 'ok' : 'error',
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      database: {
        status: up ? 'up' : 'down',
        mode: this.config.database.embedded ? 'embedded' : 'external',
        latencyMs: up ? Math.round((performance.now() - t0) * 10) / 10 : null,
      },
    };
  }
}
