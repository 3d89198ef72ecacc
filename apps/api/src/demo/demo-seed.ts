import { randomBytes } from 'node:crypto';
import { type DataSource } from 'typeorm';
import {
  INSTRUMENT_IDS,
  type ActionStatus,
  type InstrumentId,
  type InstrumentVersion,
} from '@candor/contracts';
import {
  CURRENT_VERSION,
  findPlay,
  getInstrument,
  PLAYS_VERSION,
  SCALE_MAX,
  SCALE_MIN,
  type Answers,
} from '@candor/instruments';
import { seededRandom as rng, standardNormal as normal } from '@candor/stats';
import { type AppConfig } from '../config/config';
import { hashPassword } from '../auth/passwords';
import { generateCycleKeyPair } from '../responses/blind-signing';
import { SealingService } from '../sealing/sealing.service';
import { CycleService } from '../surveys/cycle.service';
import { CLOSE_BATCH } from '../surveys/scheduler.service';

/**
 * The demo organisation: a few groups, ten teams of 3–12 people (some below k so suppression
 * shows), the schedules that ran them (team schedules in Product Engineering, group schedules in
 * Platform), 26 weekly closed cycles of both instruments with drifting data, and this week's open
 * cycles. It shows what the product is for: Search had a real, significant drop in its latest
 * cycle; Checkout started a play that worked; a few actions with owners and every kind of outcome.
 * Loaded on the first start of an empty embedded database and by `npm run seed:demo`. Never in
 * production mode.
 */
export const DEMO_ORG = 'Acme Engineering';
export const DEMO_WEEKS = 26;

export interface DemoAccount {
  email: string;
  role: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@example.com', role: 'admin (configuration, no extra access to results)' },
  { email: 'director@example.com', role: 'director of Product Engineering' },
  { email: 'lead@example.com', role: 'tech lead of Checkout (9 people)' },
  { email: 'engineer@example.com', role: 'engineer on Checkout' },
];

interface TeamSpec {
  name: string;
  group: string;
  size: number;
  /** latent psychological safety at the start, and its drift per week */
  ps: number;
  psDrift: number;
  /** latent trust components at the start */
  trust: { c: number; r: number; i: number; s: number };
  participation: number;
  /**
   * Something that happened to the team: from the cycle `weeksAgo` weeks before this week on, its
   * latent levels shift by these amounts (and stay shifted).
   */
  events?: { weeksAgo: number; ps?: number; c?: number; r?: number; i?: number; s?: number }[];
}

/** What a team decided to do, and how it went. */
interface ActionSpec {
  team: string;
  dimension: string;
  /** A play of the catalogue (`<dimension>/<slug>`); the action takes its title as text. */
  play?: string;
  text?: string;
  /** Started on the Monday of the cycle this many weeks before this week (0: this week). */
  weeksAgo: number;
  /** Index in the team's member list (0 is the lead); null for no owner. */
  owner: number | null;
  /** Due this many days after the start. */
  dueInDays: number | null;
  status: ActionStatus;
}

const GROUPS: { name: string; parent: string | null }[] = [
  { name: DEMO_ORG, parent: null },
  { name: 'Product Engineering', parent: DEMO_ORG },
  { name: 'Platform', parent: DEMO_ORG },
  { name: 'Payments', parent: 'Product Engineering' },
  { name: 'Growth', parent: 'Product Engineering' },
  { name: 'Infrastructure', parent: 'Platform' },
  { name: 'Developer Experience', parent: 'Platform' },
];

