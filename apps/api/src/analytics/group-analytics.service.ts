import { Injectable } from '@nestjs/common';
import type {
  AlphaCell,
  Cell,
  ComparisonEstimate,
  ComparisonRow,
  DimensionInfo,
  GroupComparisonResponse,
  GroupTrendPoint,
  GroupTrendResponse,
  InstrumentId,
  Participation,
  ReliabilityPoint,
  ReliabilityResponse,
  ReliabilityScale,
} from '@candor/contracts';
import { currentInstrument, type Instrument } from '@candor/instruments';
import { benjaminiHochberg, cronbachAlpha, DEFAULT_FDR, sumMomentsFromMean } from '@candor/stats';
import { DEFAULT_K, suppressTree, type Decision, type DisclosureNode } from '@candor/disclosure';
import { AccessService } from '../auth/access.service';
import { type AuthUser } from '../auth/auth.types';
import { forbidden, notFound } from '../common/errors';
import {
  addToBag,
  changeOf,
  estimateDimension,
  mergeBags,
  monthRange,
  momentsOf,
  responsesIn,
  statsDimensions,
  subtractBag,
  testAgainstRest,
  trendDimensions,
  type StatBag,
} from './analytics.math';
import {
  AnalyticsRepository,
  type GroupMonthCountRow,
  type GroupNodeRow,
  type MonthCycleRow,
  type StatsRow,
  type TeamNodeRow,
} from './analytics.repository';
import { VersionedCache } from './versioned-cache';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cronbach's α is shown only from this many responses (DESIGN.md). */
export const ALPHA_MIN_N = 30;

/**
 * The scales Cronbach's α is reported for: each response dimension of the instrument over its own
 * items (psychological safety: all 7; the trust equation: each component's 3). The stored item
 * moments are already scored (negatively worded items as 8 − answer), so every item of a scale
 * runs in the scale's direction. The 12 trust statements are never one scale: self-orientation is
 * a different construct that runs against trust.
 */
export function reliabilityScales(instrument: Instrument): ReliabilityScale[] {
  return instrument.responseDimensions.map((dim) => {
    const items =
      instrument.id === 'psych-safety'
        ? instrument.items
        : instrument.items.filter((i) => i.component === dim.id);
    return {
      id: dim.id,
      label: dim.label,
      items: items.map((i) => i.id),
      reversed: items.filter((i) => i.reverse).map((i) => i.id),
    };
  });
}

/** Cached results per instance and view (see VersionedCache); a 500-team comparison is ~250 kB of JSON. */
export const GROUP_CACHE_ENTRIES = 50;

/** The groups of a whole org tree. */
interface OrgTree {
  rootId: string;
  groups: Map<string, GroupNodeRow>;
  childGroups: Map<string, GroupNodeRow[]>;
}

/**
 * The disclosure decisions of one month over the whole org, for its groups; a team's row follows
 * teamDecision, exactly as on the team's own trend.
 */
interface MonthDecisions {
  month: string;
  k: number;
  decisions: Map<string, Decision>;
}

/** A team row is released iff its cycle has n ≥ the cycle's own k (and n > 0). */
function teamDecision(cycle: MonthCycleRow | undefined): Decision {
  return cycle && cycle.n > 0 && cycle.n >= cycle.k
    ? { released: true }
    : { released: false, reason: 'below-k' };
}

const gid = (id: string) => `g:${id}`;

/**
 * Director views over the org tree: comparison of teams for a month, the group's monthly trend and
 * scale reliability. Disclosure is decided once per month over the WHOLE org tree (from its top
 * group), so every view of any subtree shows a consistent subset of one set of decisions and two
 * views cannot be differenced against each other.
 */
