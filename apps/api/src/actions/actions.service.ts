import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ActionItem, ActionOwner, CreateActionRequest, UpdateActionRequest } from '@candor/contracts';
import { findPlay, INSTRUMENTS, TRUST_INDEX } from '@candor/instruments';
import { badRequest, notFound } from '../common/errors';
import { type AuthUser } from '../auth/auth.types';
import { TeamAction } from './action.entity';
import { isUuid } from '../common/ids';

/** Every dimension an action can be about: the response dimensions of all instruments and the trust index. */
export const ACTION_DIMENSIONS: string[] = [
  ...new Set([...INSTRUMENTS.flatMap((i) => i.responseDimensions.map((d) => d.id)), TRUST_INDEX.id]),
];

/**
 * Team actions: leads record them (from scratch or from a play), give them an owner, a due date
 * and a status, and delete them; everyone who sees the team's results sees them on its trend.
 */
@Injectable()
export class ActionsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(user: AuthUser, teamId: string, input: CreateActionRequest): Promise<ActionItem> {
    return this.dataSource.transaction(async (m) => {
      const fields: Record<string, string[]> = {};
      if (input.playKey !== undefined && input.playKey !== null) {
        const play = findPlay(input.playKey);
        if (!play) fields.playKey = ['is not a play of the catalogue'];
        else if (play.dimension !== input.dimension)
          fields.playKey = [`is a play for ${play.dimension}, not for ${input.dimension}`];
      }
      await this.checkOwnerAndDue(
        m,
        teamId,
        input.ownerId ?? null,
        input.date,
        input.dueDate ?? null,
        fields,
      );
      if (Object.keys(fields).length > 0)
        throw badRequest('validation_failed', 'Some fields are not valid', fields);
      const repo = m.getRepository(TeamAction);
      const saved = await repo.save(
        repo.create({
          teamId,
          dimension: input.dimension,
          text: input.text.trim(),
          date: input.date,
          createdBy: user.id,
          playKey: input.playKey ?? null,
          ownerId: input.ownerId ?? null,
          dueDate: input.dueDate ?? null,
          status: input.status ?? 'doing',
        }),
      );
      return this.one(m, teamId, saved.id);
    });
  }

  /** Changes only the fields given; the dimension and the play stay what they were. */
  async update(teamId: string, actionId: string, input: UpdateActionRequest): Promise<ActionItem> {
    if (!isUuid(actionId)) throw notFound('Action');
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(TeamAction);
      const action = await repo.findOne({
        where: { id: actionId, teamId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!action) throw notFound('Action');
      const next = {
        text: input.text !== undefined ? input.text.trim() : action.text,
        date: input.date ?? action.date,
        ownerId: input.ownerId !== undefined ? input.ownerId : action.ownerId,
        dueDate: input.dueDate !== undefined ? input.dueDate : action.dueDate,
        status: input.status ?? action.status,
      };
      const fields: Record<string, string[]> = {};
      if (next.text === '') fields.text = ['must not be empty'];
      // An owner who has since left the team may stay; a new owner must be on it.
      const ownerToCheck = input.ownerId !== undefined ? next.ownerId : null;
      await this.checkOwnerAndDue(m, teamId, ownerToCheck, next.date, next.dueDate, fields);
      if (Object.keys(fields).length > 0)
        throw badRequest('validation_failed', 'Some fields are not valid', fields);
      await repo.update({ id: actionId, teamId }, next);
      return this.one(m, teamId, actionId);
    });
  }

  /** Oldest first. */
  async list(teamId: string, dimensions?: string[]): Promise<ActionItem[]> {
    return this.query(this.dataSource.manager, teamId, { dimensions });
  }

  async remove(teamId: string, actionId: string): Promise<void> {
    if (!isUuid(actionId)) throw notFound('Action');
    const result = await this.dataSource.getRepository(TeamAction).delete({ id: actionId, teamId });
    if (!result.affected) throw notFound('Action');
  }

  /** Who may own one of the team's actions: its active members and leads, by name. */
  async owners(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<ActionOwner[]> {
    const rows: { id: string; name: string }[] = await manager.query(
      `SELECT u.id, u.name FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.team_id = $1 AND u.active ORDER BY lower(u.name), u.id`,
      [teamId],
    );
    return rows;
  }

  private async checkOwnerAndDue(
    m: EntityManager,
    teamId: string,
    ownerId: string | null,
    date: string,
    dueDate: string | null,
    fields: Record<string, string[]>,
  ): Promise<void> {
    if (ownerId !== null && !(await this.owners(teamId, m)).some((o) => o.id === ownerId)) {
      fields.ownerId = ['is not an active member or lead of this team'];
    }
    if (dueDate !== null && dueDate < date) fields.dueDate = ['must be on or after the start date'];
  }

  private async one(m: EntityManager, teamId: string, id: string): Promise<ActionItem> {
    const [item] = await this.query(m, teamId, { id });
    if (!item) throw notFound('Action');
    return item;
  }

  private async query(
    m: EntityManager,
    teamId: string,
    where: { id?: string; dimensions?: string[] },
  ): Promise<ActionItem[]> {
    const qb = m
      .getRepository(TeamAction)
      .createQueryBuilder('a')
      .leftJoin('a.owner', 'o')
      .addSelect(['o.id', 'o.name'])
      .where('a.team_id = :teamId', { teamId });
    if (where.id) qb.andWhere('a.id = :id', { id: where.id });
    if (where.dimensions) qb.andWhere('a.dimension IN (:...dimensions)', { dimensions: where.dimensions });
    const rows = await qb.orderBy('a.date', 'ASC').addOrderBy('a.created_at', 'ASC').getMany();
    return rows.map(toItem);
  }
}

function toItem(a: TeamAction): ActionItem {
  return {
    id: a.id,
    teamId: a.teamId,
    dimension: a.dimension,
    text: a.text,
    date: a.date,
    createdAt: new Date(a.createdAt).toISOString(),
    playKey: a.playKey,
    owner: a.owner ? { id: a.owner.id, name: a.owner.name } : null,
    dueDate: a.dueDate,
    status: a.status,
    updatedAt: new Date(a.updatedAt).toISOString(),
  };
}
