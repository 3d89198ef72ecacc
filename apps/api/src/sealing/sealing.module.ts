import { Module } from '@nestjs/common';
import { SealingService } from './sealing.service';

/** Key-encryption keys and per-cycle data keys (ADR 0011), for answers and comments. */
@Module({
  providers: [SealingService],
  exports: [SealingService],
})
export class SealingModule {}