@Injectable()
export class GroupAnalyticsService {
  // A group view's result is the same for every director allowed to see the group: cached per
  // data version, after the access check.
  private readonly comparisonCache = new VersionedCache<GroupComparisonResponse>(GROUP_CACHE_ENTRIES);
  private readonly trendCache = new VersionedCache<GroupTrendResponse>(GROUP_CACHE_ENTRIES);
  private readonly reliabilityCache = new VersionedCache<ReliabilityResponse>(GROUP_CACHE_ENTRIES);

  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly access: AccessService,
  ) {}

  /**
   * Directors of the group or of a group above it; everyone else gets 403 (and an audit entry).
   * Returns the group and the data version to key cached results on (one round trip).
   */
  async assertCanSeeGroup(
    user: AuthUser,
    groupId: string,
    route: string,
  ): Promise<{ group: { id: string; name: string }; rootId: string; version: string }> {
    const access = UUID.test(groupId) ? await this.repo.groupAccess(groupId, user.id) : null;
    if (!access) throw notFound('Group');
    if (!access.directs) {
      await this.access.recordDenial(user, route, groupId);
      throw forbidden('group_access_denied', 'Only directors of this group or a group above it can see it');
    }
    return { group: access.group, rootId: access.rootId, version: access.version };
  }

  async comparison(
    user: AuthUser,
    groupId: string,
    instrumentId: InstrumentId,
    period: string,
  ): Promise<GroupComparisonResponse> {
    const { group, rootId, version } = await this.assertCanSeeGroup(
      user,
      groupId,
      'GET /api/groups/:groupId/comparison',
    );
    return this.comparisonCache.through(`${group.id}|${instrumentId}|${period}`, version, () =>
      this.computeComparison(group, rootId, instrumentId, period),
    );
  }

  private async computeComparison(
    group: { id: string; name: string },
    rootId: string,
    instrumentId: InstrumentId,
    period: string,
  ): Promise<GroupComparisonResponse> {
    const groupId = group.id;
    const dimensions = trendDimensions(instrumentId);
    const [from, to] = monthRange(period);
    // The org-wide counts for the decisions, and the teams, cycles and statistics of the requested
    // subtree only: three independent reads at once.
    const [tree, counts, subtree] = await Promise.all([
      this.orgTree(rootId),
      this.repo.orgMonthCounts(rootId, instrumentId, from, to),
      this.repo.teamsWithMonthStats(groupId, instrumentId, from, statsDimensions(instrumentId)),
    ]);
    const month = decide(tree, counts)[0] ?? emptyMonth();
    const cycleOf = new Map(subtree.cycles.map((c) => [c.teamId, c]));
    const teamsOf = byGroup(subtree.teams);
    const bags = bagsOf(subtree.stats);
    const teamBag = (teamId: string): StatBag => {
      const c = cycleOf.get(teamId);
      return (c && bags.get(c.cycleId)) ?? new Map();
    };
    const teamsBelow = (id: string) => teamsUnder(tree, teamsOf, id);
    const groupBag = (id: string): StatBag => mergeBags(...teamsBelow(id).map((t) => teamBag(t.id)));
    const invitedUnder = (id: string): number =>
      teamsBelow(id).reduce((s, t) => s + (cycleOf.get(t.id)?.invited ?? 0), 0);

    const rows: ComparisonRow[] = [];
    const rootBag = groupBag(groupId);
    const rootReleased = month.decisions.get(gid(groupId))?.released === true;
    const tests: { row: ComparisonRow; dim: string; delta: number; p: number }[] = [];

    const visit = (g: GroupNodeRow, depth: number, parentId: string | null) => {
      const bag = groupBag(g.id);
      rows.push(
        this.row(
          'group',
          g.id,
          g.name,
          parentId,
          depth,
          null,
          month.decisions.get(gid(g.id)),
          bag,
          invitedUnder(g.id),
          dimensions,
        ),
      );
      for (const sub of tree.childGroups.get(g.id) ?? []) visit(sub, depth + 1, g.id);
      for (const t of teamsOf.get(g.id) ?? []) {
        const cycle = cycleOf.get(t.id);
        const decision = teamDecision(cycle);
        const bag = teamBag(t.id);
        const row = this.row(
          'team',
          t.id,
          t.name,
          g.id,
          depth + 1,
          cycle?.cycleId ?? null,
          decision,
          bag,
          cycle?.invited ?? 0,
          dimensions,
        );
        rows.push(row);
        if (!rootReleased || decision?.released !== true) continue;
        const rest = subtractBag(rootBag, bag);
        for (const dim of dimensions) {
          if (row.scores[dim.id]?.status !== 'released') continue;
          const test = testAgainstRest(dim, bag, rest);
          if (test && Number.isFinite(test.p)) tests.push({ row, dim: dim.id, ...test });
        }
      }
    };
    const root = tree.groups.get(groupId);
    if (!root) throw notFound('Group');
    visit(root, 0, null);

    const bh = benjaminiHochberg(
      tests.map((t) => t.p),
      DEFAULT_FDR,
    );
    tests.forEach((t, i) => {
      const cell = t.row.scores[t.dim];
      if (cell?.status !== 'released') return;
      const rejected = bh.rejected[i] === true;
      cell.test = {
        delta: t.delta,
        p: t.p,
        q: bh.adjusted[i]!,
        flag: rejected && t.delta > 0 ? 'above' : rejected && t.delta < 0 ? 'below' : 'none',
      };
    });

    return { group, instrument: instrumentId, period, k: month.k, fdr: DEFAULT_FDR, dimensions, rows };
  }

  async trend(
    user: AuthUser,
    groupId: string,
    instrumentId: InstrumentId,
    months: number,
    now = new Date(),
  ): Promise<GroupTrendResponse> {
    const { group, rootId, version } = await this.assertCanSeeGroup(
      user,
      groupId,
      'GET /api/groups/:groupId/trend',
    );
    const [from, to] = lastMonths(now, months);
    return this.trendCache.through(
      `${group.id}|${instrumentId}|${from.toISOString()}|${to.toISOString()}`,
      version,
      () => this.computeTrend(group, rootId, instrumentId, from, to),
    );
  }

  private async computeTrend(
    group: { id: string; name: string },
    rootId: string,
    instrumentId: InstrumentId,
    from: Date,
    to: Date,
  ): Promise<GroupTrendResponse> {
    const groupId = group.id;
    const dimensions = trendDimensions(instrumentId);
    const [tree, counts, subtreeCycles] = await Promise.all([
      this.orgTree(rootId),
      this.repo.orgMonthCounts(rootId, instrumentId, from, to),
      this.repo.latestCyclePerTeamMonth(groupId, instrumentId, from, to),
    ]);
    const decided = decide(tree, counts);
    const cyclesByMonth = byMonth(subtreeCycles);
    const bags = await this.bagsByCycle(
      subtreeCycles.map((c) => c.cycleId),
      statsDimensions(instrumentId),
    );

    const points: GroupTrendPoint[] = [];
    const previous = new Map<string, StatBag>();
    for (const month of decided) {
      const cycles = cyclesByMonth.get(month.month) ?? [];
      if (cycles.length === 0) continue;
      const bag = mergeBags(...cycles.map((c) => bags.get(c.cycleId) ?? new Map<string, never>()));
      const invited = cycles.reduce((s, c) => s + c.invited, 0);
      const decision = month.decisions.get(gid(groupId));
      const n = responsesIn(bag);
      const released = decision?.released === true && n > 0;
      const suppressed: Cell<never> = { status: 'suppressed', reason: decision?.reason ?? 'below-k' };
      const scores: GroupTrendPoint['scores'] = {};
      for (const dim of dimensions) {
        const e = released ? estimateDimension(dim, bag, invited) : null;
        if (!e) {
          scores[dim.id] = suppressed;
          continue;
        }
        const prev = previous.get(dim.id);
        scores[dim.id] = {
          status: 'released',
          n: e.n,
          mean: e.mean,
          lower: e.lower,
          upper: e.upper,
          change: prev ? changeOf(dim, prev, bag) : null,
        };
        previous.set(dim.id, bag);
      }
      points.push({
        period: month.month,
        teams: cycles.length,
        k: month.k,
        participation: released ? participation(n, invited) : suppressed,
        scores,
      });
    }
    return { group, instrument: instrumentId, dimensions, points };
  }

  async reliability(
    user: AuthUser,
    groupId: string,
    instrumentId: InstrumentId,
    months: number,
    now = new Date(),
  ): Promise<ReliabilityResponse> {
    const { group, rootId, version } = await this.assertCanSeeGroup(
      user,
      groupId,
      'GET /api/groups/:groupId/reliability',
    );
    const [from, to] = lastMonths(now, months);
    return this.reliabilityCache.through(
      `${group.id}|${instrumentId}|${from.toISOString()}|${to.toISOString()}`,
      version,
      () => this.computeReliability(group, rootId, instrumentId, from, to),
    );
  }

  private async computeReliability(
    group: { id: string; name: string },
    rootId: string,
    instrumentId: InstrumentId,
    from: Date,
    to: Date,
  ): Promise<ReliabilityResponse> {
    const groupId = group.id;
    const instrument = currentInstrument(instrumentId);
    const scales = reliabilityScales(instrument);
    // Decisions over the same cycles as every other view; α then uses only the current version.
    const [tree, counts, subtreeCycles, versionCycles] = await Promise.all([
      this.orgTree(rootId),
      this.repo.orgMonthCounts(rootId, instrumentId, from, to),
      this.repo.latestCyclePerTeamMonth(groupId, instrumentId, from, to),
      this.repo.latestCyclePerTeamMonth(groupId, instrumentId, from, to, instrument.key),
    ]);
    const decided = decide(tree, counts);
    const cyclesByMonth = byMonth(subtreeCycles);
    const sameVersion = new Set(versionCycles.map((c) => c.cycleId));
    const bags = await this.bagsByCycle(
      subtreeCycles.filter((r) => sameVersion.has(r.cycleId)).map((r) => r.cycleId),
      [...instrument.items.map((i) => `item:${i.id}`), ...scales.map((s) => s.id)],
    );
    const points: ReliabilityPoint[] = [];
    for (const month of decided) {
      const cycles = cyclesByMonth.get(month.month) ?? [];
      if (cycles.length === 0) continue;
      const decision = month.decisions.get(gid(groupId));
      const bag = mergeBags(...cycles.map((c) => bags.get(c.cycleId) ?? new Map<string, never>()));
      const alphaOf = (scale: ReliabilityScale): AlphaCell => {
        if (decision?.released !== true)
          return { status: 'suppressed', reason: decision?.reason ?? 'below-k' };
        // The scale's per-response mean, stored as its response dimension; its sum is m · mean.
        const mean = bag.get(scale.id);
        const n = mean?.n ?? 0;
        const items = scale.items.map((id) => bag.get(`item:${id}`));
        if (!mean || n < ALPHA_MIN_N || !items.every((m) => m && m.n === n))
          return { status: 'suppressed', reason: 'below-minimum' };
        const value = cronbachAlpha(
          items.map((m) => momentsOf(m!)),
          sumMomentsFromMean(momentsOf(mean), scale.items.length),
        );
        return value === null
          ? { status: 'suppressed', reason: 'below-minimum' }
          : { status: 'released', n, alpha: value };
      };
      const perScale = scales.map((scale) => ({ scale: scale.id, alpha: alphaOf(scale) }));
      points.push({
        period: month.month,
        scales: perScale,
        ...(perScale.length === 1 ? { alpha: perScale[0]!.alpha } : {}),
      });
    }
    return {
      group,
      instrument: instrumentId,
      instrumentVersion: instrument.key,
      minimumN: ALPHA_MIN_N,
      scales,
      points,
    };
  }

  // ------------------------------------------------------------------ helpers

  private row(
    kind: 'group' | 'team',
    id: string,
    name: string,
    parentId: string | null,
    depth: number,
    cycleId: string | null,
    decision: Decision | undefined,
    bag: StatBag,
    invited: number,
    dimensions: DimensionInfo[],
  ): ComparisonRow {
    const n = responsesIn(bag);
    const released = decision?.released === true && n > 0;
    const suppressed: Cell<never> = { status: 'suppressed', reason: decision?.reason ?? 'below-k' };
    const scores: Record<string, Cell<ComparisonEstimate>> = {};
    for (const dim of dimensions) {
      const e = released ? estimateDimension(dim, bag, invited) : null;
      scores[dim.id] = e
        ? { status: 'released', n: e.n, mean: e.mean, lower: e.lower, upper: e.upper, test: null }
        : suppressed;
    }
    return {
      kind,
      id,
      name,
      parentId,
      depth,
      cycleId,
      participation: released ? participation(n, invited) : suppressed,
      scores,
    };
  }

  /** The groups of the whole org tree under its top group. */
  private async orgTree(rootId: string): Promise<OrgTree> {
    const groups = await this.repo.groupsUnder(rootId);
    const childGroups = groupBy(
      groups.filter((g) => g.parentId !== null && g.id !== rootId),
      (g) => g.parentId!,
    );
    for (const list of childGroups.values())
      list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { rootId, groups: new Map(groups.map((g) => [g.id, g])), childGroups };
  }

  private async bagsByCycle(cycleIds: string[], dimensions: string[]): Promise<Map<string, StatBag>> {
    return bagsOf(await this.repo.statsOf(cycleIds, dimensions));
  }
}

