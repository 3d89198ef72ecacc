import { readFileSync } from 'node:fs';
import type { GroupComparisonResponse, ReliabilityResponse } from '@candor/contracts';
import { apiGet, useDemoApp } from './harness';
import { auditPage } from './quality';

/**
 * The director's compare page beyond the heatmap's colours (director-admin.e2e.ts): the CSV holds
 * the table as it is on screen, in its sort order; the reliability view shows the α and n the
 * API released and says "not enough responses" where it withheld them; through to a team.
 */
describe('demo director: export of what is on screen, reliability, through to a team (Chromium)', () => {
  const demo = useDemoApp();

  it('downloads the sorted heatmap in its on-screen order and reads α per month with n', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'director@example.com');
      await page.getByRole('heading', { name: 'Hello, Dana' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare' }).click();
      const table = page.getByRole('table', { name: /teams by dimension/ });
      await table.waitFor();

      const groupId = await page.getByLabel('Group').inputValue();
      const period = await page.getByLabel('Month').inputValue();
      const api = await apiGet<GroupComparisonResponse>(
        page,
        `/api/groups/${groupId}/comparison?instrument=psych-safety&period=${period}`,
      );

      const onScreen = async () =>
        (await table.locator('tbody tr > th').allTextContents()).map((t) =>
          t.replace(/\s*\((whole group|group)\)\s*$/, '').trim(),
        );
      const download = async () => {
        const [file] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Download CSV' }).click(),
        ]);
        return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
      };
      const csvRows = (text: string) =>
        text
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => line.split(','));

      // Org order first: the file and the table agree with the API's order.
      const inOrgOrder = await download();
      expect(csvRows(inOrgOrder.text).map((r) => r[3])).toEqual(api.rows.map((r) => r.name));

      // Lowest score first: the group stays on top, suppressed rows last; the file follows the table.
      const sortButton = table.getByRole('button', { name: /Psychological safety/ });
      await sortButton.click();
      await sortButton.click();
      await expect(table.locator('thead th').nth(1).getAttribute('aria-sort')).resolves.toBe('ascending');
      const sorted = await onScreen();
      expect(sorted).not.toEqual(api.rows.map((r) => r.name));
      const file = await download();
      expect(file.name).toMatch(new RegExp(`-psych-safety-${period}-by-psych_safety-asc\\.csv$`));
      const rows = csvRows(file.text);
      expect(rows.map((r) => r[3])).toEqual(sorted);
      // Suppressed cells stay suppressed in the file: a status and no number.
      for (const row of api.rows) {
        const line = rows.find((r) => r[3] === row.name)!;
        const cell = row.scores.psych_safety!;
        if (cell.status === 'suppressed') {
          expect(line[6]).toBe(`suppressed:${cell.reason}`);
          // n, mean, interval, difference, p, q and flag: all empty.
          expect([7, 9, 10, 11, 12, 13, 14, 15].map((i) => line[i] ?? '')).toEqual(Array(8).fill(''));
        } else {
          expect(Number(line[9])).toBeCloseTo(cell.mean, 10);
          expect(Number(line[7])).toBe(cell.n);
        }
      }

      // Reliability: each survey's α per month as the API released it, withheld months in words.
      const section = page.getByRole('region', { name: /Reliability of the surveys/ });
      await section.scrollIntoViewIfNeeded();
      await expect(section.textContent()).resolves.toContain('0.7 or more is the usual reading');
      for (const [instrument, title] of [
        ['psych-safety', 'Psychological safety'],
        ['trust-equation', 'Trust'],
      ] as const) {
        const reliability = await apiGet<ReliabilityResponse>(
          page,
          `/api/groups/${groupId}/reliability?instrument=${instrument}&months=24`,
        );
        expect(reliability.points.length).toBeGreaterThanOrEqual(1);
        // One figure per scale: psych safety is one, the trust equation one per component.
        expect(reliability.scales.length).toBe(instrument === 'psych-safety' ? 1 : 4);
        for (const scale of reliability.scales) {
          const heading = reliability.scales.length === 1 ? title : `${title}: ${scale.label}`;
          const cells = reliability.points.map((p) => p.scales.find((s) => s.scale === scale.id)!.alpha);
          const figure = section.locator('figure', {
            has: page.getByRole('heading', { name: heading, exact: true }),
          });
          await figure.locator('.recharts-surface').waitFor();
          await figure.getByRole('button', { name: 'Show data table' }).click();
          const body = figure.getByRole('table').locator('tbody tr');
          await expect(body.count()).resolves.toBe(cells.length);
          for (const [i, cell] of cells.entries()) {
            const text = (await body.nth(i).textContent())!;
            if (cell.status === 'released') {
              expect(text).toContain(cell.alpha.toFixed(2));
              expect(text).toContain(String(cell.n));
            } else if (cell.reason === 'below-minimum') {
              expect(text).toContain(`Not enough responses (n < ${reliability.minimumN})`);
            } else if (cell.reason === 'period-open') {
              // The current month, until it is over and all its cycles have closed.
              expect(text).toMatch(/^[^\d]*\d{4}Not final yet/);
            } else {
              expect(text).toMatch(/^[^\d]*\d{4}Suppressed/);
            }
          }
          const latest = [...cells].reverse().find((c) => c.status === 'released');
          const headline = (await figure.locator('.figure__latest').textContent())!;
          if (latest && latest.status === 'released') {
            expect(headline).toContain(latest.alpha.toFixed(2));
            expect(headline).toContain(`n = ${latest.n}`);
          } else {
            expect(headline).toContain(`Not enough responses (n < ${reliability.minimumN})`);
          }
        }
      }
      await auditPage(page, 'director-compare-sorted-reliability');

      // Through to the first team in the sorted table.
      const firstTeam = table
        .locator('tbody tr')
        .filter({ has: page.locator('th a') })
        .first();
      const teamName = (await firstTeam.locator('th a').textContent())!.trim();
      await firstTeam.locator('th a').click();
      await page.waitForURL(/\/teams\//);
      await page.getByRole('heading', { level: 1, name: new RegExp(`^${teamName}`) }).waitFor();
      await page.locator('figure .recharts-surface').first().waitFor();
    } finally {
      await context.close();
    }
  });
});
