/** The org tree for display: groups nested by parent, each with its teams, in name order. */
import type { AdminGroup, AdminTeam } from '@candor/contracts';

export interface OrgNode {
  group: AdminGroup;
  teams: AdminTeam[];
  children: OrgNode[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export function buildOrgTree(groups: readonly AdminGroup[], teams: readonly AdminTeam[]): OrgNode[] {
  const nodes = new Map(
    groups.map((g) => [g.id, { group: g, teams: [] as AdminTeam[], children: [] as OrgNode[] }]),
  );
  for (const team of teams) nodes.get(team.groupId)?.teams.push(team);
  const roots: OrgNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.group.parentId ? nodes.get(node.group.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: OrgNode[]) => {
    list.sort((a, b) => byName(a.group, b.group));
    for (const n of list) {
      n.teams.sort(byName);
      sort(n.children);
    }
  };
  sort(roots);
  return roots;
}

/**
 * Every group with its full path ("Acme / Product / Payments"), in tree order, for pickers.
 * A loop in the data (which the API refuses to create) cannot hang it: each group is visited once.
 */
export function groupPaths(groups: readonly AdminGroup[]): { id: string; path: string }[] {
  const out: { id: string; path: string }[] = [];
  const walk = (nodes: OrgNode[], prefix: string) => {
    for (const n of nodes) {
      const path = prefix ? `${prefix} / ${n.group.name}` : n.group.name;
      out.push({ id: n.group.id, path });
      walk(n.children, path);
    }
  };
  walk(buildOrgTree(groups, []), '');
  return out;
}
