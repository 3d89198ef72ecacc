import fc from 'fast-check';
import {
  groupMonthCells,
  poolPartition,
  ReleaseGate,
  type GateCycle,
  type RosterCycle,
} from '@candor/disclosure';
import { protectedSetsDetermined } from './oracle';

/**
 * Stateful property test of the release rules over whole histories (fast-check commands): nested
 * groups and teams of 1–12 people; cycles of several cadences, so that a month has several cycles
 * of a team; teams and groups moved; k changed; months sealed when they are over and closed; pooled
 * blocks asked for at any time; everything released to anyone kept, as if all accounts colluded.
 * It drives the same pure pieces as the API — the gate and its ledger, groupMonthCells for a
 * sealed month, poolPartition for a team's blocks — over a model of what the database keeps (a
 * cycle's path frozen when it closes; per org tree and month, each team's latest cycle, frozen once
 * the month is sealed). After each history, everything released is solved exactly by the
 * independent oracle: no set of cycles with 0 < n < k may be determined.
 * (apps/api/test/disclosure-history.e2e-spec.ts runs histories against the real API.)
 */

const MONTH = 30; // days

interface Team {
  id: string;
  group: string;
  size: number;
  k: number;
}

interface SimCycle {
  id: string;
  team: string;
  opensDay: number;
  closesDay: number;
  k: number;
  invited: number;
  n: number;
  closed: boolean;
  path?: string[];
}

class World {
  readonly parent = new Map<string, string | null>([['g0', null]]);
  readonly teams: Team[] = [];
  readonly cycles: SimCycle[] = [];
  readonly facts = new Map<string, GateCycle>();
  readonly gate = new ReleaseGate((id) => this.facts.get(id), []);
  readonly released: string[][] = [];
  /** `root|month` → team → cycle: each team's latest cycle closing in the month. */
  readonly roster = new Map<string, Map<string, SimCycle>>();
  readonly sealed = new Set<string>();
  readonly decidedPools = new Set<string>();
  day = 0;
  private nextId = 0;

  id(prefix: string): string {
    return `${prefix}${String(this.nextId++).padStart(4, '0')}`;
  }

  get groupIds(): string[] {
    return [...this.parent.keys()];
  }

  path(group: string): string[] {
    const out: string[] = [];
    for (let g: string | null | undefined = group; g; g = this.parent.get(g)) out.unshift(g);
    return out;
  }

  /** Closes every cycle due by now, in order, then seals the months that are over and closed. */
  advance(days: number): void {
    this.day += days;
    const due = this.cycles
      .filter((c) => !c.closed && c.closesDay <= this.day)
      .sort((a, b) => a.closesDay - b.closesDay || a.id.localeCompare(b.id));
    for (const c of due) this.close(c);
    this.seal();
  }

  private close(c: SimCycle): void {
    const team = this.teams.find((t) => t.id === c.team)!;
    c.closed = true;
    c.path = this.path(team.group);
    this.facts.set(c.id, { n: c.n, k: c.k, invited: c.invited, closed: true });
    const key = `${c.path[0]}|${Math.floor(c.closesDay / MONTH)}`;
    if (this.sealed.has(key)) return; // closed into a sealed month: its own trend only
    const month = this.roster.get(key) ?? new Map<string, SimCycle>();
    const best = month.get(c.team);
    if (!best || c.closesDay > best.closesDay || (c.closesDay === best.closesDay && c.id > best.id))
      month.set(c.team, c);
    this.roster.set(key, month);
  }

  private seal(): void {
    for (const [key, month] of this.roster) {
      if (this.sealed.has(key)) continue;
      const [root, m] = key.split('|') as [string, string];
      if ((Number(m) + 1) * MONTH > this.day) continue;
      const waiting = this.cycles.some(
        (c) =>
          !c.closed &&
          Math.floor(c.closesDay / MONTH) === Number(m) &&
          this.path(this.teams.find((t) => t.id === c.team)!.group)[0] === root,
      );
      if (waiting) continue;
      this.sealed.add(key);
      // As the API: a cycle of fewer invited than its k never counts in a group cell.
      const roster: RosterCycle[] = [...month.values()]
        .filter((c) => c.invited >= c.k)
        .map((c) => ({
          cycleId: c.id,
          path: c.path!,
          n: c.n,
        }));
      for (const cell of groupMonthCells(root, m, roster)) this.decide(cell.cycles);
    }
  }

  /** A lead opens the pooled view: every complete block not decided yet goes through the gate. */
  viewPools(teamId: string): void {
    const cycles = this.cycles
      .filter((c) => c.team === teamId)
      .sort((a, b) => a.closesDay - b.closesDay || a.id.localeCompare(b.id));
    for (const block of poolPartition(cycles).blocks) {
      const ids = block.cycles.filter((c) => c.invited >= c.k).map((c) => c.id);
      const key = block.cycles.map((c) => c.id).join('+');
      if (this.decidedPools.has(key)) continue;
      this.decidedPools.add(key);
      this.decide(ids);
    }
  }

  private decide(cycles: readonly string[]): void {
    if (this.gate.decide({ key: '', cycles }).released) this.released.push([...cycles]);
  }
}

type Cmd = fc.Command<World, World>;

class AddGroup implements Cmd {
  constructor(readonly parentPick: number) {}
  check = () => true;
  run(w: World): void {
    const groups = w.groupIds;
    w.parent.set(w.id('g'), groups[this.parentPick % groups.length]!);
  }
  toString = () => `AddGroup(${this.parentPick})`;
}

