import type {
  ItemBreakdownResponse,
  PooledTrendResponse,
  ScoreEstimate,
  TeamTrendResponse,
  UserSummary,
} from '@candor/contracts';
import type { Locator, Page } from 'playwright-core';
import { useDemoApp } from './harness';
import { auditPage } from './quality';

/**
 * The walking skeleton in a real browser, on the demo data: the demo lead signs in, opens the
 * team page and sees the psychological-safety trend with n, the interval and suppressed cycles.
 */
describe('demo lead sees the team trend (Chromium)', () => {
  const demo = useDemoApp();

  it('signs in, opens Checkout, reads the numbers off the chart (every page: axe, 360 and 1440 px)', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${demo.app.baseUrl}/login`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await auditPage(page, 'login');
      await demo.signIn(page, 'lead@example.com');
      await page.getByRole('heading', { name: 'Hello, Lee' }).waitFor();
      await auditPage(page, 'lead-home');

      await page
        .getByRole('link', { name: /Checkout/ })
        .first()
        .click();
      await page.waitForURL(/\/teams\//);
      const figure = page
        .locator('figure', { has: page.getByRole('heading', { name: 'Psychological safety' }) })
        .first();
      await figure.locator('.recharts-surface').first().waitFor();

      // What the server released, fetched with the same session cookie the page uses.
      const teamId = page.url().split('/teams/')[1]!.split(/[?#]/)[0]!;
      const trend = (await page.evaluate(
        (id) => fetch(`/api/teams/${id}/trend?instrument=psych-safety`).then((r) => r.json()),
        teamId,
      )) as TeamTrendResponse;
      expect(trend.points.length).toBe(26);
      const released = trend.points.filter((p) => p.scores.psych_safety?.status === 'released');
      const suppressed = trend.points.filter((p) => p.scores.psych_safety?.status === 'suppressed');
      expect(suppressed.length).toBeGreaterThanOrEqual(1);
      const latest = released.at(-1)!.scores.psych_safety as ScoreEstimate;

      // The headline: the latest released mean, its n and k as the page prints them.
      const headline = figure.locator('.figure__latest');
      await expect(headline.locator('.figure__latest-value').textContent()).resolves.toBe(
        latest.mean.toFixed(2),
      );
      await expect(headline.textContent()).resolves.toMatch(new RegExp(`n = ${latest.n} of \\d+ · k = 5`));

      // The accessible table: one row per cycle, suppressed rows say so and carry no number.
      // The tooltip of the latest cycle: mean, interval, n of invited, k.
      // Hover the latest cycle's mark: its dot, or its grey column when it was suppressed.
      const lastPoint = trend.points.at(-1)!.scores.psych_safety!;
      const mark =
        lastPoint.status === 'released'
          ? figure.locator('.recharts-line-dots').first().locator('circle').last()
          : figure.getByTestId('suppressed-marker').last();
      await mark.scrollIntoViewIfNeeded();
      const box = (await mark.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const tooltip = figure.locator('.chart-tooltip');
      await tooltip.waitFor();
      const tip = (await tooltip.textContent())!;
      if (lastPoint.status === 'released') {
        expect(tip).toContain(lastPoint.mean.toFixed(2));
        expect(tip).toContain(`${lastPoint.lower.toFixed(2)}–${lastPoint.upper.toFixed(2)}`);
        expect(tip).toMatch(new RegExp(`n = ${lastPoint.n} of \\d+ invited`));
      } else {
        expect(tip).toContain('No score is shown');
      }
      expect(tip).toContain('k = 5');

      await figure.getByRole('button', { name: 'Show data table' }).click();
      const rows = figure.locator('table tbody tr');
      await expect(rows.count()).resolves.toBe(26);
      const suppressedRows = figure.locator('tr.data-table__row--suppressed');
      await expect(suppressedRows.count()).resolves.toBe(suppressed.length);
      await expect(suppressedRows.first().textContent()).resolves.toContain('Suppressed (n < k)');
      await expect(rows.last().textContent()).resolves.toContain(latest.mean.toFixed(2));

      // The plain-language summary says "real change" only when the API flagged it significant,
      // and speaks without p-values.
      const summary = page.getByRole('region', { name: 'In short' });
      await summary.getByText('What really changed').waitFor();
      const summaryText = (await summary.textContent())!;
      expect(summaryText).not.toMatch(/p = |p < /);
      expect(summaryText).toContain(`${latest.mean.toFixed(2)} of 7`);
      if (latest.change?.significant) {
        expect(summaryText).toMatch(
          /Psychological safety (rose|fell) .*a real change for the (better|worse)/,
        );
      } else {
        expect(summaryText).not.toMatch(/Psychological safety (rose|fell)/);
      }

      // The statements of the latest closed cycle, as the API released them.
      const items = (await page.evaluate(
        ([id, cycle]) => fetch(`/api/teams/${id}/cycles/${cycle}/items`).then((r) => r.json()),
        [teamId, trend.points.at(-1)!.cycleId],
      )) as ItemBreakdownResponse;
      const itemRows = page
        .getByRole('table', { name: /Psychological safety: mean per statement/ })
        .locator('tbody tr');
      await expect(itemRows.count()).resolves.toBe(items.items.length);
      const firstItem = items.items[0]!;
      const firstRow = await itemRows.first().textContent();
      expect(firstRow).toContain(firstItem.text);
      if (firstItem.score.status === 'released') expect(firstRow).toContain(firstItem.score.mean.toFixed(2));
      else expect(firstRow).toContain('Suppressed');

      // Checkout has suppressed cycles, so its lead is offered the pooled view.
      await page.getByRole('region', { name: 'Pooled view' }).locator('.recharts-surface').first().waitFor();

      // The lead logs an action; it appears on the chart's time axis with its before/after line.
      const form = page.getByRole('region', { name: 'Log an action' });
      await form.getByLabel('Start date').fill(trend.points.at(-3)!.closesAt.slice(0, 10));
      await form.getByLabel('What the team will do').fill('Rotate who runs the retro');
      await form.getByRole('button', { name: 'Log action' }).click();
      await form.getByText('Logged: “Rotate who runs the retro”').waitFor();
      const actionEntry = figure.locator('.actions-list li').first();
      await expect(actionEntry.textContent()).resolves.toMatch(
        /A1.*Rotate who runs the retro.*Before → after:/,
      );
      await expect(figure.locator('.recharts-reference-line').count()).resolves.toBeGreaterThanOrEqual(2);

      await auditPage(page, 'lead-team');

      await page.goto(`${demo.app.baseUrl}/no-such-page`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await auditPage(page, 'not-found');
    } finally {
      await context.close();
    }
  });

  it('the demo engineer answers the open pulse anonymously and gets a receipt; the lead sees the count', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'engineer@example.com');
      await page.getByRole('heading', { name: 'Hello, Erin' }).waitFor();
      await auditPage(page, 'engineer-home');
      const me = (await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()))) as UserSummary;
      expect(me.teams.map((t) => t.role)).toEqual(['member']);
      const teamId = me.teams[0]!.teamId;
      const before = (await page.evaluate(
        (id) => fetch(`/api/teams/${id}/trend`).then((r) => r.json()),
        teamId,
      )) as TeamTrendResponse;
      expect(before.openCycle).toMatchObject({ responses: null }); // members never see the live count

      await page.getByRole('link', { name: /Answer: Psychological safety, Checkout/ }).click();
      const groups = page.locator('fieldset.likert');
      await groups.first().waitFor();
      await expect(groups.count()).resolves.toBe(7);
      await auditPage(page, 'engineer-survey');

      // The form links to the privacy page, which states k and what is stored; back to the form.
      await page.getByRole('link', { name: /Exactly what is stored, what k is/ }).click();
      await page.getByRole('heading', { name: 'Privacy and anonymity', level: 1 }).waitFor();
      await expect(page.locator('main').textContent()).resolves.toContain('it can never be below 3');
      await auditPage(page, 'privacy');
      await page.goBack();
      await groups.first().waitFor();
      for (let i = 0; i < 7; i++)
        await groups.nth(i).getByRole('radio', { name: 'Agree', exact: true }).check();
      const submitted = page.waitForRequest(
        (r) => r.url().endsWith('/api/responses') && r.method() === 'POST',
      );
      await page.getByRole('button', { name: /Submit/ }).click();
      const request = await submitted;
      // The anonymous submit carries no cookie and no Authorization header.
      const headers = await request.allHeaders();
      expect(headers.cookie).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
      await page.getByRole('heading', { name: 'Received — thank you' }).waitFor();
      await auditPage(page, 'engineer-receipt');

      // A member sees the same released charts as the lead, without the lead-only tools.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Checkout' }).click();
      await page.locator('figure .recharts-surface').first().waitFor();
      await expect(page.getByRole('region', { name: 'Log an action' }).count()).resolves.toBe(0);
      await expect(page.getByRole('region', { name: 'Pooled view' }).count()).resolves.toBe(0);
      await auditPage(page, 'engineer-team');
    } finally {
      await context.close();
    }

    const leadContext = await demo.browser.newContext();
    const lead = await leadContext.newPage();
    try {
      await demo.signIn(lead, 'lead@example.com');
      await lead.getByRole('heading', { name: 'Hello, Lee' }).waitFor();
      const me = (await lead.evaluate(() => fetch('/api/auth/me').then((r) => r.json()))) as UserSummary;
      const trend = (await lead.evaluate(
        (id) => fetch(`/api/teams/${id}/trend`).then((r) => r.json()),
        me.teams[0]!.teamId,
      )) as TeamTrendResponse;
      expect(trend.openCycle).toMatchObject({ responses: 1 });
    } finally {
      await leadContext.close();
    }
  });
  /** Cycle dates as the page prints them (the browser's locale), e.g. "3 – 10 Mar 2025". */
  const dateRange = (page: Page, from: string, to: string) =>
    page.evaluate(
      ([f, t]) =>
        new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).formatRange(
          new Date(f),
          new Date(t),
        ),
      [from, to],
    );

  /** Every chart on the page: its heading, latest value line, and whether its table toggle works. */
  async function chartsOnPage(page: Page): Promise<{ title: string; latest: string }[]> {
    const figures = page.locator('figure').filter({ has: page.locator('.recharts-surface') });
    const out: { title: string; latest: string }[] = [];
    for (let i = 0; i < (await figures.count()); i++) {
      const figure = figures.nth(i);
      out.push({
        title: (await figure.locator('.figure__title').textContent())!.trim(),
        latest: (await figure.locator('.figure__latest').textContent())!.trim(),
      });
    }
    return out;
  }

  async function toggleEveryTable(page: Page): Promise<number> {
    const figures = page.locator('figure').filter({ has: page.locator('.recharts-surface') });
    const count = await figures.count();
    for (let i = 0; i < count; i++) {
      const figure: Locator = figures.nth(i);
      const toggle = figure.getByRole('button', { name: 'Show data table' });
      await toggle.click();
      await expect(
        figure.getByRole('button', { name: 'Hide data table' }).getAttribute('aria-expanded'),
      ).resolves.toBe('true');
      await expect(figure.getByRole('table').locator('tbody tr').count()).resolves.toBeGreaterThan(0);
      await figure.getByRole('button', { name: 'Hide data table' }).click();
    }
    return count;
  }

  it('every chart: tooltips with dates, n, k and interval, suppressed tooltips, significant markers, a data table; the pooled view’s numbers', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'lead@example.com');
      await page.getByRole('heading', { name: 'Hello, Lee' }).waitFor();
      await page
        .getByRole('link', { name: /Checkout/ })
        .first()
        .click();
      await page.waitForURL(/\/teams\//);
      const teamId = page.url().split('/teams/')[1]!.split(/[?#]/)[0]!;
      const trend = (await page.evaluate(
        (id) => fetch(`/api/teams/${id}/trend?instrument=psych-safety`).then((r) => r.json()),
        teamId,
      )) as TeamTrendResponse;
      const figure = page
        .locator('figure', { has: page.getByRole('heading', { name: 'Psychological safety' }) })
        .first();
      const surface = figure.locator('.recharts-surface').first();
      await surface.waitFor();

      // Significant changes are marked exactly where the API flagged them.
      const significant = trend.points.filter((p) => {
        const cell = p.scores.psych_safety;
        return cell?.status === 'released' && cell.change?.significant === true;
      });
      await expect(figure.getByTestId('significant-marker').count()).resolves.toBe(significant.length);
      await expect(figure.getByTestId('suppressed-marker').count()).resolves.toBe(
        trend.points.filter((p) => p.scores.psych_safety?.status !== 'released').length,
      );

      // A released cycle's tooltip: its dates, mean, interval, n of invited, k.
      const tooltip = figure.locator('.chart-tooltip');
      const released = trend.points.filter((p) => p.scores.psych_safety?.status === 'released');
      const point = released.at(-1)!;
      // The mean line's markers are drawn for released cycles only, in order: hover the last one.
      const hoverCentre = async (target: Locator) => {
        await target.scrollIntoViewIfNeeded();
        const box = (await target.boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      };
      await hoverCentre(figure.locator('.recharts-line-dots').first().locator('circle').last());
      await tooltip.waitFor();
      const cell = point.scores.psych_safety as ScoreEstimate;
      const tip = (await tooltip.textContent())!;
      expect(tip).toContain(await dateRange(page, point.opensAt, point.closesAt));
      expect(tip).toContain(cell.mean.toFixed(2));
      expect(tip).toContain(`${cell.lower.toFixed(2)}–${cell.upper.toFixed(2)}`);
      expect(tip).toContain(`n = ${cell.n} of ${point.invited} invited`);
      expect(tip).toContain(`k = ${point.k}`);

      // A suppressed cycle's tooltip: the word, the reason, k and invited, and no score.
      await hoverCentre(figure.getByTestId('suppressed-marker').first());
      await expect(tooltip.textContent()).resolves.toMatch(
        /Suppressed: fewer than k answers\. No score is shown\./,
      );
      const suppressedTip = (await tooltip.textContent())!;
      expect(suppressedTip).not.toMatch(/Mean|95% interval/);
      expect(suppressedTip).toMatch(/k = \d+/);
      // One legend entry says what a suppressed cycle looks like; no label repeats on every one (issue 13).
      await expect(figure.locator('svg text', { hasText: 'suppressed' }).count()).resolves.toBe(0);
      await expect(figure.getByRole('list', { name: 'Legend' }).textContent()).resolves.toContain(
        'Suppressed cycle: fewer than k answers, no score',
      );

      // Every chart on the page has a working data-table toggle (trust index, its four components, pooled).
      await page.getByRole('region', { name: 'Pooled view' }).locator('.recharts-surface').first().waitFor();
      await page.locator('.small-multiples .recharts-surface').nth(3).waitFor();
      await expect(toggleEveryTable(page)).resolves.toBeGreaterThanOrEqual(7);

      // The pooled view: each point is a block of cycles with the API's numbers.
      const pooledRegion = page.getByRole('region', { name: 'Pooled view' });
      const pooled = (await page.evaluate(
        (id) => fetch(`/api/teams/${id}/trend/pooled?instrument=psych-safety`).then((r) => r.json()),
        teamId,
      )) as PooledTrendResponse;
      const pooledFigure = pooledRegion.locator('figure');
      await expect(pooledFigure.locator('.figure__title').textContent()).resolves.toBe(
        `Psychological safety, pooled over ${pooled.poolSize} cycles`,
      );
      const lastPooled = [...pooled.points]
        .reverse()
        .find((p) => p.scores.psych_safety?.status === 'released')!;
      const pooledCell = lastPooled.scores.psych_safety as ScoreEstimate;
      const pooledLatest = (await pooledFigure.locator('.figure__latest').textContent())!;
      expect(pooledLatest).toContain(pooledCell.mean.toFixed(2));
      expect(pooledLatest).toContain(`n = ${pooledCell.n} of ${lastPooled.invited}`);
      await pooledFigure.getByRole('button', { name: 'Show data table' }).click();
      await expect(pooledFigure.getByRole('table').locator('tbody tr').count()).resolves.toBe(
        pooled.points.length,
      );
      await auditPage(page, 'lead-team-tables-open');
    } finally {
      await context.close();
    }
  });

  it('the engineer sees the same released charts and numbers as the lead, without the lead-only tools', async () => {
    const read = async (email: string, hello: string) => {
      const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      try {
        await demo.signIn(page, email);
        await page.getByRole('heading', { name: hello }).waitFor();
        // One click from home to the team's results.
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Checkout' }).click();
        await page.locator('.small-multiples .recharts-surface').nth(3).waitFor();
        const charts = (await chartsOnPage(page)).filter((c) => !/pooled/.test(c.title));
        const summary = await page.getByRole('region', { name: 'In short' }).textContent();
        const tools = await page.getByRole('region', { name: 'Log an action' }).count();
        if (email.startsWith('engineer')) await auditPage(page, 'engineer-team-results');
        return { charts, summary, tools };
      } finally {
        await context.close();
      }
    };
    const lead = await read('lead@example.com', 'Hello, Lee');
    const engineer = await read('engineer@example.com', 'Hello, Erin');
    expect(engineer.charts.map((c) => c.title)).toEqual([
      'Psychological safety',
      'Trust index',
      'Credibility',
      'Reliability',
      'Intimacy',
      'Self-orientation',
    ]);
    expect(engineer.charts).toEqual(lead.charts);
    // The same summary, but only the lead can start a play from it (issue 13).
    expect(engineer.summary).toBe(lead.summary!.replaceAll('Start this play', ''));
    expect(lead.tools).toBe(1);
    expect(engineer.tools).toBe(0);
  });
});