// One entry per demo team, every entry the same shape on purpose: this is data, read by the seed.
const TEAMS: TeamSpec[] = [
  {
    name: 'Checkout',
    group: 'Payments',
    size: 9,
    ps: 4.6,
    psDrift: 0.035,
    trust: { c: 5.2, r: 4.8, i: 4.9, s: 3.4 },
    participation: 0.85,
    // The team started "Warn early" (see DEMO_ACTIONS): reliability went up and stayed up.
    events: [{ weeksAgo: 10, r: 1.3 }],
  },
  {
    name: 'Billing',
    group: 'Payments',
    size: 7,
    ps: 5.4,
    psDrift: -0.01,
    trust: { c: 5.6, r: 5.5, i: 5.2, s: 2.6 },
    participation: 0.8,
  },
  {
    name: 'Fraud',
    group: 'Payments',
    size: 4,
    ps: 5.0,
    psDrift: 0,
    trust: { c: 5.0, r: 5.1, i: 4.7, s: 3.0 },
    participation: 0.9,
  },
  {
    name: 'Onboarding',
    group: 'Growth',
    size: 6,
    ps: 5.8,
    psDrift: -0.03,
    trust: { c: 5.9, r: 5.6, i: 5.8, s: 2.2 },
    participation: 0.8,
  },
  {
    name: 'Experiments',
    group: 'Growth',
    size: 3,
    ps: 5.2,
    psDrift: 0.01,
    trust: { c: 5.3, r: 5.0, i: 5.5, s: 2.8 },
    participation: 0.95,
  },
  {
    name: 'Search',
    group: 'Growth',
    size: 12,
    ps: 4.9,
    psDrift: 0.015,
    trust: { c: 5.1, r: 4.6, i: 4.8, s: 3.1 },
    participation: 0.7,
    // A reorganisation landed last week: psychological safety and intimacy fell, for real.
    events: [{ weeksAgo: 1, ps: -1.6, i: -0.9 }],
  },
  {
    name: 'SRE',
    group: 'Infrastructure',
    size: 8,
    ps: 5.1,
    psDrift: 0.02,
    trust: { c: 5.7, r: 5.9, i: 4.9, s: 2.7 },
    participation: 0.75,
  },
  {
    name: 'Data Platform',
    group: 'Infrastructure',
    size: 5,
    ps: 4.7,
    psDrift: 0.005,
    trust: { c: 5.0, r: 4.9, i: 4.5, s: 3.3 },
    participation: 0.85,
  },
  {
    name: 'Build & CI',
    group: 'Developer Experience',
    size: 4,
    ps: 5.5,
    psDrift: -0.005,
    trust: { c: 5.5, r: 5.3, i: 5.1, s: 2.5 },
    participation: 0.8,
  },
  {
    name: 'Developer Portal',
    group: 'Developer Experience',
    size: 10,
    ps: 5.0,
    psDrift: 0.01,
    trust: { c: 5.2, r: 5.0, i: 5.3, s: 2.9 },
    participation: 0.75,
  },
];

/** Schedules: Product Engineering's teams set their own; Platform has one per group. */
const GROUP_SCHEDULED = ['Platform'];

const DEMO_ACTIONS: ActionSpec[] = [
  // The play that worked: reliability rose significantly in the cycle after it started.
  {
    team: 'Checkout',
    dimension: 'reliability',
    play: 'reliability/warn-early',
    weeksAgo: 10,
    owner: 0,
    dueInDays: 28,
    status: 'done',
  },
  // Under way, too early to tell.
  {
    team: 'Checkout',
    dimension: 'self_orientation',
    play: 'self_orientation/credit-others',
    weeksAgo: 1,
    owner: 1,
    dueInDays: 35,
    status: 'doing',
  },
  {
    team: 'Checkout',
    dimension: 'psych_safety',
    text: 'Blameless review after every incident, written up in the team channel',
    weeksAgo: 0,
    owner: 2,
    dueInDays: 21,
    status: 'planned',
  },
  {
    team: 'Billing',
    dimension: 'intimacy',
    play: 'intimacy/honest-talk',
    weeksAgo: 3,
    owner: 0,
    dueInDays: 42,
    status: 'doing',
  },
  {
    team: 'Billing',
    dimension: 'credibility',
    text: 'Architecture decision records for every service change',
    weeksAgo: 14,
    owner: 3,
    dueInDays: 30,
    status: 'dropped',
  },
  // A team smaller than k: no cycle can show a score, so no outcome either.
  {
    team: 'Fraud',
    dimension: 'psych_safety',
    play: 'psych_safety/curious-questions',
    weeksAgo: 6,
    owner: 0,
    dueInDays: 28,
    status: 'doing',
  },
];

const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chloé',
  'Dev',
  'Emeka',
  'Fatima',
  'Gus',
  'Hana',
  'Ivan',
  'Jia',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tomás',
  'Uma',
  'Vik',
  'Wen',
  'Yara',
  'Zane',
];
const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Patel',
  'Nakamura',
  'Haddad',
  'Kowalski',
  'Silva',
  'Mensah',
  'Ibrahim',
  'Novak',
  'Chen',
  'Garcia',
  'Jensen',
  'Rossi',
];

const clampAnswer = (x: number) => Math.min(SCALE_MAX, Math.max(SCALE_MIN, Math.round(x)));

