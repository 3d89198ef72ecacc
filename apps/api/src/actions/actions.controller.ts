import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { ActionItem, ActionListResponse } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { ActionsService } from './actions.service';
import { CreateActionDto } from './dto/create-action.dto';

@ApiTags('actions')
@Controller('teams/:teamId/actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Authenticated({ team: 'lead' })
  @Post()
  @ApiCreatedResponse({ description: 'The recorded action' })
  create(
    @CurrentUser() user: AuthUser,
    @Param('teamId') teamId: string,
    @Body() body: CreateActionDto,
  ): Promise<ActionItem> {
    return this.actions.create(user, teamId, body);
  }

  @Authenticated({ team: 'lead' })
  @Get()
  @ApiOkResponse({ description: "The team's actions, oldest first" })
  async list(@Param('teamId') teamId: string): Promise<ActionListResponse> {
    return { actions: await this.actions.list(teamId) };
  }

  @Authenticated({ team: 'lead' })
  @Delete(':actionId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@Param('teamId') teamId: string, @Param('actionId') actionId: string): Promise<void> {
    await this.actions.remove(teamId, actionId);
  }
}
