import request from 'supertest';
import type { PooledTrendResponse, TeamTrendResponse } from '@candor/contracts';
import { getInstrument, scoreResponse, type Answers } from '@candor/instruments';
import { addObservation, emptyMoments, pooledMeanEstimate, type Moments } from '@candor/stats';
import { CycleService } from '../src/surveys/cycle.service';
import { closedCycle, DAY, getter, monthStart, psAnswers, psVaried } from './analytics-helpers';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const PSYCH = getInstrument('psych-safety@1');

function momentsOf(answers: Answers[]): Moments {
  return answers.reduce(
    (m, a) => addObservation(m, scoreResponse(PSYCH, a).dimensions.psych_safety!),
    emptyMoments(),
  );
}

/**
 * Issue 13, honest numbers from the server: the pooled trend's interval allows for the same people
 * answering in every pooled cycle (its design effect in the response), and each action on the
 * trend carries whether it worked, computed by the API with `actionOutcome` from @candor/stats.
 */
describe('pooled design effect and action outcomes, from the API', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  it('widens a pooled interval by the design effect of repeated respondents and says by how much', async () => {
    // 4 invited, k = 4: blocks of 2 cycles; 4 and 3 answers.
    const team = await makeTeam(t.ds, 4);
    const start = Date.UTC(2025, 8, 1, 9);
    const first = [0, 1, 2, 3].map((i) => psVaried(5, i));
    const second = [4, 5, 6].map((i) => psVaried(4, i));
    await closedCycle(t.ds, cycles, team.teamId, new Date(start), first, { k: 3, invited: 4 });
    await closedCycle(t.ds, cycles, team.teamId, new Date(start + 7 * DAY), second, { k: 3, invited: 4 });
    const pooled = (await get(team.lead.email, `/api/teams/${team.teamId}/trend/pooled`))
      .body as PooledTrendResponse;
    expect(pooled.points).toHaveLength(1);
    const cell = pooled.points[0]!.scores.psych_safety!;
    if (cell.status !== 'released') throw new Error(`suppressed: ${JSON.stringify(cell)}`);
    // Σ_c Σ_d min(n_c, n_d) / n = (4 + 3 + 3 + 3) / 7.
    expect(cell.designEffect).toBeCloseTo(13 / 7, 12);
    const expected = pooledMeanEstimate([momentsOf(first), momentsOf(second)], {
      bounds: { min: 1, max: 7 },
    })!;
    expect(cell.n).toBe(7);
    expect(cell.mean).toBeCloseTo(expected.mean, 12);
    expect(cell.lower).toBeCloseTo(expected.lower, 12);
    expect(cell.upper).toBeCloseTo(expected.upper, 12);
    // Wider than the interval that treats the 7 answers as 7 people.
    expect(expected.se).toBeGreaterThan(expected.seNaive);
    // The trust index and every other dimension carry one too.
    const trustTeam = await makeTeam(t.ds, 3);
    const trust = (v: number) => ({
      ...Object.fromEntries(
        ['cr1', 'cr2', 'cr3', 're1', 're2', 're3', 'in1', 'in2', 'in3'].map((id) => [id, v]),
      ),
      so1: 8 - v,
      so2: 8 - v,
      so3: 3,
    });
    for (const c of [0, 1]) {
      await closedCycle(
        t.ds,
        cycles,
        trustTeam.teamId,
        new Date(start + c * 7 * DAY),
        [trust(5), trust(6), trust(4)],
        {
          k: 3,
          invited: 3,
          version: 'trust-equation@1',
        },
      );
    }
    const te = (
      await get(trustTeam.lead.email, `/api/teams/${trustTeam.teamId}/trend/pooled?instrument=trust-equation`)
    ).body as PooledTrendResponse;
    for (const dim of te.dimensions) {
      const c = te.points[0]!.scores[dim.id]!;
      expect(c.status === 'released' && c.designEffect).toBeCloseTo(2, 12);
    }
  });

  it('tells on the trend whether each action worked: it worked, waiting, too few answers to tell', async () => {
    const team = await makeTeam(t.ds, 4);
    await closedCycle(t.ds, cycles, team.teamId, monthStart(4), [3, 3, 4, 2, 3, 4].map(psAnswers), {
      k: 3,
      invited: 8,
    });
    // Two answers in the month after: below k, so nothing to compare yet.
    await closedCycle(t.ds, cycles, team.teamId, monthStart(3), [6, 6].map(psAnswers), { k: 3, invited: 8 });
    await closedCycle(t.ds, cycles, team.teamId, monthStart(2), [5, 6, 5, 6, 6, 5].map(psAnswers), {
      k: 3,
      invited: 8,
    });
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const post = (date: string, text: string) =>
      request(t.http)
        .post(`/api/teams/${team.teamId}/actions`)
        .set('Authorization', `Bearer ${lead}`)
        .send({ dimension: 'psych_safety', text, date })
        .expect(201);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    await post(day(new Date(monthStart(4).getTime() + 10 * DAY)), 'Blameless reviews');
    await post(day(new Date(monthStart(1).getTime())), 'Ask curious questions');
    await post(day(new Date(monthStart(5).getTime())), 'Before any result');

    const trend = (await get(team.lead.email, `/api/teams/${team.teamId}/trend?instrument=psych-safety`))
      .body as TeamTrendResponse;
    const byText = new Map(trend.actions!.map((a) => [a.text, a]));
    const worked = byText.get('Blameless reviews')!;
    expect(worked.outcome).toMatchObject({
      verdict: 'worked',
      beforeCycleId: trend.points[0]!.cycleId,
      // The latest released one among the first follow-ups (the suppressed one is skipped).
      afterCycleId: trend.points[2]!.cycleId,
      followUpsLeft: 1,
    });
    expect(worked.outcome!.change?.significant).toBe(true);
    expect(worked.outcome!.change!.delta).toBeGreaterThan(0);
    expect(byText.get('Ask curious questions')!.outcome).toMatchObject({
      verdict: 'waiting',
      afterCycleId: null,
      followUpsLeft: 3,
    });
    // No released cycle before it: too few answers to tell.
    expect(byText.get('Before any result')!.outcome).toMatchObject({
      verdict: 'too-few-answers',
      beforeCycleId: null,
    });
  });
});