function answersFor(
  instrument: InstrumentVersion,
  latent: Record<string, number>,
  person: number,
  random: () => number,
): Answers {
  const answers: Answers = {};
  for (const item of getInstrument(instrument).items) {
    const centre = item.component ? (latent[item.component] ?? 4) : (latent.ps ?? 4);
    // Self-orientation is "bad when high": a person who feels good about the team rates it lower.
    const tilt = item.component === 'self_orientation' ? -person : person;
    // Item noise against the person's own level (sd 0.5 each): the scales come out about as
    // reliable as published (org-wide α ≈ 0.86 for psychological safety, 0.6–0.8 for the 3-item
    // trust components); with noise 0.75 and people 0.45 the trust components showed 0.38–0.65.
    const agree = clampAnswer(centre + tilt + normal(random) * 0.5);
    answers[item.id] = item.reverse ? SCALE_MIN + SCALE_MAX - agree : agree;
  }
  return answers;
}

/** Monday 09:00 UTC of the current week (the open demo cycle's start). */
function thisMonday(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9));
  const shift = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - shift);
  if (d > now) d.setUTCDate(d.getUTCDate() - 7);
  return d;
}

const DAY = 86_400_000;

export async function demoExists(ds: DataSource): Promise<boolean> {
  const rows: unknown[] = await ds.query('SELECT 1 FROM org_group WHERE name = $1 AND parent_id IS NULL', [
    DEMO_ORG,
  ]);
  return rows.length > 0;
}

export async function databaseIsEmpty(ds: DataSource): Promise<boolean> {
  const rows: { n: number }[] = await ds.query(
    'SELECT (SELECT count(*) FROM app_user)::int + (SELECT count(*) FROM org_group)::int AS n',
  );
  return (rows[0]?.n ?? 0) === 0;
}

/** Loads the demo. Idempotent: returns false and changes nothing when it is already there. */
export async function seedDemo(ds: DataSource, config: AppConfig, now = new Date()): Promise<boolean> {
  if (config.production)
    throw new Error('Demo data is never loaded in production mode (NODE_ENV=production)');
  // One seeder at a time (two processes starting together on one database).
  return ds.transaction(async (lockTx) => {
    await lockTx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['candor:demo-seed']);
    if (await demoExists(ds)) return false;
    await load(ds, config, now);
    return true;
  });
}

