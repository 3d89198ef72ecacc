import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ShutdownState } from './shutdown-state';

/** `GET /api/health` and the drain on shutdown. */
@Module({
  controllers: [HealthController],
  providers: [ShutdownState],
})
export class HealthModule {}
