import { type EntityManager } from 'typeorm';

/**
 * One row per admin change, in the same transaction as the change. `detail` holds names, ids
 * and flags — never survey answers, tokens or passwords.
 */
export async function audit(
  manager: EntityManager,
  actorId: string | null,
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await manager.query('INSERT INTO audit_log (actor_id, action, target, detail) VALUES ($1, $2, $3, $4)', [
    actorId,
    action,
    target,
    JSON.stringify(detail),
  ]);
}