/** Statistics rows added up per cycle. */
function bagsOf(rows: StatsRow[]): Map<string, StatBag> {
  const bags = new Map<string, StatBag>();
  for (const r of rows) {
    const bag = bags.get(r.cycleId) ?? new Map();
    addToBag(bag, r.dimension, r);
    bags.set(r.cycleId, bag);
  }
  return bags;
}

function emptyMonth(): MonthDecisions {
  return { month: '', k: DEFAULT_K, decisions: new Map() };
}

/** Items in lists by a key, each list in the order given (Map.groupBy, which Node 20 lacks). */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Teams by the group they belong to directly, in the order given. */
const byGroup = (teams: TeamNodeRow[]) => groupBy(teams, (t) => t.groupId);
const byMonth = (cycles: MonthCycleRow[]) => groupBy(cycles, (c) => c.month);

/** The teams of a group and of every group below it. */
function teamsUnder(tree: OrgTree, teamsOf: Map<string, TeamNodeRow[]>, groupId: string): TeamNodeRow[] {
  const out: TeamNodeRow[] = [];
  const stack = [groupId];
  while (stack.length > 0) {
    const g = stack.pop()!;
    out.push(...(teamsOf.get(g) ?? []));
    for (const c of tree.childGroups.get(g) ?? []) stack.push(c.id);
  }
  return out;
}

