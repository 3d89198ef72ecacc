import { type EntityManager } from 'typeorm';

/** Serialises changes to the org tree (moves, imports) so two concurrent moves cannot form a cycle. */
export async function lockOrgTree(manager: EntityManager): Promise<void> {
  await manager.query("SELECT pg_advisory_xact_lock(hashtext('candor:org-tree'))");
}
