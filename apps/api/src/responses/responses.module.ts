import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SealingModule } from '../sealing/sealing.module';
import { ResponseService } from './response.service';
import { ResponsesController } from './responses.controller';

/** Blind-token issue and the anonymous submission. */
@Module({
  imports: [AuthModule, SealingModule],
  controllers: [ResponsesController],
  providers: [ResponseService],
})
export class ResponsesModule {}
