import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { OpenSurveysResponse } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { CycleService } from './cycle.service';

@ApiTags('surveys')
@Controller('surveys')
export class SurveysController {
  constructor(private readonly cycles: CycleService) {}

  @Authenticated()
  @Get('open')
  @ApiOkResponse({ description: 'Open cycles you are invited to, with k and the signing key' })
  async open(@CurrentUser() user: AuthUser): Promise<OpenSurveysResponse> {
    return { surveys: await this.cycles.openSurveysFor(user) };
  }
}
