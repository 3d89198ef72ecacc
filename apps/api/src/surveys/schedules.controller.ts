import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type {
  CycleView,
  ScheduleListResponse,
  SchedulePreviewResponse,
  ScheduleView,
} from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { badRequest } from '../common/errors';
import { CreateScheduleDto, PreviewScheduleDto, UpdateCycleDto, UpdateScheduleDto } from './dto/schedule.dto';
import { ScheduleAdminService } from './schedule-admin.service';
import { scheduleId as scheduleIdPipe, cycleId as cycleIdPipe } from '../common/ids';

function previewCount(raw: string | undefined): number {
  if (raw === undefined) return 5;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 20) {
    throw badRequest('invalid_query', 'Some query parameters are not valid', {
      count: ['must be a whole number from 1 to 20'],
    });
  }
  return n;
}

/**
 * Schedules: administrators (any team or group) and team leads (their own teams). The rules are
 * in ScheduleAdminService; every route needs a signed-in user.
 */
@ApiTags('schedules')
@Controller()
export class SchedulesController {
  constructor(private readonly schedules: ScheduleAdminService) {}

  @Authenticated()
  @Get('schedules')
  @ApiOkResponse({ description: 'Schedules you manage (admins: all; leads: their teams)' })
  @ApiQuery({ name: 'teamId', required: false })
  @ApiQuery({ name: 'groupId', required: false })
  async list(
    @CurrentUser() user: AuthUser,
    @Query('teamId') teamId?: string,
    @Query('groupId') groupId?: string,
  ): Promise<ScheduleListResponse> {
    const filter: { teamId?: string; groupId?: string } = {};
    if (typeof teamId === 'string') filter.teamId = teamId;
    if (typeof groupId === 'string') filter.groupId = groupId;
    return { schedules: await this.schedules.list(user, filter, new Date()) };
  }

  @Authenticated()
  @Post('schedules/preview')
  @HttpCode(200)
  @ApiQuery({ name: 'count', required: false, description: '1–20, default 5' })
  @ApiOkResponse({ description: 'The next openings of this schedule, before saving it' })
  @ApiBadRequestResponse({ description: 'Field-level problems' })
  preview(
    @CurrentUser() user: AuthUser,
    @Body() body: PreviewScheduleDto,
    @Query('count') count?: string,
  ): Promise<SchedulePreviewResponse> {
    return this.schedules.preview(
      user,
      body,
      previewCount(typeof count === 'string' ? count : undefined),
      new Date(),
    );
  }

  @Authenticated()
  @Post('schedules')
  @ApiCreatedResponse({ description: 'The schedule, with its next openings' })
  @ApiBadRequestResponse({ description: 'Field-level problems' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateScheduleDto): Promise<ScheduleView> {
    return this.schedules.create(user, body, new Date());
  }

  @Authenticated()
  @Get('schedules/:scheduleId')
  @ApiOkResponse({ description: 'One schedule' })
  get(@CurrentUser() user: AuthUser, @Param('scheduleId', scheduleIdPipe) id: string): Promise<ScheduleView> {
    return this.schedules.get(user, id, new Date());
  }

  @Authenticated()
  @Patch('schedules/:scheduleId')
  @ApiOkResponse({
    description: 'Updated (pause with { "active": false }). A new k applies to future cycles only.',
  })
  @ApiBadRequestResponse({ description: 'Field-level problems' })
  update(
    @CurrentUser() user: AuthUser,
    @Param('scheduleId', scheduleIdPipe) id: string,
    @Body() body: UpdateScheduleDto,
  ): Promise<ScheduleView> {
    return this.schedules.update(user, id, body, new Date());
  }

  @Authenticated()
  @Get('cycles/:cycleId')
  @ApiOkResponse({ description: 'A cycle (team lead or admin)' })
  cycle(@CurrentUser() user: AuthUser, @Param('cycleId', cycleIdPipe) id: string): Promise<CycleView> {
    return this.schedules.cycle(user, id);
  }

  @Authenticated()
  @Patch('cycles/:cycleId')
  @ApiOkResponse({ description: 'Unchanged: the k asked for is the k the cycle opened with' })
  @ApiConflictResponse({ description: 'k is locked once a cycle opens' })
  updateCycle(
    @CurrentUser() user: AuthUser,
    @Param('cycleId', cycleIdPipe) id: string,
    @Body() body: UpdateCycleDto,
  ): Promise<CycleView> {
    return this.schedules.updateCycleK(user, id, body.k);
  }
}
