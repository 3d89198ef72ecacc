import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  ImportApplyResponse,
  ImportIssue,
  ImportReport,
  ImportSummary,
  MembershipRole,
} from '@candor/contracts';
import { DomainError } from '../common/errors';
import { audit } from '../common/audit-log';
import { lockOrgTree } from './org-tree-lock';
import { decodeUtf8, type ImportRow, parseImport } from './org-import.parse';

const LIST_LIMIT = 500;

interface Plan {
  report: ImportReport;
  rows: ImportRow[];
  /** New groups, parents before children: path key → { parent path key | existing id, name }. */
  newGroups: { key: string; name: string; parentKey: string | null; parentId: string | null }[];
  /** Group path key → existing id. */
  groupIds: Map<string, string>;
  /** Team key (path key + team name) → existing id. */
  teamIds: Map<string, string>;
  newTeams: { key: string; name: string; groupKey: string }[];
  newPeople: { email: string; name: string }[];
  renamePeople: { id: string; name: string }[];
  personIds: Map<string, string>;
  /** Desired memberships: email → team key → role. */
  desired: Map<string, Map<string, MembershipRole>>;
  remove: { id: string; userId: string }[];
  changeRole: { id: string; userId: string; role: MembershipRole }[];
}

const pathKey = (path: string[]) => path.map((p) => p.toLowerCase()).join('/');
const teamKey = (path: string[], team: string) => `${pathKey(path)}\u0000${team.toLowerCase()}`;

export interface ImportOptions {
  /** Create teams (and groups) the file names but the org does not have yet (default true). */
  createTeams: boolean;
}

/**
 * The people import. Preview analyses the file against the org and writes nothing; apply runs
 * the same analysis inside one transaction (holding the org-tree lock) and writes everything
 * or nothing. People are matched by lower-cased email and updated in place; the teams of each
 * person in the file become exactly the teams the file lists (memberships of deactivated
 * teams are history and stay). People not in the file are left alone.
 */
@Injectable()
export class OrgImportService {
  constructor(private readonly dataSource: DataSource) {}

  async preview(file: Buffer, options: ImportOptions): Promise<ImportReport> {
    const text = this.decode(file);
    return (await this.plan(this.dataSource.manager, text, options)).report;
  }

  async apply(actorId: string, file: Buffer, options: ImportOptions): Promise<ImportApplyResponse> {
    const text = this.decode(file);
    return this.dataSource.transaction(async (m) => {
      await lockOrgTree(m);
      const plan = await this.plan(m, text, options);
      if (!plan.report.ok) {
        const fields: Record<string, string[]> = {};
        for (const e of plan.report.errors) {
          const k = e.line === null ? 'file' : `line ${e.line}`;
          (fields[k] ??= []).push(e.message);
        }
        throw new DomainError(
          'import_invalid',
          422,
          `The file has ${plan.report.errorCount} error(s); nothing was imported. Fix them and upload it again.`,
          fields,
        );
      }
      await this.write(m, plan);
      await audit(m, actorId, 'import.apply', null, {
        sha256: createHash('sha256').update(file).digest('hex'),
        rows: plan.report.summary.rows,
        summary: plan.report.summary,
        warnings: plan.report.warningCount,
      });
      return { applied: true, summary: plan.report.summary, warnings: plan.report.warnings };
    });
  }

  private decode(file: Buffer): string {
    const decoded = decodeUtf8(file);
    if ('error' in decoded) {
      throw new DomainError('import_not_utf8', 422, decoded.error.message, { file: [decoded.error.message] });
    }
    return decoded.text;
  }

