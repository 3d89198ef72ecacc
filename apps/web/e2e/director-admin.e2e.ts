import { readFileSync } from 'node:fs';
import type { GroupComparisonResponse } from '@candor/contracts';
import { useDemoApp } from './harness';
import { auditPage } from './quality';

/**
 * The director's journey on the demo data: one click from signing in to the comparison, whose
 * coloured and suppressed cells are exactly the ones the API flagged; sorting; through to a team.
 */
describe('demo director and admin journeys (Chromium)', () => {
  const demo = useDemoApp();

  it('finds Compare in one click; the heatmap colours exactly the BH-significant cells', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'director@example.com');
      await page.getByRole('heading', { name: 'Hello, Dana' }).waitFor();
      // The overview loaded (one request to the API), so the audit and screenshot are of the page, not its skeleton.
      await page.getByRole('region', { name: 'Where to look' }).waitFor();
      await auditPage(page, 'director-home');

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare' }).click();
      const table = page.getByRole('table', { name: /teams by dimension/ });
      await table.waitFor();
      await page.locator('.team-multiple .recharts-surface').first().waitFor();

      const period = await page.getByLabel('Month').inputValue();
      const groupId = await page.getByLabel('Group').inputValue();
      const api = (await page.evaluate(
        ([g, p]) =>
          fetch(`/api/groups/${g}/comparison?instrument=psych-safety&period=${p}`).then((r) => r.json()),
        [groupId, period],
      )) as GroupComparisonResponse;
      const cells = api.rows.map((r) => r.scores.psych_safety!);
      const flagged = cells.filter((c) => c.status === 'released' && c.test && c.test.flag !== 'none').length;
      const suppressed = cells.filter((c) => c.status === 'suppressed').length;
      expect(suppressed).toBeGreaterThanOrEqual(1);

      await expect(table.locator('tbody tr').count()).resolves.toBe(api.rows.length);
      await expect(table.locator('td[data-flag="above"], td[data-flag="below"]').count()).resolves.toBe(
        flagged,
      );
      await expect(table.locator('td[data-flag="suppressed"]').count()).resolves.toBe(suppressed);
      const firstTeam = api.rows.find(
        (r) => r.kind === 'team' && r.scores.psych_safety!.status === 'released',
      )!;
      const firstTeamScore = firstTeam.scores.psych_safety as { mean: number; n: number };
      const teamRow = table.locator('tbody tr', {
        has: page.getByRole('link', { name: firstTeam.name, exact: true }),
      });
      // Interval, n, p and q are on demand (issue 13).
      await expect(teamRow.locator('td').first().textContent()).resolves.not.toContain('n = ');
      await page.getByLabel(/Show details/).check();
      await expect(teamRow.locator('td').first().textContent()).resolves.toContain(
        firstTeamScore.mean.toFixed(2),
      );
      await expect(teamRow.locator('td').first().textContent()).resolves.toContain(`n = ${firstTeamScore.n}`);

      // Sort by the score, highest first: the group stays on top, then the best released team.
      await table.getByRole('button', { name: /Psychological safety/ }).click();
      const best = api.rows
        .filter((r, i) => i > 0 && r.scores.psych_safety!.status === 'released')
        .sort(
          (a, b) =>
            (b.scores.psych_safety as { mean: number }).mean -
            (a.scores.psych_safety as { mean: number }).mean,
        )[0]!;
      await expect(table.locator('tbody tr').nth(1).locator('th').textContent()).resolves.toContain(
        best.name,
      );

      // The CSV is made in the page from what it shows (director-compare.e2e.ts checks its order).
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV' }).click(),
      ]);
      const body = readFileSync((await download.path())!, 'utf8');
      expect(body.split('\n')[0]).toContain('period,instrument,kind,name');
      await auditPage(page, 'director-compare');

      await table.getByRole('link', { name: firstTeam.name, exact: true }).click();
      await page.waitForURL(/\/teams\//);
      await page.locator('figure .recharts-surface').first().waitFor();
      await auditPage(page, 'director-team');
    } finally {
      await context.close();
    }
  });

  it('admin: org tree, people search, CSV import (errors, then apply), schedules, outbox, audit log', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'admin@example.com');
      await page.getByRole('heading', { name: 'Hello, Alex' }).waitFor();
      await auditPage(page, 'admin-home');

      const sub = page.getByRole('navigation', { name: 'Administration' });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
      const tree = page.getByRole('list', { name: 'Organisation tree' });
      await tree.waitFor();
      await expect(tree.textContent()).resolves.toContain('Checkout');
      await auditPage(page, 'admin-org');

      await sub.getByRole('link', { name: 'People' }).click();
      await page.getByLabel('Search by name or email').fill('lead@');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('rowheader', { name: /Lee Lead/ }).waitFor();
      await auditPage(page, 'admin-people');

      await sub.getByRole('link', { name: 'CSV import' }).click();
      const box = page.getByLabel('Or paste the CSV');
      await box.fill('email,name,team,role,group\nnot-an-email,Bad Row,Checkout,member,Acme');
      await page.getByRole('button', { name: 'Preview' }).click();
      const errors = page.getByRole('table', { name: /Errors/ });
      await errors.waitFor();
      await expect(errors.locator('tbody tr').first().textContent()).resolves.toMatch(/^2email/);
      await expect(page.getByRole('button', { name: 'Apply' }).isDisabled()).resolves.toBe(true);
      await auditPage(page, 'admin-import');

      await box.fill(
        'email,name,team,role,group\nnew.person@example.com,New Person,Web Guild,member,Acme/Guilds',
      );
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByText(/No errors: apply will make these changes/).waitFor();
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText('Applied.').waitFor();

      await sub.getByRole('link', { name: 'Schedules' }).click();
      await page.getByRole('heading', { name: 'Schedules', level: 2 }).waitFor();
      await page.locator('.skeleton').waitFor({ state: 'detached' });
      await auditPage(page, 'admin-schedules');

      await sub.getByRole('link', { name: 'Outbox' }).click();
      await page.locator('.outbox__item').first().waitFor();
      await auditPage(page, 'admin-outbox');

      await sub.getByRole('link', { name: 'Audit log' }).click();
      const log = page.getByRole('table', { name: /Audit log/ });
      await log.waitFor();
      await expect(log.textContent()).resolves.toContain('import.apply');
      await auditPage(page, 'admin-audit');
    } finally {
      await context.close();
    }
  });
});