class AddTeam implements Cmd {
  constructor(
    readonly groupPick: number,
    readonly size: number,
    readonly k: number,
  ) {}
  check = (w: Readonly<World>) => w.teams.length < 7;
  run(w: World): void {
    const groups = w.groupIds;
    w.teams.push({
      id: w.id('t'),
      group: groups[this.groupPick % groups.length]!,
      size: this.size,
      k: this.k,
    });
  }
  toString = () => `AddTeam(${this.groupPick}, ${this.size}, k=${this.k})`;
}

class MoveTeam implements Cmd {
  constructor(
    readonly teamPick: number,
    readonly groupPick: number,
  ) {}
  check = (w: Readonly<World>) => w.teams.length > 0;
  run(w: World): void {
    const groups = w.groupIds;
    w.teams[this.teamPick % w.teams.length]!.group = groups[this.groupPick % groups.length]!;
  }
  toString = () => `MoveTeam(${this.teamPick}, ${this.groupPick})`;
}

class MoveGroup implements Cmd {
  constructor(
    readonly groupPick: number,
    readonly parentPick: number,
  ) {}
  check = (w: Readonly<World>) => w.parent.size > 2;
  run(w: World): void {
    const groups = w.groupIds.filter((g) => g !== 'g0');
    const g = groups[this.groupPick % groups.length]!;
    const candidates = w.groupIds.filter((p) => !w.path(p).includes(g));
    w.parent.set(g, candidates[this.parentPick % candidates.length]!);
  }
  toString = () => `MoveGroup(${this.groupPick}, ${this.parentPick})`;
}

class SetK implements Cmd {
  constructor(
    readonly teamPick: number,
    readonly k: number,
  ) {}
  check = (w: Readonly<World>) => w.teams.length > 0;
  run(w: World): void {
    w.teams[this.teamPick % w.teams.length]!.k = this.k;
  }
  toString = () => `SetK(${this.teamPick}, ${this.k})`;
}

/** A cycle opens now for a team (weekly cadence: 7 days, biweekly: 14, …) and closes later. */
class OpenCycle implements Cmd {
  constructor(
    readonly teamPick: number,
    readonly window: number,
    readonly share: number,
  ) {}
  check = (w: Readonly<World>) => w.teams.length > 0 && w.cycles.length < 60;
  run(w: World): void {
    const team = w.teams[this.teamPick % w.teams.length]!;
    const n = Math.round(this.share * team.size);
    w.cycles.push({
      id: w.id('c'),
      team: team.id,
      opensDay: w.day,
      closesDay: w.day + this.window,
      k: team.k,
      invited: team.size,
      n,
      closed: false,
    });
  }
  toString = () => `OpenCycle(${this.teamPick}, ${this.window}d, ${this.share.toFixed(2)})`;
}

class Advance implements Cmd {
  constructor(readonly days: number) {}
  check = () => true;
  run(w: World): void {
    w.advance(this.days);
  }
  toString = () => `Advance(${this.days})`;
}

class ViewPools implements Cmd {
  constructor(readonly teamPick: number) {}
  check = (w: Readonly<World>) => w.teams.length > 0;
  run(w: World): void {
    w.viewPools(w.teams[this.teamPick % w.teams.length]!.id);
  }
  toString = () => `ViewPools(${this.teamPick})`;
}

const pick = fc.nat(50);
/** The share of the team that answers: mostly half or more, sometimes nobody. */
const share = fc.integer({ min: 0, max: 10 }).map((x) => x / 10);
const commands = fc.commands(
  [
    pick.map((p) => new AddGroup(p)),
    fc
      .tuple(pick, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 3, max: 7 }))
      .map(([g, s, k]) => new AddTeam(g, s, k)),
    fc.tuple(pick, pick).map(([t, g]) => new MoveTeam(t, g)),
    fc.tuple(pick, pick).map(([g, p]) => new MoveGroup(g, p)),
    fc.tuple(pick, fc.integer({ min: 3, max: 7 })).map(([t, k]) => new SetK(t, k)),
    fc.tuple(pick, fc.constantFrom(3, 5, 7, 7, 14), share).map(([t, d, s]) => new OpenCycle(t, d, s)),
    fc.tuple(pick, fc.constantFrom(3, 5, 7, 7, 14), share).map(([t, d, s]) => new OpenCycle(t, d, s)),
    fc.integer({ min: 1, max: 20 }).map((d) => new Advance(d)),
    pick.map((t) => new ViewPools(t)),
  ],
  { maxCommands: 90, size: 'max' },
);

describe('release rules over whole histories', () => {
  it('no set of cycles with 0 < n < k is ever determined by everything released (2,500 histories)', () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const world = new World();
        fc.modelRun(() => ({ model: world, real: world }), cmds);
        // Let every open cycle close and every month seal, then every lead looks at the pools.
        world.advance(3 * MONTH);
        for (const team of world.teams) world.viewPools(team.id);
        expect(protectedSetsDetermined(world.facts, world.released)).toEqual([]);
      }),
      { numRuns: 2_500 },
    );
  });

  it('the histories exercise the ledger, and it refuses only what would really reveal a small set', () => {
    let gated = 0;
    let refused = 0;
    fc.assert(
      fc.property(commands, (cmds) => {
        const world = new World();
        const decide = world.gate.decide.bind(world.gate);
        world.gate.decide = (cell) => {
          const d = decide(cell);
          if (d.fromLedger) {
            gated++;
            if (!d.released) {
              refused++;
              expect(
                protectedSetsDetermined(world.facts, [...world.released, [...cell.cycles]]).length,
              ).toBeGreaterThan(0);
            }
          }
          return d;
        };
        fc.modelRun(() => ({ model: world, real: world }), cmds);
        world.advance(3 * MONTH);
        for (const team of world.teams) world.viewPools(team.id);
      }),
      { numRuns: 300 },
    );
    expect(refused).toBeGreaterThan(100);
    expect(gated - refused).toBeGreaterThan(100);
  });
});
