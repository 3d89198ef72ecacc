import { Inject, Injectable } from '@nestjs/common';
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
import { benjaminiHochberg, cronbachAlpha, DEFAULT_FDR, sumMomentsFromMean, toMoments } from '@candor/stats';
import {
  decideFromCounts,
  decideWithoutLedger,
  DEFAULT_K,
  groupMonthKey,
  RELEASED,
  releaseCell,
  requireAlso,
  type GateDecision,
} from '@candor/disclosure';
import { AccessService } from '../auth/access.service';
import { type AuthUser } from '../auth/auth.types';
import { CLOCK, type Clock } from '../common/clock';
import { forbidden, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import {
  addToBag,
  changeOf,
  estimateDimension,
  favourableCell,
  mergeBags,
  monthRange,
  responsesIn,
  statsDimensions,
  subtractBag,
  testAgainstRest,
  trendDimensions,
  type StatBag,
} from './analytics.math';
import {
  AnalyticsRepository,
  type GroupMonthCellRow,
  type MonthRow,
  type StatsRow,
  type TeamNodeRow,
} from './analytics.repository';
import { DisclosureService, monthStart } from './disclosure.service';
import { VersionedCache } from './versioned-cache';

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

/**
 * A group's cell of one month is the sum over its parts, one per org tree its cycles closed in
 * (almost always one). It is released only when every part is (a sum of released cells adds
 * nothing), else suppressed with the first part's reason.
 */
function combine(parts: GateDecision[]): GateDecision {
  return parts.find((d) => !d.released) ?? RELEASED;
}

/**
 * Director views: the comparison of a group's teams for a month, the group's monthly trend and
 * scale reliability. Every cell comes from the release gate (@candor/disclosure): a month's cells
 * are released only once the month is sealed (over, and every cycle closing in it closed), and
 * then frozen; a group cell that involves a cycle with 0 < n < k carries the decision the ledger
 * recorded when the month was sealed, made against everything released before, to anyone.
 * A cycle counts in the groups its team was in when it closed (its frozen path), so
 * reorganisations change only what closes afterwards.
 */
@Injectable()
export class GroupAnalyticsService {
  // A group view's result is the same for every director allowed to see the group: cached per
  // data version (sealing a month moves it) and calendar month (a month ends without a write).
  // The comparison is kept as its JSON text: the endpoint sends it as it is (a hit does not
  // serialise ≈ 275 kB again), and the overview and the CSV parse a fresh copy.
  private readonly comparisonCache = new VersionedCache<string>(GROUP_CACHE_ENTRIES);
  private readonly trendCache = new VersionedCache<GroupTrendResponse>(GROUP_CACHE_ENTRIES);
  private readonly reliabilityCache = new VersionedCache<ReliabilityResponse>(GROUP_CACHE_ENTRIES);

  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly access: AccessService,
    private readonly disclosure: DisclosureService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Directors of the group or of a group above it; everyone else gets 403 (and an audit entry).
   * Returns the group, the top of its org tree today and the data version (one round trip).
   */
  async assertCanSeeGroup(
    user: AuthUser,
    groupId: string,
    route: string,
  ): Promise<{ group: { id: string; name: string }; rootId: string; version: string }> {
    const access = isUuid(groupId) ? await this.repo.groupAccess(groupId, user.id) : null;
    if (!access) throw notFound('Group');
    if (!access.directs) {
      await this.access.recordDenial(user, route, groupId);
      throw forbidden('group_access_denied', 'Only directors of this group or a group above it can see it');
    }
    return { group: access.group, rootId: access.rootId, version: access.version };
  }

  /** The comparison of a group's teams for a month (for other views: the overview, the CSV). */
  async comparison(
    user: AuthUser,
    groupId: string,
    instrumentId: InstrumentId,
    period: string,
  ): Promise<GroupComparisonResponse> {
    return JSON.parse(
      await this.comparisonJson(user, groupId, instrumentId, period),
    ) as GroupComparisonResponse;
  }

  /** The comparison as the JSON text the endpoint sends (`GroupComparisonResponse`). */
  async comparisonJson(
    user: AuthUser,
    groupId: string,
    instrumentId: InstrumentId,
    period: string,
  ): Promise<string> {
    const now = this.clock.now();
    const { group, rootId, version } = await this.assertCanSeeGroup(
      user,
      groupId,
      'GET /api/groups/:groupId/comparison',
    );
    return this.comparisonCache.through(
      `${group.id}|${instrumentId}|${period}|${monthStart(now)}`,
      version,
      async () => JSON.stringify(await this.computeComparison(group, rootId, instrumentId, period, now)),
    );
  }

  private async computeComparison(
    group: { id: string; name: string },
    rootId: string,
    instrumentId: InstrumentId,
    period: string,
    now: Date,
  ): Promise<GroupComparisonResponse> {
    const groupId = group.id;
    const dimensions = trendDimensions(instrumentId);
    const dims = statsDimensions(instrumentId);
    const [month] = monthRange(period);
    // The month's rows and which months are sealed are read at once: rows read under the month's seal
    // (in the same snapshot) are its final rows, which never change; rows read before it was sealed
    // are read again. Any month not sealed by then counts as open, also one whose first cycle
    // closes while this runs.
    const monthRead = early(this.repo.monthUnder(instrumentId, groupId, month, dims));
    const sealed = await this.disclosure.sealForView(instrumentId, [rootId], month, now);
    // The ledger's decision of this group's cell in its own tree, read while the rows are: a sealed
    // month's decisions were recorded when it was sealed, before `sealed` was read.
    const ownKey = groupMonthKey(rootId, groupId, period);
    const ownDecision = early(this.disclosure.recorded(instrumentId, [ownKey]));
    let read = await monthRead;
    // Rows of other org trees (cycles that closed while their team was elsewhere): their months'
    // seal state too (sealing any that is due), then the rows again only if some tree's month is
    // sealed now but was not when its rows were read. The own tree is checked even without rows:
    // its rows may have appeared before the seal.
    const otherRoots = [...new Set(read.rows.map((r) => r.rootId))].filter((r) => r !== rootId);
    for (const key of await this.disclosure.sealForView(instrumentId, otherRoots, month, now))
      sealed.add(key);
    const readBeforeSeal = [rootId, ...otherRoots].some(
      (root) => sealed.has(`${root}|${period}`) && !read.sealed.has(root),
    );
    if (readBeforeSeal) read = await this.repo.monthUnder(instrumentId, groupId, month, dims);
    const rows = read.rows;
    const isOpen = (root: string) => !sealed.has(`${root}|${period}`);

    // The groups shown below this one: those on the frozen paths of its month rows.
    const below = new Map<string, string>(); // group → its parent as shown
    for (const r of rows) {
      const at = r.path.indexOf(groupId);
      for (let i = at + 1; i < r.path.length; i++)
        if (!below.has(r.path[i]!)) below.set(r.path[i]!, r.path[i - 1]!);
    }
    // Every part of every group cell shown: a subgroup's cell may hold cycles that are not under
    // this group (a group that moved during the month); those rows are read as well.
    const namesRead = early(this.repo.groupNames([...below.keys()]));
    const members = await this.repo.monthMembers(instrumentId, month, [...below.keys()]);
    const byKey = new Map(rows.map((r) => [`${r.rootId}|${r.teamId}`, r]));
    const missing = members.filter((m) => !byKey.has(`${m.rootId}|${m.teamId}`));
    for (const r of await this.repo.monthRowsOf(
      instrumentId,
      month,
      [...new Map(missing.map((m) => [`${m.rootId}|${m.teamId}`, m])).values()],
      dims,
    ))
      byKey.set(`${r.rootId}|${r.teamId}`, r);
    // A group's cell counts the cycles that invited at least their k: a team smaller than its k
    // never counts in any aggregate (GateCycle.invited).
    const counts = (r: MonthRow) => r.invited >= r.k;
    const cellRows = new Map<string, MonthRow[]>([
      [groupId, rows.filter(counts)],
      ...[...below.keys()].map((g): [string, MonthRow[]] => [g, []]),
    ]);
    for (const m of members) {
      const row = byKey.get(`${m.rootId}|${m.teamId}`)!;
      if (!counts(row)) continue;
      cellRows.set(m.groupId, [...(cellRows.get(m.groupId) ?? []), row]);
    }

    const [names, decisions] = await Promise.all([
      namesRead,
      this.groupDecisions(instrumentId, period, cellRows, isOpen, { keys: [ownKey], read: ownDecision }),
    ]);
    const out: ComparisonRow[] = [];
    const tests: { row: ComparisonRow; dim: string; delta: number; p: number }[] = [];
    const rootBag = mergeBags(...cellRows.get(groupId)!.map((r) => r.bag));
    const rootReleased = decisions.get(groupId)?.released === true;
    const childrenOf = groupBy([...below.entries()], ([, parent]) => parent);
    const teamsOf = groupBy(rows, (r) => r.path[r.path.length - 1]!);
    const shownGroups = new Set([groupId, ...below.keys()]);
    // Teams of the group today without a cycle in the month here: listed, without numbers.
    const idle = groupBy(read.idle, (t) => (shownGroups.has(t.groupId) ? t.groupId : groupId));

    const visit = (id: string, name: string, depth: number, parentId: string | null) => {
      const cell = cellRows.get(id) ?? [];
      const bag = id === groupId ? rootBag : mergeBags(...cell.map((r) => r.bag));
      const invited = cell.reduce((s, r) => s + r.invited, 0);
      out.push(row('group', id, name, parentId, depth, null, decisions.get(id)!, bag, invited, dimensions));
      const subgroups = (childrenOf.get(id) ?? [])
        .map(([g]) => ({ id: g, name: names.get(g) ?? 'Former group' }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      for (const sub of subgroups) visit(sub.id, sub.name, depth + 1, id);
      for (const r of teamsOf.get(id) ?? []) {
        const decision = teamCycleDecision(r);
        const bag = r.bag;
        const teamRow = row(
          'team',
          r.teamId,
          r.teamName,
          id,
          depth + 1,
          r.cycleId,
          decision,
          bag,
          r.invited,
          dimensions,
        );
        out.push(teamRow);
        if (!rootReleased || !decision.released) continue;
        const rest = subtractBag(rootBag, bag);
        for (const dim of dimensions) {
          if (teamRow.scores[dim.id]?.status !== 'released') continue;
          const test = testAgainstRest(dim, bag, rest);
          if (test && Number.isFinite(test.p)) tests.push({ row: teamRow, dim: dim.id, ...test });
        }
      }
      for (const t of idle.get(id) ?? []) out.push(idleTeamRow(t, id, depth + 1, dimensions));
    };
    visit(groupId, group.name, 0, null);

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

    const roots = new Set(rows.map((r) => r.rootId));
    return {
      group,
      instrument: instrumentId,
      period,
      final: monthStart(month) < monthStart(now) && [...roots].every((r) => !isOpen(r)),
      k: Math.max(DEFAULT_K, ...rows.map((r) => r.k)),
      fdr: DEFAULT_FDR,
      dimensions,
      rows: out,
    };
  }

  /** Each shown group's decision for the month: the gate's, per org tree, combined. */
  private async groupDecisions(
    instrument: InstrumentId,
    period: string,
    cellRows: Map<string, MonthRow[]>,
    isOpen: (rootId: string) => boolean,
    /** Decisions already being read, for these keys; only the other keys are read here. */
    ahead: { keys: string[]; read: Promise<Map<string, GateDecision>> },
  ): Promise<Map<string, GateDecision>> {
    const parts = new Map<string, (GateDecision | string)[]>();
    const ledgerKeys: string[] = [];
    for (const [groupId, rows] of cellRows) {
      const byRoot = groupBy(rows, (r) => r.rootId);
      const list: (GateDecision | string)[] = [];
      if (byRoot.size === 0) list.push({ released: false, reason: 'below-k' });
      for (const [root, part] of byRoot) {
        const d = decideWithoutLedger(
          { key: '', cycles: part.map((r) => r.cycleId), periodOpen: isOpen(root) },
          factsOf(part),
        );
        if (d === 'ledger') {
          const key = groupMonthKey(root, groupId, period);
          ledgerKeys.push(key);
          list.push(key);
        } else list.push(d);
      }
      parts.set(groupId, list);
    }
    const readAhead = new Set(ahead.keys);
    const rest = ledgerKeys.filter((key) => !readAhead.has(key));
    const [readFirst, readNow] = await Promise.all([
      ahead.read,
      rest.length > 0 ? this.disclosure.recorded(instrument, rest) : new Map<string, GateDecision>(),
    ]);
    const recorded = new Map([...readFirst, ...readNow]);
    return new Map(
      [...parts].map(([groupId, list]) => [
        groupId,
        combine(list.map((p) => (typeof p === 'string' ? (recorded.get(p) ?? NOT_RECORDED) : p))),
      ]),
    );
  }

  async trend(
    user: AuthUser,
    groupId: string,
    instrumentId: InstrumentId,
    months: number,
  ): Promise<GroupTrendResponse> {
    const now = this.clock.now();
    const { group, rootId, version } = await this.assertCanSeeGroup(
      user,
      groupId,
      'GET /api/groups/:groupId/trend',
    );
    const [from, to] = lastMonths(now, months);
    return this.trendCache.through(
      `${group.id}|${instrumentId}|${from.toISOString()}|${to.toISOString()}|${monthStart(now)}`,
      version,
      () => this.computeTrend(group, rootId, instrumentId, from, to, now),
    );
  }

  private async computeTrend(
    group: { id: string; name: string },
    rootId: string,
    instrumentId: InstrumentId,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<GroupTrendResponse> {
    const dimensions = trendDimensions(instrumentId);
    const months = await this.monthCells(group.id, rootId, instrumentId, from, to, now, {
      dimensions: statsDimensions(instrumentId),
    });
    const points: GroupTrendPoint[] = [];
    const previous = new Map<string, StatBag>();
    for (const m of months) {
      const bag = m.bag;
      const n = responsesIn(bag);
      const scores: GroupTrendPoint['scores'] = {};
      for (const dim of dimensions) {
        const e = m.decision.released ? estimateDimension(dim, bag, m.invited) : null;
        if (!e) {
          scores[dim.id] = releaseCell(requireAlso(m.decision, false, 'below-k'), () => ({}) as never);
          continue;
        }
        const prev = previous.get(dim.id);
        const favourable = favourableCell(m.decision, dim.id, bag);
        scores[dim.id] = releaseCell(m.decision, () => ({
          n: e.n,
          mean: e.mean,
          lower: e.lower,
          upper: e.upper,
          change: prev ? changeOf(dim, prev, bag) : null,
          ...(favourable && { favourable }),
        })) as GroupTrendPoint['scores'][string];
        previous.set(dim.id, bag);
      }
      points.push({
        period: m.month,
        final: m.final,
        teams: m.teams,
        k: m.k,
        participation: releaseCell(m.decision, () => participation(n, m.invited)),
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
  ): Promise<ReliabilityResponse> {
    const now = this.clock.now();
    const { group, rootId, version } = await this.assertCanSeeGroup(
      user,
      groupId,
      'GET /api/groups/:groupId/reliability',
    );
    const [from, to] = lastMonths(now, months);
    return this.reliabilityCache.through(
      `${group.id}|${instrumentId}|${from.toISOString()}|${to.toISOString()}|${monthStart(now)}`,
      version,
      () => this.computeReliability(group, rootId, instrumentId, from, to, now),
    );
  }

  private async computeReliability(
    group: { id: string; name: string },
    rootId: string,
    instrumentId: InstrumentId,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<ReliabilityResponse> {
    const instrument = currentInstrument(instrumentId);
    const scales = reliabilityScales(instrument);
    const months = await this.monthCells(group.id, rootId, instrumentId, from, to, now, {
      dimensions: [...instrument.items.map((i) => `item:${i.id}`), ...scales.map((s) => s.id)],
      fromCycleStats: true,
      version: instrument.key,
    });
    const points: ReliabilityPoint[] = months.map((m) => {
      const alphaOf = (scale: ReliabilityScale): AlphaCell => {
        // α over the sums of every cycle of the cell, or not at all: a subset of the cell would
        // be another set of responses than the one the gate released.
        const sameVersion = requireAlso(m.decision, m.otherVersions === 0, 'mixed-versions');
        // The scale's per-response mean, stored as its response dimension; its sum is m · mean.
        const mean = m.bag.get(scale.id);
        const n = mean?.n ?? 0;
        const items = scale.items.map((id) => m.bag.get(`item:${id}`));
        const enough = mean !== undefined && n >= ALPHA_MIN_N && items.every((s) => s && s.n === n);
        const value = enough
          ? cronbachAlpha(
              items.map((s) => toMoments(s!)),
              sumMomentsFromMean(toMoments(mean), scale.items.length),
            )
          : null;
        return releaseCell(requireAlso(sameVersion, value !== null, 'below-minimum'), () => ({
          n,
          alpha: value!,
        }));
      };
      const perScale = scales.map((scale) => ({ scale: scale.id, alpha: alphaOf(scale) }));
      return {
        period: m.month,
        scales: perScale,
        ...(perScale.length === 1 ? { alpha: perScale[0]!.alpha } : {}),
      };
    });
    return {
      group,
      instrument: instrumentId,
      instrumentVersion: instrument.key,
      minimumN: ALPHA_MIN_N,
      scales,
      points,
    };
  }

  /**
   * The group's cell of each month in [from, to) that has cycles of it: summed in PostgreSQL per
   * org tree, decided by the gate per tree and combined.
   */
  private async monthCells(
    groupId: string,
    rootId: string,
    instrumentId: InstrumentId,
    from: Date,
    to: Date,
    now: Date,
    opts: { dimensions: string[]; fromCycleStats?: boolean; version?: string },
  ): Promise<
    {
      month: string;
      final: boolean;
      teams: number;
      invited: number;
      k: number;
      otherVersions: number;
      bag: StatBag;
      decision: GateDecision;
    }[]
  > {
    const read = () =>
      this.repo.groupMonthCells(instrumentId, groupId, from, to, opts.dimensions, {
        fromCycleStats: opts.fromCycleStats,
        version: opts.version as never,
      });
    // Sealed months are read before the cells (see computeComparison).
    const sealed = await this.disclosure.sealForView(instrumentId, [rootId], from, now);
    let cells = await read();
    const otherRoots = [...new Set(cells.map((c) => c.rootId))].filter((r) => r !== rootId);
    if (otherRoots.length > 0) {
      for (const key of await this.disclosure.sealForView(instrumentId, otherRoots, from, now))
        sealed.add(key);
      cells = await read();
    }
    const isOpen = (c: GroupMonthCellRow) => !sealed.has(`${c.rootId}|${c.month}`);
    const ledgerKeys: string[] = [];
    const first = cells.map((c) => {
      const d = decideFromCounts({ periodOpen: isOpen(c), open: 0, n: c.n, k: c.k, hidden: c.hidden });
      if (d !== 'ledger') return d;
      const key = groupMonthKey(c.rootId, groupId, c.month);
      ledgerKeys.push(key);
      return key;
    });
    const recorded = await this.disclosure.recorded(instrumentId, ledgerKeys);
    const byMonth = groupBy(
      cells.map((c, i) => ({ c, d: first[i]! })),
      ({ c }) => c.month,
    );
    return [...byMonth].map(([month, parts]) => ({
      month,
      final: parts.every(({ c }) => !isOpen(c)),
      teams: parts.reduce((s, { c }) => s + c.teams, 0),
      invited: parts.reduce((s, { c }) => s + c.invited, 0),
      k: Math.max(...parts.map(({ c }) => c.k)),
      otherVersions: parts.reduce((s, { c }) => s + c.otherVersions, 0),
      bag: mergeBags(...parts.map(({ c }) => bagFrom(c.stats))),
      decision: combine(
        parts.map(({ d }) => (typeof d === 'string' ? (recorded.get(d) ?? NOT_RECORDED) : d)),
      ),
    }));
  }
}

/** A group cell of a sealed month that needs the ledger and has no record: never released. */
const NOT_RECORDED: GateDecision = { released: false, reason: 'would-reveal' };

/** A team row's cell: its cycle of the month, released exactly as on the team's own trend. */
function teamCycleDecision(r: MonthRow): GateDecision {
  const facts = { n: r.n, k: r.k, invited: r.invited, closed: true };
  const d = decideWithoutLedger({ key: r.cycleId, cycles: [r.cycleId] }, (id) =>
    id === r.cycleId ? facts : undefined,
  );
  // A cycle alone never needs the ledger: n ≥ k makes it known, n < k suppresses it.
  return d === 'ledger' ? NOT_RECORDED : d;
}

function factsOf(rows: MonthRow[]) {
  const facts = new Map(rows.map((r) => [r.cycleId, { n: r.n, k: r.k, invited: r.invited, closed: true }]));
  return (id: string) => facts.get(id);
}

function row(
  kind: 'group' | 'team',
  id: string,
  name: string,
  parentId: string | null,
  depth: number,
  cycleId: string | null,
  decision: GateDecision,
  bag: StatBag,
  invited: number,
  dimensions: DimensionInfo[],
): ComparisonRow {
  const n = responsesIn(bag);
  const scores: Record<string, Cell<ComparisonEstimate>> = {};
  for (const dim of dimensions) {
    const e = decision.released ? estimateDimension(dim, bag, invited) : null;
    const favourable = favourableCell(decision, dim.id, bag);
    scores[dim.id] = releaseCell(requireAlso(decision, e !== null, 'below-k'), () => ({
      n: e!.n,
      mean: e!.mean,
      lower: e!.lower,
      upper: e!.upper,
      test: null,
      ...(favourable && { favourable }),
    })) as Cell<ComparisonEstimate>;
  }
  return {
    kind,
    id,
    name,
    parentId,
    depth,
    cycleId,
    participation: releaseCell(decision, () => participation(n, invited)),
    scores,
  };
}

function idleTeamRow(
  t: TeamNodeRow,
  parentId: string,
  depth: number,
  dimensions: DimensionInfo[],
): ComparisonRow {
  const none: GateDecision = { released: false, reason: 'below-k' };
  return row('team', t.id, t.name, parentId, depth, null, none, new Map(), 0, dimensions);
}

/** Statistics rows added up. */
function bagFrom(rows: StatsRow[]): StatBag {
  const bag: StatBag = new Map();
  for (const r of rows) addToBag(bag, r.dimension, r);
  return bag;
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

function participation(n: number, invited: number): Participation {
  return { n, invited, rate: invited > 0 ? n / invited : 0 };
}

/** The last `months` calendar months (UTC) up to and including the current one. */
export function lastMonths(now: Date, months: number): [Date, Date] {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1, 1));
  return [from, to];
}

/**
 * A read started before it is awaited, to overlap with others. If something awaited first fails,
 * this one's own failure is already handled (no unhandled rejection); awaiting it still throws.
 */
function early<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}
