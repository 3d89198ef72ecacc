// The org tree's recursive queries, written once. Each function gives one common table expression
// for a `WITH RECURSIVE` clause: `<name>(id)` holds the start group and every group above it (or
// below it). `start` is a SQL expression — a parameter such as `$1::uuid`, a column of an outer
// query or a scalar subquery — never a request string. `UNION` (not `UNION ALL`) keeps the walk
// finite even if the tree were ever damaged into a loop.

/** `<name>(id)`: the group `start` and each of its ancestors up to the root. */
export function groupsAbove(name: string, start: string): string {
  return `${name}(id) AS (
    SELECT ${start}
    UNION
    SELECT g.parent_id FROM org_group g JOIN ${name} ON g.id = ${name}.id WHERE g.parent_id IS NOT NULL
  )`;
}

/** `<name>(id)`: the group `start` and every group below it. */
export function groupsBelow(name: string, start: string): string {
  return `${name}(id) AS (
    SELECT ${start}
    UNION
    SELECT g.id FROM org_group g JOIN ${name} ON g.parent_id = ${name}.id
  )`;
}
