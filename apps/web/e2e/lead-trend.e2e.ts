import type { ItemBreakdownResponse, ScoreEstimate, TeamTrendResponse, UserSummary } from '@candor/contracts';
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
      const surface = figure.locator('.recharts-surface').first();
      const box = (await surface.boundingBox())!;
      await page.mouse.move(box.x + box.width - 18, box.y + box.height / 2);
      const tooltip = figure.locator('.chart-tooltip');
      await tooltip.waitFor();
      const tip = (await tooltip.textContent())!;
      const lastPoint = trend.points.at(-1)!.scores.psych_safety!;
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

      // The plain-language summary says "change" only when the API flagged it significant.
      const summary = page.getByRole('region', { name: 'In short' }).getByRole('listitem').first();
      const latestChange = latest.change;
      await expect(summary.textContent()).resolves.toMatch(
        latestChange?.significant
          ? /^Psychological safety (rose|fell) .*a significant change/
          : /held steady within the interval/,
      );

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
      await form.getByLabel('Date').fill(trend.points.at(-3)!.closesAt.slice(0, 10));
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
});