/**
 * Disclosure decisions for the groups of the whole org, one set per month, from orgMonthCounts.
 *
 * Every team cycle with n ≥ its own k is released on that team's trend, to its members and to
 * every director above it, so for group views it is public: it can neither be hidden by
 * complementary suppression nor hide anything. The unknowns are the teams with 0 < n < k (a team
 * with n = 0 hides nothing). So suppressTree runs over the group tree with only those teams as
 * leaves, with k = the largest k of the month's cycles. A group row needs its real n (all its
 * teams, public or not) ≥ k, and then: if it contains no unknown responses it is a sum of public
 * cells and is released; otherwise it is released only where suppressTree releases it over the
 * unknowns (what it hides must be 0 or ≥ k responses over at least two children), else it is
 * suppressed as `complementary`. (Leaving the public and empty teams out of suppressTree's tree
 * changes nothing: as leaves of n = 0 they are never released, hide nothing and protect nothing.)
 */
function decide(tree: OrgTree, counts: GroupMonthCountRow[]): MonthDecisions[] {
  const months = new Map<string, Map<string, GroupMonthCountRow>>();
  for (const r of counts) {
    const m = months.get(r.month) ?? new Map<string, GroupMonthCountRow>();
    m.set(r.groupId, r);
    months.set(r.month, m);
  }
  return [...months.keys()].sort().map((month) => {
    const own = months.get(month)!;
    const k = Math.max(DEFAULT_K, ...[...own.values()].map((c) => c.k));
    const real = new Map<string, number>();
    const build = (g: string): DisclosureNode => {
      const row = own.get(g);
      let total = row?.n ?? 0;
      const children: DisclosureNode[] = (tree.childGroups.get(g) ?? []).map((c) => {
        const node = build(c.id);
        total += real.get(c.id) ?? 0;
        return node;
      });
      for (const t of row?.smallTeams ?? []) children.push({ id: `t:${t.teamId}`, n: t.n });
      real.set(g, total);
      return { id: gid(g), n: children.reduce((s, c) => s + c.n, 0), children };
    };
    const root = build(tree.rootId);
    const unknown = suppressTree(root, k);
    const decisions = new Map<string, Decision>();
    const visit = (node: DisclosureNode) => {
      if (!node.id.startsWith('g:')) return;
      const n = real.get(node.id.slice(2)) ?? 0;
      if (n < k) decisions.set(node.id, { released: false, reason: 'below-k' });
      else if (node.n === 0 || unknown.get(node.id)?.released) decisions.set(node.id, { released: true });
      else decisions.set(node.id, { released: false, reason: 'complementary' });
      for (const child of node.children ?? []) visit(child);
    };
    visit(root);
    return { month, k, decisions };
  });
}

function participation(n: number, invited: number): { status: 'released' } & Participation {
  return { status: 'released', n, invited, rate: invited > 0 ? n / invited : 0 };
}

/** The last `months` calendar months (UTC) up to and including the current one. */
export function lastMonths(now: Date, months: number): [Date, Date] {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1, 1));
  return [from, to];
}
