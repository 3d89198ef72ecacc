import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import type {
  AdminGroup,
  AdminGroupsResponse,
  AdminPersonDetail,
  AdminTeam,
  AdminTeamsResponse,
  AuditLogResponse,
  GroupDirectorsResponse,
  InvitationResponse,
  PeopleListResponse,
  TeamMember,
  TeamMembersResponse,
} from '@candor/contracts';
import { AccountService } from '../auth/account.service';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import {
  AuditQueryDto,
  CreateGroupDto,
  CreatePersonDto,
  CreateTeamDto,
  PeopleQueryDto,
  SetMembershipDto,
  TeamsQueryDto,
  UpdateGroupDto,
  UpdatePersonDto,
  UpdateTeamDto,
} from './dto/org.dto';
import { groupId, teamId, userId } from '../common/ids';
import { OrgAdminService } from './org-admin.service';

/** Organisation administration. Admins only; gives no access to survey results. */
@ApiTags('admin')
@ApiNotFoundResponse({ description: 'No such group, team or person' })
@Controller('admin')
export class OrgAdminController {
  constructor(
    private readonly org: OrgAdminService,
    private readonly accounts: AccountService,
  ) {}

  @Authenticated({ admin: true })
  @Get('groups')
  async groups(): Promise<AdminGroupsResponse> {
    return { groups: await this.org.listGroups() };
  }

  @Authenticated({ admin: true })
  @Post('groups')
  createGroup(@CurrentUser() user: AuthUser, @Body() dto: CreateGroupDto): Promise<AdminGroup> {
    return this.org.createGroup(user.id, dto);
  }

  @Authenticated({ admin: true })
  @ApiConflictResponse({ description: 'The move would create a cycle' })
  @Patch('groups/:groupId')
  updateGroup(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupId) id: string,
    @Body() dto: UpdateGroupDto,
  ): Promise<AdminGroup> {
    return this.org.updateGroup(user.id, id, dto);
  }

  @Authenticated({ admin: true })
  @Get('groups/:groupId/directors')
  async directors(@Param('groupId', groupId) id: string): Promise<GroupDirectorsResponse> {
    return { directors: await this.org.directors(id) };
  }

  @Authenticated({ admin: true })
  @Put('groups/:groupId/directors/:userId')
  @HttpCode(204)
  grantDirector(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupId) group: string,
    @Param('userId', userId) person: string,
  ): Promise<void> {
    return this.org.grantDirector(user.id, group, person);
  }

  @Authenticated({ admin: true })
  @Delete('groups/:groupId/directors/:userId')
  @HttpCode(204)
  revokeDirector(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupId) group: string,
    @Param('userId', userId) person: string,
  ): Promise<void> {
    return this.org.revokeDirector(user.id, group, person);
  }

  @Authenticated({ admin: true })
  @Get('teams')
  async teams(@Query() query: TeamsQueryDto): Promise<AdminTeamsResponse> {
    return { teams: await this.org.listTeams(query.groupId) };
  }

  @Authenticated({ admin: true })
  @Post('teams')
  createTeam(@CurrentUser() user: AuthUser, @Body() dto: CreateTeamDto): Promise<AdminTeam> {
    return this.org.createTeam(user.id, dto);
  }

  @Authenticated({ admin: true })
  @Patch('teams/:teamId')
  updateTeam(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamId) id: string,
    @Body() dto: UpdateTeamDto,
  ): Promise<AdminTeam> {
    return this.org.updateTeam(user.id, id, dto);
  }

  @Authenticated({ admin: true })
  @Get('teams/:teamId/members')
  async members(@Param('teamId', teamId) id: string): Promise<TeamMembersResponse> {
    return { members: await this.org.teamMembers(id) };
  }

  @Authenticated({ admin: true })
  @Put('teams/:teamId/members/:userId')
  setMembership(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamId) team: string,
    @Param('userId', userId) person: string,
    @Body() dto: SetMembershipDto,
  ): Promise<TeamMember> {
    return this.org.setMembership(user.id, team, person, dto.role);
  }

  @Authenticated({ admin: true })
  @Delete('teams/:teamId/members/:userId')
  @HttpCode(204)
  removeMembership(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamId) team: string,
    @Param('userId', userId) person: string,
  ): Promise<void> {
    return this.org.removeMembership(user.id, team, person);
  }

  @Authenticated({ admin: true })
  @Get('people')
  people(@Query() query: PeopleQueryDto): Promise<PeopleListResponse> {
    return this.org.listPeople({
      q: query.q,
      cursor: query.cursor,
      limit: query.limit ?? 50,
      includeInactive: query.includeInactive !== 'false',
    });
  }

  @Authenticated({ admin: true })
  @Post('people')
  createPerson(@CurrentUser() user: AuthUser, @Body() dto: CreatePersonDto): Promise<AdminPersonDetail> {
    return this.org.createPerson(user.id, dto);
  }

  @Authenticated({ admin: true })
  @Get('people/:userId')
  person(@Param('userId', userId) id: string): Promise<AdminPersonDetail> {
    return this.org.person(id);
  }

  @Authenticated({ admin: true })
  @Patch('people/:userId')
  updatePerson(
    @CurrentUser() user: AuthUser,
    @Param('userId', userId) id: string,
    @Body() dto: UpdatePersonDto,
  ): Promise<AdminPersonDetail> {
    return this.org.updatePerson(user.id, id, dto);
  }

  @Authenticated({ admin: true })
  @Post('people/:userId/invitation')
  @ApiConflictResponse({ description: 'The person is deactivated' })
  invite(@CurrentUser() user: AuthUser, @Param('userId', userId) id: string): Promise<InvitationResponse> {
    return this.accounts.invite(user.id, id);
  }

  @Authenticated({ admin: true })
  @Get('audit')
  audit(@Query() query: AuditQueryDto): Promise<AuditLogResponse> {
    return this.org.auditLog({ cursor: query.cursor, limit: query.limit ?? 50, action: query.action });
  }
}
