import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** The Prometheus scrape endpoint (the metrics registry itself is in `CommonModule`). */
@Module({
  controllers: [MetricsController],
})
export class ObservabilityModule {}
