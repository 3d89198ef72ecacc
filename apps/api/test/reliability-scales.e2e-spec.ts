import type { ReliabilityResponse } from '@candor/contracts';
import type { Answers } from '@candor/instruments';
import { CycleService } from '../src/surveys/cycle.service';
import { closedCycle, director, getter, monthStart, numbersIn, period } from './analytics-helpers';
import { makeGroup, makeTeam, makeUser } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * Raw answers (one string per response, one digit per item in instrument order), generated once
 * with numpy (default_rng(20261127): a latent trust factor for credibility, reliability and
 * intimacy, self-orientation loading against it plus a factor of its own; psych safety with
 * ps1, ps3 and ps5 worded negatively).
 *
 * The expected α values come from numpy 2.4.6, independently of this code base, on the raw matrix:
 *   α = k/(k−1)·(1 − Σ m[:, j].var(ddof=1) / m.sum(axis=1).var(ddof=1))
 * over each subscale's columns (psych safety: all 7 columns after m[:, [0, 2, 4]] = 8 − m[:, …]),
 * cross-checked against Hoyt's ANOVA form 1 − MS_error/MS_respondents (agree to 1e-12).
 * For contrast, the same script gives α = 0.7063 over all 12 trust statements as they were
 * answered (the old, meaningless figure) and α = −0.378 for psych safety left unreversed.
 */
const TRUST = [
  '343413424444',
  '575546555324',
  '254545352556',
  '456665754434',
  '432214433674',
  '765766677332',
  '665444445565',
  '554554344233',
  '425444454456',
  '534445556556',
  '444554443111',
  '575647776331',
  '555654555112',
  '253444454543',
  '454553446534',
  '354443343336',
  '566767576214',
  '465564444434',
  '766765767352',
  '464545454355',
  '665655566222',
  '345446445424',
  '455546575344',
  '567556676222',
  '245456556443',
  '443443442556',
  '546354342234',
  '313323344443',
  '333434442333',
  '546455563111',
  '656676666132',
  '655665564333',
];
const PS = [
  '3626356',
  '5435356',
  '2526175',
  '3344453',
  '1645165',
  '2637156',
  '4443342',
  '4343442',
  '5626654',
  '4545335',
  '4345434',
  '3325155',
  '2425245',
  '2334245',
  '4464654',
  '3433444',
  '5354525',
  '4553415',
  '2337544',
  '4634444',
  '5445453',
  '3644356',
  '2625245',
  '4463431',
  '3717355',
  '1717177',
  '2535544',
  '1717277',
  '3736365',
  '6545634',
  '4443434',
];
const TRUST_ALPHA = {
  credibility: 0.730132450331126,
  reliability: 0.7923092532467532,
  intimacy: 0.8295624614842857,
  self_orientation: 0.8464314900572052,
};
const PS_ALPHA = 0.8779375822523031;

const TRUST_ITEMS = ['cr1', 'cr2', 'cr3', 're1', 're2', 're3', 'in1', 'in2', 'in3', 'so1', 'so2', 'so3'];
const PS_ITEMS = ['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6', 'ps7'];

function answers(rows: string[], items: string[]): Answers[] {
  return rows.map((row) => Object.fromEntries(items.map((id, j) => [id, Number(row[j])])));
}

describe('reliability: Cronbach’s α per scale (GET /api/groups/:groupId/reliability)', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  /** Group G with teams A and B (k = 5): a month with all answers split over both, an earlier one with 10. */
  async function org(version: 'trust-equation@1' | 'psych-safety@1', rows: string[], items: string[]) {
    const root = await makeGroup(t.ds);
    const a = await makeTeam(t.ds, 2, root);
    const b = await makeTeam(t.ds, 2, root);
    const d = await makeUser(t.ds);
    await director(t.ds, d.id, root);
    const all = answers(rows, items);
    const when = monthStart(1);
    const opts = (n: number) => ({ k: 5, invited: n + 1, version });
    await closedCycle(t.ds, cycles, a.teamId, when, all.slice(0, 20), opts(20));
    await closedCycle(t.ds, cycles, b.teamId, when, all.slice(20), opts(all.length - 20));
    await closedCycle(t.ds, cycles, a.teamId, monthStart(2), all.slice(0, 10), opts(10));
    return { root, d, when };
  }

  it('reports the trust equation per component, each against numpy, and never over all 12 statements', async () => {
    const o = await org('trust-equation@1', TRUST, TRUST_ITEMS);
    const res = await get(o.d.email, `/api/groups/${o.root}/reliability?instrument=trust-equation&months=4`);
    expect(res.status).toBe(200);
    const body = res.body as ReliabilityResponse;
    expect(body.scales).toEqual([
      { id: 'credibility', label: 'Credibility', items: ['cr1', 'cr2', 'cr3'], reversed: [] },
      { id: 'reliability', label: 'Reliability', items: ['re1', 're2', 're3'], reversed: [] },
      { id: 'intimacy', label: 'Intimacy', items: ['in1', 'in2', 'in3'], reversed: [] },
      { id: 'self_orientation', label: 'Self-orientation', items: ['so1', 'so2', 'so3'], reversed: [] },
    ]);
    expect(body.points.map((p) => p.period)).toEqual([period(monthStart(2)), period(o.when)]);
    const [early, latest] = body.points;
    // 10 answers: every scale withheld, with no number; no single α for the whole instrument.
    for (const s of early!.scales) expect(s.alpha).toEqual({ status: 'suppressed', reason: 'below-minimum' });
    expect(numbersIn(early!.scales)).toEqual([]);
    expect(early!.alpha).toBeUndefined();
    expect(latest!.alpha).toBeUndefined();
    expect(latest!.scales.map((s) => s.scale)).toEqual(Object.keys(TRUST_ALPHA));
    for (const s of latest!.scales) {
      expect(s.alpha).toMatchObject({ status: 'released', n: 32 });
      if (s.alpha.status !== 'released') throw new Error('expected released');
      expect(s.alpha.alpha).toBeCloseTo(TRUST_ALPHA[s.scale as keyof typeof TRUST_ALPHA], 10);
    }
  });

  it('reports psych safety as one scale with its negatively worded items reversed', async () => {
    const o = await org('psych-safety@1', PS, PS_ITEMS);
    const res = await get(o.d.email, `/api/groups/${o.root}/reliability?instrument=psych-safety&months=4`);
    expect(res.status).toBe(200);
    const body = res.body as ReliabilityResponse;
    expect(body.scales).toEqual([
      { id: 'psych_safety', label: 'Psychological safety', items: PS_ITEMS, reversed: ['ps1', 'ps3', 'ps5'] },
    ]);
    const latest = body.points[1]!;
    expect(latest.scales).toHaveLength(1);
    const cell = latest.scales[0]!.alpha;
    expect(cell).toMatchObject({ status: 'released', n: 31 });
    if (cell.status !== 'released') throw new Error('expected released');
    expect(cell.alpha).toBeCloseTo(PS_ALPHA, 10);
    // The single-α field older clients read is the same cell.
    expect(latest.alpha).toEqual(cell);
    expect(body.points[0]!.alpha).toEqual({ status: 'suppressed', reason: 'below-minimum' });
  });
});
