import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { ActionItem, ActionListResponse, ActionOwnersResponse } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { ActionsService } from './actions.service';
import { CreateActionDto, UpdateActionDto } from './dto/create-action.dto';
import { teamId as teamIdPipe, actionId as actionIdPipe } from '../common/ids';

@ApiTags('actions')
@Controller('teams/:teamId')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Authenticated({ team: 'lead' })
  @Post('actions')
  @ApiCreatedResponse({ description: 'The recorded action' })
  create(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
    @Body() body: CreateActionDto,
  ): Promise<ActionItem> {
    return this.actions.create(user, teamId, body);
  }

  /** Everyone who sees the team's results sees what the team decided to do about them. */
  @Authenticated({ team: 'results' })
  @Get('actions')
  @ApiOkResponse({ description: "The team's actions, oldest first, with owner, due date and status" })
  async list(@Param('teamId', teamIdPipe) teamId: string): Promise<ActionListResponse> {
    return { actions: await this.actions.list(teamId) };
  }

  @Authenticated({ team: 'lead' })
  @Patch('actions/:actionId')
  @ApiOkResponse({ description: 'The action after the change' })
  update(
    @Param('teamId', teamIdPipe) teamId: string,
    @Param('actionId', actionIdPipe) actionId: string,
    @Body() body: UpdateActionDto,
  ): Promise<ActionItem> {
    return this.actions.update(teamId, actionId, body);
  }

  @Authenticated({ team: 'lead' })
  @Delete('actions/:actionId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(
    @Param('teamId', teamIdPipe) teamId: string,
    @Param('actionId', actionIdPipe) actionId: string,
  ): Promise<void> {
    await this.actions.remove(teamId, actionId);
  }

  @Authenticated({ team: 'lead' })
  @Get('action-owners')
  @ApiOkResponse({ description: "Who may own one of the team's actions: its active members and leads" })
  async owners(@Param('teamId', teamIdPipe) teamId: string): Promise<ActionOwnersResponse> {
    return { people: await this.actions.owners(teamId) };
  }
}