  private async plan(m: EntityManager, text: string, options: ImportOptions): Promise<Plan> {
    const parsed = parseImport(text);
    const errors: ImportIssue[] = [...parsed.errors];
    const warnings: ImportIssue[] = [];
    const rows = parsed.rows;

    // Groups: resolve every path from the root, by (parent, name) case-insensitively.
    const groups: { id: string; name: string; parent_id: string | null }[] = await m.query(
      'SELECT id, name, parent_id FROM org_group ORDER BY created_at, id',
    );
    const byParentName = new Map<string, string>();
    for (const g of groups) {
      const k = `${g.parent_id ?? ''}\u0000${g.name.toLowerCase()}`;
      if (!byParentName.has(k)) byParentName.set(k, g.id);
    }
    const groupIds = new Map<string, string>();
    const newGroups: Plan['newGroups'] = [];
    const newGroupKeys = new Set<string>();
    for (const row of rows) {
      let parentId: string | null = null; // an existing group
      let parentIsNew = false;
      let parentKey: string | null = null;
      for (let i = 0; i < row.path.length; i++) {
        const key = pathKey(row.path.slice(0, i + 1));
        const known = groupIds.get(key);
        if (known !== undefined) {
          parentId = known;
          parentIsNew = false;
        } else if (newGroupKeys.has(key)) {
          parentIsNew = true;
        } else {
          const found: string | undefined = parentIsNew
            ? undefined
            : byParentName.get(`${parentId ?? ''}\u0000${row.path[i]!.toLowerCase()}`);
          if (found !== undefined) {
            groupIds.set(key, found);
            parentId = found;
          } else {
            newGroupKeys.add(key);
            newGroups.push({
              key,
              name: row.path[i]!,
              parentKey: parentIsNew ? parentKey : null,
              parentId: parentIsNew ? null : parentId,
            });
            parentIsNew = true;
          }
        }
        parentKey = key;
      }
    }

    // Teams: by (group, name) case-insensitively.
    const teams: { id: string; name: string; group_id: string; active: boolean }[] = await m.query(
      'SELECT id, name, group_id, active FROM team ORDER BY active DESC, created_at, id',
    );
    const teamByGroupName = new Map<string, { id: string; active: boolean }>();
    for (const t of teams) {
      const k = `${t.group_id}\u0000${t.name.toLowerCase()}`;
      if (!teamByGroupName.has(k)) teamByGroupName.set(k, { id: t.id, active: t.active });
    }
    const teamIds = new Map<string, string>();
    const newTeams: Plan['newTeams'] = [];
    const newTeamKeys = new Set<string>();
    const teamFirstLine = new Map<string, number>();
    const badRows = new Set<ImportRow>();
    for (const row of rows) {
      const key = teamKey(row.path, row.team);
      if (!teamFirstLine.has(key)) teamFirstLine.set(key, row.line);
      if (teamIds.has(key) || newTeamKeys.has(key)) continue;
      const gid = groupIds.get(pathKey(row.path));
      const existing = gid ? teamByGroupName.get(`${gid}\u0000${row.team.toLowerCase()}`) : undefined;
      if (existing && !existing.active) {
        errors.push({
          line: row.line,
          column: 'team',
          code: 'inactive_team',
          message: `Team "${row.team}" in ${row.path.join('/')} is deactivated: reactivate it first or remove these rows`,
        });
        badRows.add(row);
      } else if (existing) teamIds.set(key, existing.id);
      else if (!options.createTeams) {
        errors.push({
          line: row.line,
          column: 'team',
          code: 'unknown_team',
          message: `There is no team "${row.team}" in ${row.path.join('/')}`,
        });
        badRows.add(row);
      } else {
        newTeamKeys.add(key);
        newTeams.push({ key, name: row.team, groupKey: pathKey(row.path) });
      }
    }
    const good = rows.filter((r) => !badRows.has(r));

    // People, by lower-cased email.
    const emails = [...new Set(good.map((r) => r.email))];
    const people: { id: string; email: string; name: string; active: boolean }[] = emails.length
      ? await m.query('SELECT id, email, name, active FROM app_user WHERE email = ANY($1::text[])', [emails])
      : [];
    const personByEmail = new Map(people.map((p) => [p.email, p]));
    const personIds = new Map(people.map((p) => [p.email, p.id]));
    const newPeople: Plan['newPeople'] = [];
    const renamePeople: Plan['renamePeople'] = [];
    const seenEmail = new Set<string>();
    for (const row of good) {
      if (seenEmail.has(row.email)) continue;
      seenEmail.add(row.email);
      const p = personByEmail.get(row.email);
      if (!p) newPeople.push({ email: row.email, name: row.name });
      else {
        if (p.name !== row.name) renamePeople.push({ id: p.id, name: row.name });
        if (!p.active) {
          warnings.push({
            line: row.line,
            column: 'email',
            code: 'inactive_person',
            message: `${row.email} is deactivated: the import updates their teams but does not reactivate them`,
          });
        }
      }
    }
    const desired = new Map<string, Map<string, MembershipRole>>();
    for (const row of good) {
      const map = desired.get(row.email) ?? new Map<string, MembershipRole>();
      map.set(teamKey(row.path, row.team), row.role);
      desired.set(row.email, map);
    }

    // Current memberships of those people (active teams only: deactivated teams are history).
    const ids = people.map((p) => p.id);
    const current: { id: string; user_id: string; team_id: string; role: MembershipRole }[] = ids.length
      ? await m.query(
          `SELECT m.id, m.user_id, m.team_id, m.role FROM membership m JOIN team t ON t.id = m.team_id
            WHERE t.active AND m.user_id = ANY($1::uuid[])`,
          [ids],
        )
      : [];
    const keyOfTeamId = new Map([...teamIds.entries()].map(([k, id]) => [id, k]));
    const emailOfId = new Map(people.map((p) => [p.id, p.email]));
    const remove: Plan['remove'] = [];
    const changeRole: Plan['changeRole'] = [];
    const kept = new Set<string>(); // email + team key
    const leadDelta = new Map<string, number>(); // team id or key → change in leads
    const touchedTeams = new Set<string>();
    for (const c of current) {
      const email = emailOfId.get(c.user_id)!;
      const key = keyOfTeamId.get(c.team_id);
      const want = key ? desired.get(email)?.get(key) : undefined;
      if (want === undefined) {
        remove.push({ id: c.id, userId: c.user_id });
        touchedTeams.add(c.team_id);
        if (c.role === 'lead') leadDelta.set(c.team_id, (leadDelta.get(c.team_id) ?? 0) - 1);
      } else {
        kept.add(`${email}\u0000${key}`);
        if (want !== c.role) {
          changeRole.push({ id: c.id, userId: c.user_id, role: want });
          const d = want === 'lead' ? 1 : -1;
          leadDelta.set(c.team_id, (leadDelta.get(c.team_id) ?? 0) + d);
        }
      }
    }
    let add = 0;
    for (const [email, map] of desired) {
      for (const [key, role] of map) {
        const tid = teamIds.get(key) ?? key;
        touchedTeams.add(tid);
        if (kept.has(`${email}\u0000${key}`)) continue;
        add++;
        if (role === 'lead') leadDelta.set(tid, (leadDelta.get(tid) ?? 0) + 1);
      }
    }

    // Warnings: teams the import touches that would be left without a lead.
    const existingTouched = [...touchedTeams].filter((t) => !newTeamKeys.has(t));
    const leadCounts: { team_id: string; leads: number; name: string }[] = existingTouched.length
      ? await m.query(
          `SELECT t.id AS team_id, t.name, (SELECT count(*)::int FROM membership m WHERE m.team_id = t.id AND m.role = 'lead') AS leads
             FROM team t WHERE t.id = ANY($1::uuid[])`,
          [existingTouched],
        )
      : [];
    const nameOf = new Map(leadCounts.map((r) => [r.team_id, r.name]));
    const leadsNow = new Map(leadCounts.map((r) => [r.team_id, r.leads]));
    for (const tid of touchedTeams) {
      const after = (leadsNow.get(tid) ?? 0) + (leadDelta.get(tid) ?? 0);
      if (after > 0) continue;
      const key = newTeamKeys.has(tid) ? tid : keyOfTeamId.get(tid);
      const label = newTeamKeys.has(tid)
        ? newTeams.find((n) => n.key === tid)!.name
        : (nameOf.get(tid) ?? tid);
      warnings.push({
        line: key ? (teamFirstLine.get(key) ?? null) : null,
        column: 'role',
        code: 'team_without_lead',
        message: `Team "${label}" would have no lead: results and actions need one`,
      });
    }

    const summary: ImportSummary = {
      rows: parsed.total,
      people: {
        create: newPeople.length,
        update: renamePeople.length,
        unchanged: people.length - renamePeople.length,
      },
      groups: { create: newGroups.length },
      teams: { create: newTeams.length },
      memberships: { add, changeRole: changeRole.length, remove: remove.length },
    };
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return {
      report: {
        ok: errors.length === 0,
        errors: errors.slice(0, LIST_LIMIT),
        warnings: warnings.slice(0, LIST_LIMIT),
        errorCount: errors.length,
        warningCount: warnings.length,
        summary,
      },
      rows: good,
      newGroups,
      groupIds,
      teamIds,
      newTeams,
      newPeople,
      renamePeople,
      personIds,
      desired,
      remove,
      changeRole,
    };
  }

