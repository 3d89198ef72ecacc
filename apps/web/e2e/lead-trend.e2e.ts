import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ScoreEstimate, TeamTrendResponse, UserSummary } from '@candor/contracts';
import { ARTIFACTS, launchBrowser, startApp, type RunningApp } from './harness';

/**
 * The walking skeleton in a real browser, on the demo data: the demo lead signs in, opens the
 * team page and sees the psychological-safety trend with n, the interval and suppressed cycles.
 */
describe('demo lead sees the team trend (Chromium)', () => {
  let app: RunningApp;
  let browser: Browser;
  let disposeBrowser: () => Promise<void>;

  beforeAll(async () => {
    app = await startApp();
    ({ browser, dispose: disposeBrowser } = await launchBrowser());
  }, 180_000);

  afterAll(async () => {
    await disposeBrowser?.();
    await app?.stop();
  });

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill('candor-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it.each([
    { width: 1440, height: 900 },
    { width: 360, height: 780 },
  ])('at $width px: signs in, opens Checkout, reads the numbers off the chart', async ({ width, height }) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    try {
      await signIn(page, 'lead@example.com');
      await page.getByRole('heading', { name: 'Hello, Lee' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, `lead-home-${width}.png`), fullPage: true });

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
      await figure.getByRole('button', { name: 'Show data table' }).click();
      const rows = figure.locator('table tbody tr');
      await expect(rows.count()).resolves.toBe(26);
      const suppressedRows = figure.locator('tr.data-table__row--suppressed');
      await expect(suppressedRows.count()).resolves.toBe(suppressed.length);
      await expect(suppressedRows.first().textContent()).resolves.toContain('Suppressed (n < k)');
      await expect(rows.last().textContent()).resolves.toContain(latest.mean.toFixed(2));

      await page.screenshot({ path: join(ARTIFACTS, `lead-team-${width}.png`), fullPage: true });
      // No horizontal overflow at this width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });

  it('the demo engineer answers the open pulse anonymously and gets a receipt; the lead sees the count', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'engineer@example.com');
      await page.getByRole('heading', { name: 'Hello, Erin' }).waitFor();
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
      await page.screenshot({ path: join(ARTIFACTS, 'engineer-survey-1440.png'), fullPage: true });
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
      await page.screenshot({ path: join(ARTIFACTS, 'engineer-receipt-1440.png'), fullPage: true });
    } finally {
      await context.close();
    }

    const leadContext = await browser.newContext();
    const lead = await leadContext.newPage();
    try {
      await signIn(lead, 'lead@example.com');
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
