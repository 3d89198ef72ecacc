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

/** Serialises changes to the org tree (moves, imports) so two concurrent moves cannot form a cycle. */
export async function lockOrgTree(manager: EntityManager): Promise<void> {
  await manager.query("SELECT pg_advisory_xact_lock(hashtext('candor:org-tree'))");
}

/** `%`, `_` and `\` in a search term match themselves, not any text. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with `[rows, affectedCount]`
 * and INSERT/SELECT with `rows`: this gives the rows either way.
 */
export function returned<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