  /** Set-based writes: a handful of statements whatever the file size. */
  private async write(m: EntityManager, plan: Plan): Promise<void> {
    // Groups, parents first (newGroups is in path order, so a parent precedes its children).
    for (const g of plan.newGroups) {
      const parentId = g.parentKey !== null ? plan.groupIds.get(g.parentKey)! : g.parentId;
      const rows: { id: string }[] = await m.query(
        'INSERT INTO org_group (name, parent_id) VALUES ($1, $2) RETURNING id',
        [g.name, parentId],
      );
      plan.groupIds.set(g.key, rows[0]!.id);
    }
    if (plan.newTeams.length > 0) {
      const rows: { id: string; ord: number }[] = await m.query(
        `INSERT INTO team (name, group_id)
         SELECT name, group_id FROM unnest($1::text[], $2::uuid[]) WITH ORDINALITY AS x(name, group_id, ord) ORDER BY ord
         RETURNING id`,
        [plan.newTeams.map((t) => t.name), plan.newTeams.map((t) => plan.groupIds.get(t.groupKey)!)],
      );
      // INSERT … SELECT … ORDER BY returns rows in insertion order.
      rows.forEach((r, i) => plan.teamIds.set(plan.newTeams[i]!.key, r.id));
    }
    if (plan.newPeople.length > 0) {
      const rows: { id: string; email: string }[] = await m.query(
        `INSERT INTO app_user (email, name) SELECT * FROM unnest($1::text[], $2::text[]) RETURNING id, email`,
        [plan.newPeople.map((p) => p.email), plan.newPeople.map((p) => p.name)],
      );
      for (const r of rows) plan.personIds.set(r.email, r.id);
    }
    if (plan.renamePeople.length > 0) {
      await m.query(
        `UPDATE app_user u SET name = x.name FROM unnest($1::uuid[], $2::text[]) AS x(id, name) WHERE u.id = x.id`,
        [plan.renamePeople.map((p) => p.id), plan.renamePeople.map((p) => p.name)],
      );
    }
    if (plan.remove.length > 0) {
      await m.query('DELETE FROM membership WHERE id = ANY($1::uuid[])', [plan.remove.map((r) => r.id)]);
    }
    if (plan.changeRole.length > 0) {
      await m.query(
        `UPDATE membership mm SET role = x.role FROM unnest($1::uuid[], $2::text[]) AS x(id, role) WHERE mm.id = x.id`,
        [plan.changeRole.map((c) => c.id), plan.changeRole.map((c) => c.role)],
      );
    }
    const users: string[] = [];
    const teamsCol: string[] = [];
    const roles: string[] = [];
    for (const [email, map] of plan.desired) {
      for (const [key, role] of map) {
        users.push(plan.personIds.get(email)!);
        teamsCol.push(plan.teamIds.get(key)!);
        roles.push(role);
      }
    }
    if (users.length > 0) {
      await m.query(
        `INSERT INTO membership (user_id, team_id, role) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
         ON CONFLICT ON CONSTRAINT uq_membership_user_team DO NOTHING`,
        [users, teamsCol, roles],
      );
    }
    // Narrowed access ends sessions, as with the admin API.
    const bumped = [
      ...new Set([...plan.remove.map((r) => r.userId), ...plan.changeRole.map((c) => c.userId)]),
    ];
    if (bumped.length > 0) {
      await m.query('UPDATE app_user SET token_version = token_version + 1 WHERE id = ANY($1::uuid[])', [
        bumped,
      ]);
    }
  }
}
