import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SealingModule } from '../sealing/sealing.module';
import { SealingService } from '../sealing/sealing.service';
import { COMMENT_SEALER, sealedComments } from './comment-sealer';
import { CommentsController } from './comments.controller';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';

/** Anonymous comments (ADR 0012): sealed while open, released at close, threads to the writer. */
@Module({
  imports: [AuthModule, NotificationsModule, SealingModule],
  controllers: [CommentsController],
  providers: [
    { provide: COMMENT_SEALER, useFactory: sealedComments, inject: [SealingService] },
    CommentsRepository,
    CommentsService,
  ],
})
export class CommentsModule {}
