/**
 * Organisation administration, CSV import and account flows.
 * Plain types only.
 */
import type { MembershipRole } from './core';

// ---------------------------------------------------------------- groups and teams

export interface AdminGroup {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

export interface AdminGroupsResponse {
  groups: AdminGroup[];
}

export interface CreateGroupRequest {
  name: string;
  parentId?: string | null;
}

/** Rename and/or move. `parentId: null` makes it a root. A move that would create a cycle is refused (409). */
export interface UpdateGroupRequest {
  name?: string;
  parentId?: string | null;
}

export interface AdminTeam {
  id: string;
  name: string;
  groupId: string;
  active: boolean;
  memberCount: number;
  leadCount: number;
  createdAt: string;
  /** Members and leads whose account is active: whom a cycle opening now would invite. */
  activeMemberCount?: number;
  /**
   * The k its next cycles open with: the largest k of the active schedules covering the team (its
   * own or a group's above it), or the default k when none does. With fewer active members than
   * this, the team can never show results.
   */
  nextK?: number;
  /** Number of active schedules covering the team. */
  activeSchedules?: number;
}

export interface AdminTeamsResponse {
  teams: AdminTeam[];
}

export interface CreateTeamRequest {
  name: string;
  groupId: string;
}

/** Rename, move to another group, deactivate (`active: false`) or reactivate. */
export interface UpdateTeamRequest {
  name?: string;
  groupId?: string;
  active?: boolean;
}

// ---------------------------------------------------------------- people

export interface AdminPerson {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  active: boolean;
  /** False until the person has set a password (or signs in with SSO). */
  hasPassword: boolean;
  createdAt: string;
}

export interface AdminPersonDetail extends AdminPerson {
  memberships: { teamId: string; teamName: string; teamActive: boolean; role: MembershipRole }[];
  directorOf: { groupId: string; groupName: string }[];
}

export interface PeopleListResponse {
  people: AdminPerson[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface CreatePersonRequest {
  email: string;
  name: string;
  isAdmin?: boolean;
}

/** Rename, deactivate (`active: false`: sessions end at once, history is kept) or change the admin flag. */
export interface UpdatePersonRequest {
  name?: string;
  /** A new sign-in email; unique across people (409 `email_taken` otherwise). */
  email?: string;
  active?: boolean;
  isAdmin?: boolean;
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string;
  active: boolean;
  role: MembershipRole;
}

export interface TeamMembersResponse {
  members: TeamMember[];
}

export interface SetMembershipRequest {
  role: MembershipRole;
}

export interface GroupDirector {
  userId: string;
  email: string;
  name: string;
}

export interface GroupDirectorsResponse {
  directors: GroupDirector[];
}

// ---------------------------------------------------------------- audit log

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

export interface AuditLogResponse {
  entries: AuditEntry[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------- CSV import

export type ImportIssueCode =
  | 'missing_column'
  | 'unknown_column'
  | 'duplicate_column'
  | 'bad_email'
  | 'duplicate_row'
  | 'conflicting_name'
  | 'missing_value'
  | 'too_long'
  | 'unknown_role'
  | 'bad_group_path'
  | 'group_path_cycle'
  | 'unknown_team'
  | 'inactive_team'
  | 'malformed_row'
  | 'not_utf8'
  | 'empty_file'
  | 'too_many_rows'
  | 'team_without_lead'
  | 'inactive_person';

export interface ImportIssue {
  /** 1-based line in the file (the header is line 1); null for file-level issues. */
  line: number | null;
  column: string | null;
  code: ImportIssueCode;
  message: string;
}

export interface ImportSummary {
  rows: number;
  people: { create: number; update: number; unchanged: number };
  groups: { create: number };
  teams: { create: number };
  memberships: { add: number; changeRole: number; remove: number };
}

export interface ImportReport {
  /** True when there are no errors: apply will accept the same file. */
  ok: boolean;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** At most this many issues of each kind are listed; counts are exact. */
  errorCount: number;
  warningCount: number;
  summary: ImportSummary;
}

export interface ImportApplyResponse {
  applied: true;
  summary: ImportSummary;
  warnings: ImportIssue[];
}

// ---------------------------------------------------------------- accounts

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface PasswordResetRequest {
  email: string;
}

/** Sets a password with a single-use token from an invitation or a reset email. */
export interface SetPasswordWithTokenRequest {
  token: string;
  password: string;
}

export interface InvitationResponse {
  /** When the link stops working. */
  expiresAt: string;
}

export interface AuthProvidersResponse {
  password: true;
  oidc: { enabled: boolean; startUrl: string | null };
}
