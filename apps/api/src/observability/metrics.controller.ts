import { timingSafeEqual, createHash } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError, forbidden, notFound } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Metrics } from '../common/metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Prometheus scrape endpoint. Not a session route: it takes `Authorization: Bearer <METRICS_TOKEN>`
 * and nothing else. Without `METRICS_TOKEN` configured the route does not exist (404).
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly expected: Buffer | null;

  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.expected = config.metrics.token === null ? null : digest(config.metrics.token);
  }

  @Public()
  @Get()
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  @ApiUnauthorizedResponse({ description: 'No bearer token' })
  @ApiForbiddenResponse({ description: 'A bearer token that is not METRICS_TOKEN' })
  @ApiNotFoundResponse({ description: 'METRICS_TOKEN is not configured: metrics are off' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    if (this.expected === null) throw notFound('Route');
    const match = /^Bearer (\S{1,512})$/.exec(authorization ?? '');
    if (!match) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new DomainError('unauthenticated', 401, 'Send the metrics token as a Bearer token');
    }
    // Hash both sides: equal lengths for timingSafeEqual, and no length leak.
    if (!timingSafeEqual(digest(match[1]!), this.expected)) {
      throw forbidden('invalid_metrics_token', 'That is not the metrics token');
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    return this.metrics.scrape();
  }
}
