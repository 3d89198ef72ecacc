/**
 * The cells of a sealed month, and the order the gate decides them in (docs/adr/0007).
 *
 * A month's roster, per org tree, holds one cycle per team: its latest cycle closing in the month,
 * with the groups the team was in when that cycle closed (`path`, top group first). A group's cell
 * of the month is the sum over every roster cycle whose path contains the group — whatever the tree
 * looks like today. The roster is frozen once the month is sealed, so every cell is too.
 */
import { type GateCell } from './gate';

export interface RosterCycle {
  cycleId: string;
  /** The team's groups when the cycle closed, top group first. */
  path: readonly string[];
  n: number;
}

export interface GroupMonthCell extends GateCell {
  groupId: string;
  /** The smallest position of the group on a path (0 = the top group). */
  depth: number;
  n: number;
}

/** `group:<root>:<group>:<YYYY-MM>`: the ledger key of a group's cell of one month in one org tree. */
export function groupMonthKey(rootId: string, groupId: string, month: string): string {
  return `group:${rootId}:${groupId}:${month.slice(0, 7)}`;
}

/**
 * Every group's cell of a month's roster, in the order the gate decides them: from the top of the
 * tree down (depth), larger cells first, then by id — so the numbers directors need most (the
 * org, its divisions) are released first and the smaller cells that would combine with them to
 * reveal a small group are the ones refused. The order depends only on the structure and n.
 */
export function groupMonthCells(
  rootId: string,
  month: string,
  roster: readonly RosterCycle[],
): GroupMonthCell[] {
  const cells = new Map<string, GroupMonthCell>();
  for (const row of roster) {
    row.path.forEach((groupId, depth) => {
      let cell = cells.get(groupId);
      if (!cell) {
        cell = { key: groupMonthKey(rootId, groupId, month), groupId, depth, n: 0, cycles: [] };
        cells.set(groupId, cell);
      }
      cell.depth = Math.min(cell.depth, depth);
      if (!cell.cycles.includes(row.cycleId)) {
        (cell.cycles as string[]).push(row.cycleId);
        cell.n += row.n;
      }
    });
  }
  return [...cells.values()].sort(
    (a, b) => a.depth - b.depth || b.n - a.n || (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0),
  );
}
