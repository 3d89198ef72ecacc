import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ActionItem } from '@candor/contracts';
import { INSTRUMENTS, TRUST_INDEX } from '@candor/instruments';
import { notFound } from '../common/errors';
import { type AuthUser } from '../auth/auth.types';
import { TeamAction } from './action.entity';

/** Every dimension an action can be about: the response dimensions of all instruments and the trust index. */
export const ACTION_DIMENSIONS: string[] = [
  ...new Set([...INSTRUMENTS.flatMap((i) => i.responseDimensions.map((d) => d.id)), TRUST_INDEX.id]),
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Team actions: leads record, list and delete them; trends show them. */
@Injectable()
export class ActionsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    user: AuthUser,
    teamId: string,
    input: { dimension: string; text: string; date: string },
  ): Promise<ActionItem> {
    const repo = this.dataSource.getRepository(TeamAction);
    const saved = await repo.save(
      repo.create({
        teamId,
        dimension: input.dimension,
        text: input.text.trim(),
        date: input.date,
        createdBy: user.id,
      }),
    );
    return toItem(saved);
  }

  /** Oldest first. */
  async list(teamId: string, dimensions?: string[]): Promise<ActionItem[]> {
    const rows = await this.dataSource
      .getRepository(TeamAction)
      .createQueryBuilder('a')
      .where('a.team_id = :teamId', { teamId })
      .andWhere(dimensions ? 'a.dimension IN (:...dimensions)' : 'TRUE', { dimensions })
      .orderBy('a.date', 'ASC')
      .addOrderBy('a.created_at', 'ASC')
      .getMany();
    return rows.map(toItem);
  }

  async remove(teamId: string, actionId: string): Promise<void> {
    if (!UUID.test(actionId)) throw notFound('Action');
    const result = await this.dataSource.getRepository(TeamAction).delete({ id: actionId, teamId });
    if (!result.affected) throw notFound('Action');
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
  };
}
