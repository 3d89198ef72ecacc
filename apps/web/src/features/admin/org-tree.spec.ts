import type { AdminGroup, AdminTeam } from '@candor/contracts';
import { buildOrgTree, groupPaths } from './org-tree';

const group = (id: string, name: string, parentId: string | null = null): AdminGroup => ({
  id,
  name,
  parentId,
  createdAt: '2026-01-01T00:00:00Z',
});
const team = (id: string, name: string, groupId: string): AdminTeam => ({
  id,
  name,
  groupId,
  active: true,
  memberCount: 0,
  leadCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
});

const groups = [
  group('p', 'Product', 'acme'),
  group('acme', 'Acme'),
  group('e', 'Engineering', 'acme'),
  group('pay', 'Payments', 'p'),
  group('z', 'Zeta'),
];

describe('org tree', () => {
  it('nests groups under their parents, each level and its teams in name order', () => {
    const tree = buildOrgTree(groups, [
      team('t2', 'Web', 'e'),
      team('t1', 'API', 'e'),
      team('t3', 'Card', 'pay'),
    ]);
    expect(tree.map((n) => n.group.name)).toEqual(['Acme', 'Zeta']);
    const acme = tree[0]!;
    expect(acme.children.map((n) => n.group.name)).toEqual(['Engineering', 'Product']);
    expect(acme.children[0]!.teams.map((t) => t.name)).toEqual(['API', 'Web']);
    expect(acme.children[1]!.children[0]!.teams.map((t) => t.name)).toEqual(['Card']);
  });

  it('drops teams of unknown groups and treats a group with an unknown parent as a root', () => {
    const tree = buildOrgTree([group('x', 'Orphan', 'gone')], [team('t', 'Lost', 'nowhere')]);
    expect(tree).toHaveLength(1);
    expect(tree[0]!.group.name).toBe('Orphan');
    expect(tree[0]!.teams).toEqual([]);
  });

  it('lists every group with its full path in tree order', () => {
    expect(groupPaths(groups)).toEqual([
      { id: 'acme', path: 'Acme' },
      { id: 'e', path: 'Acme / Engineering' },
      { id: 'p', path: 'Acme / Product' },
      { id: 'pay', path: 'Acme / Product / Payments' },
      { id: 'z', path: 'Zeta' },
    ]);
  });

  it('does not hang on a loop in the data: the loop has no root, so it is not listed', () => {
    expect(groupPaths([group('a', 'A', 'b'), group('b', 'B', 'a'), group('r', 'Root')])).toEqual([
      { id: 'r', path: 'Root' },
    ]);
  });
});
