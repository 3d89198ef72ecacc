import { Injectable, type PipeTransform } from '@nestjs/common';
import { notFound } from './errors';

/** The one UUID pattern of the API (any version, either case). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * A path id that is not a UUID names nothing: 404, the same answer as an id that does not
 * exist, so a caller cannot tell malformed from unknown.
 */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw notFound(this.what);
    return value.toLowerCase();
  }
}

export const groupId = new IdPipe('Group');
export const teamId = new IdPipe('Team');
export const userId = new IdPipe('Person');
export const actionId = new IdPipe('Action');
export const scheduleId = new IdPipe('Schedule');
export const cycleId = new IdPipe('Cycle');
export const commentId = new IdPipe('Comment');