async function load(ds: DataSource, config: AppConfig, now: Date): Promise<void> {
  const random = rng(20261126);
  const passwordHash = await hashPassword(config.demo.password);
  const cycles = new CycleService(ds, config, new SealingService(config));

  const groupIds = new Map<string, string>();
  for (const g of GROUPS) {
    const rows: { id: string }[] = await ds.query(
      'INSERT INTO org_group (name, parent_id) VALUES ($1, $2) RETURNING id',
      [g.name, g.parent ? groupIds.get(g.parent) : null],
    );
    groupIds.set(g.name, rows[0]!.id);
  }

  const upsertUser = async (email: string, name: string, isAdmin = false): Promise<string> => {
    const rows: { id: string }[] = await ds.query(
      `INSERT INTO app_user (email, name, password_hash, is_admin) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [email, name, passwordHash, isAdmin],
    );
    return rows[0]!.id;
  };

  await upsertUser('admin@example.com', 'Alex Admin', true);
  const directorId = await upsertUser('director@example.com', 'Dana Director');
  await ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    directorId,
    groupIds.get('Product Engineering'),
  ]);

  let personIndex = 0;
  const teams: { id: string; spec: TeamSpec; members: string[] }[] = [];
  for (const spec of TEAMS) {
    const rows: { id: string }[] = await ds.query(
      'INSERT INTO team (name, group_id) VALUES ($1, $2) RETURNING id',
      [spec.name, groupIds.get(spec.group)],
    );
    const teamId = rows[0]!.id;
    const members: string[] = [];
    for (let i = 0; i < spec.size; i++) {
      let userId: string;
      let role: 'member' | 'lead' = i === 0 ? 'lead' : 'member';
      if (spec.name === 'Checkout' && i === 0) userId = await upsertUser('lead@example.com', 'Lee Lead');
      else if (spec.name === 'Checkout' && i === 1)
        userId = await upsertUser('engineer@example.com', 'Erin Engineer');
      else {
        const first = FIRST_NAMES[personIndex % FIRST_NAMES.length]!;
        const last = LAST_NAMES[Math.floor(personIndex / FIRST_NAMES.length) % LAST_NAMES.length]!;
        personIndex++;
        const slug = `${first}.${last}`
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z.]/g, '');
        userId = await upsertUser(`${slug}@example.com`, `${first} ${last}`);
        role = i === 0 ? 'lead' : 'member';
      }
      await ds.query(
        'INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [userId, teamId, role],
      );
      members.push(userId);
    }
    teams.push({ id: teamId, spec, members });
  }

  // The schedules that ran the history: weekly, Monday 09:00 UTC, open 5 days, k as configured.
  const monday = thisMonday(now);
  const firstWeek = new Date(monday.getTime() - DEMO_WEEKS * 7 * DAY).toISOString().slice(0, 10);
  const scheduleIds = new Map<string, string>();
  const schedule = async (scope: { teamId?: string; groupId?: string }, instrument: InstrumentId) => {
    const rows: { id: string }[] = await ds.query(
      `INSERT INTO schedule (team_id, group_id, instrument, trust_subject, cadence, weekday, hour, timezone,
                             window_days, k, starts_on, active)
       VALUES ($1, $2, $3, $4, 'weekly', 1, 9, 'UTC', 5, $5, $6, true) RETURNING id`,
      [
        scope.teamId ?? null,
        scope.groupId ?? null,
        instrument,
        instrument === 'trust-equation' ? 'team' : null,
        config.defaultK,
        firstWeek,
      ],
    );
    return rows[0]!.id;
  };
  for (const group of GROUP_SCHEDULED) {
    for (const instrument of INSTRUMENT_IDS) {
      scheduleIds.set(`${group}|${instrument}`, await schedule({ groupId: groupIds.get(group) }, instrument));
    }
  }
  const groupParent = new Map(GROUPS.map((g) => [g.name, g.parent]));
  const scheduleOf = async (team: { id: string; spec: TeamSpec }, instrument: InstrumentId) => {
    for (let g: string | null = team.spec.group; g; g = groupParent.get(g) ?? null) {
      const id = scheduleIds.get(`${g}|${instrument}`);
      if (id) return id;
    }
    const key = `${team.id}|${instrument}`;
    if (!scheduleIds.has(key)) scheduleIds.set(key, await schedule({ teamId: team.id }, instrument));
    return scheduleIds.get(key)!;
  };

  // History: one key pair for all demo cycles that are closed straight away (their private key
  // is erased at close and never signs anything); open cycles get fresh keys.
  const historyKeys = await generateCycleKeyPair();
  const toClose: string[] = [];
  for (const team of teams) {
    const { spec } = team;
    let ps = spec.ps;
    const trust = { ...spec.trust };
    const people = team.members.map(() => normal(random) * 0.5);
    const schedules = {
      'psych-safety': await scheduleOf(team, 'psych-safety'),
      'trust-equation': await scheduleOf(team, 'trust-equation'),
    };
    for (let w = DEMO_WEEKS; w >= 1; w--) {
      const opensAt = new Date(monday.getTime() - w * 7 * DAY);
      const closesAt = new Date(opensAt.getTime() + 5 * DAY);
      ps = Math.min(6.6, Math.max(2.5, ps + spec.psDrift + normal(random) * 0.06));
      trust.c += normal(random) * 0.04;
      trust.r += normal(random) * 0.04 + spec.psDrift * 0.5;
      trust.i += normal(random) * 0.04 + spec.psDrift * 0.5;
      trust.s = Math.min(5.5, Math.max(1.5, trust.s - spec.psDrift * 0.6 + normal(random) * 0.04));
      for (const event of spec.events ?? []) {
        if (event.weeksAgo !== w) continue;
        ps += event.ps ?? 0;
        trust.c += event.c ?? 0;
        trust.r += event.r ?? 0;
        trust.i += event.i ?? 0;
        trust.s += event.s ?? 0;
      }
      for (const instrument of INSTRUMENT_IDS) {
        const version = CURRENT_VERSION[instrument];
        const cycle = await cycles.open(
          {
            teamId: team.id,
            scheduleId: schedules[instrument],
            instrument: version,
            trustSubject: 'team',
            opensAt,
            closesAt,
            k: config.defaultK,
            keyPair: historyKeys,
          },
          ds.manager,
        );
        // Eight weeks ago was a holiday week: few people answered, so most teams fall below k
        // and the charts show what suppression looks like.
        const participation = w === 8 ? 0.3 : spec.participation;
        const respondents = team.members.filter(() => random() < participation);
        const latent = {
          ps,
          credibility: trust.c,
          reliability: trust.r,
          intimacy: trust.i,
          self_orientation: trust.s,
        };
        if (respondents.length > 0) {
          await ds.query(
            `INSERT INTO token_issue (cycle_id, user_id, blinded_hash)
             SELECT $1, u, decode(md5(random()::text), 'hex') FROM unnest($2::uuid[]) AS u`,
            [cycle.id, respondents],
          );
          const answers = respondents.map((userId) =>
            JSON.stringify(answersFor(version, latent, people[team.members.indexOf(userId)] ?? 0, random)),
          );
          await ds.query(
            `INSERT INTO response (cycle_id, instrument_version, answers)
             SELECT $1, $2, a FROM unnest($3::jsonb[]) AS a`,
            [cycle.id, version, answers],
          );
        }
        toClose.push(cycle.id);
      }
    }
    // This week's pulses, open now (as the schedules opened them): the demo engineer can answer.
    for (const instrument of INSTRUMENT_IDS) {
      await cycles.open({
        teamId: team.id,
        scheduleId: schedules[instrument],
        instrument: CURRENT_VERSION[instrument],
        trustSubject: 'team',
        opensAt: monday,
        closesAt: new Date(Math.max(monday.getTime() + 5 * DAY, now.getTime() + 3 * DAY)),
        k: config.defaultK,
      });
    }
  }

  // What the teams decided to do, with owners, due dates and where each stands.
  for (const spec of DEMO_ACTIONS) {
    const team = teams.find((t) => t.spec.name === spec.team)!;
    const play = spec.play ? findPlay(`${spec.play}@${PLAYS_VERSION}`) : undefined;
    if (spec.play && !play) throw new Error(`demo action: no play ${spec.play}`);
    const start = new Date(monday.getTime() - spec.weeksAgo * 7 * DAY);
    const date = start.toISOString().slice(0, 10);
    const due =
      spec.dueInDays === null
        ? null
        : new Date(start.getTime() + spec.dueInDays * DAY).toISOString().slice(0, 10);
    await ds.query(
      `INSERT INTO action (team_id, dimension, text, date, created_by, play_key, owner_id, due_date, status,
                           created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [
        team.id,
        spec.dimension,
        play?.title ?? spec.text,
        date,
        team.members[0],
        play?.key ?? null,
        spec.owner === null ? null : team.members[spec.owner],
        due,
        spec.status,
        start,
      ],
    );
  }

  // Close the history through the real close path (statistics, shuffle, key erasure), set-based
  // in batches as the scheduler does.
  for (let i = 0; i < toClose.length; i += CLOSE_BATCH) {
    await cycles.closeMany(toClose.slice(i, i + CLOSE_BATCH));
  }
  await seedComments(ds);
}

/**
 * A few released comments on Checkout's latest closed pulse, and one thread (the lead asked, the
 * writer answered), written as the close writes them: random ids, an order, reply-secret hashes of
 * secrets nobody holds (no demo browser can open these threads), no time but the day of each
 * message. Only if that cycle reached its k_comments. Uses no draw of the seeded random stream,
 * so the demo's numbers stay what they were.
 */
async function seedComments(ds: DataSource): Promise<void> {
  const [cycle]: { id: string; closes_at: Date }[] = await ds.query(
    `SELECT c.id, c.closes_at FROM cycle c JOIN team t ON t.id = c.team_id
      WHERE t.name = 'Checkout' AND c.status = 'closed' AND c.instrument_version = $1
        AND (SELECT count(*) FROM response r WHERE r.cycle_id = c.id) >= c.k_comments
      ORDER BY c.closes_at DESC LIMIT 1`,
    [CURRENT_VERSION['psych-safety']],
  );
  if (!cycle) return;
  const ids: { id: string }[] = await ds.query(
    `INSERT INTO comment (cycle_id, position, body, reply_hash)
     SELECT $1, p, b, h FROM unnest($2::int[], $3::text[], $4::bytea[]) AS u(p, b, h) RETURNING id`,
    [cycle.id, DEMO_COMMENTS.map((_, i) => i + 1), DEMO_COMMENTS, DEMO_COMMENTS.map(() => randomBytes(32))],
  );
  const day = new Date(cycle.closes_at).toISOString().slice(0, 10);
  await ds.query(
    `INSERT INTO comment_message (comment_id, seq, author, body, written_on)
     VALUES ($1, 1, 'lead', $2, $4::date + 1), ($1, 2, 'writer', $3, $4::date + 2)`,
    [
      ids[0]!.id,
      'Thank you for saying this. Would it help if incidents got a written review before anyone discusses who did what?',
      'Yes — and if the review said what we change, not who slipped.',
      day,
    ],
  );
}

const DEMO_COMMENTS = [
  'After the last incident the retro felt like looking for someone to blame. I held back what I knew.',
  'Pairing on the payment refactor was the best week in months. More of that, please.',
  'Planning is rushed: decisions are made before the people doing the work have spoken.',
];
