import type {
  ActionListResponse,
  GroupOverviewResponse,
  GroupTrendResponse,
  TeamTrendResponse,
  UserSummary,
} from '@candor/contracts';
import { favourability } from '@candor/instruments';
import type { Page } from 'playwright-core';
import { apiGet, useDemoApp } from './harness';
import { auditPage, overflowingCells, WIDTHS } from './quality';

/**
 * Issue 13 in a real browser, per role, at 360 and 1440 px: the director's first screen names the
 * demo team with the significant drop and its dimension; the lead sees the lowest dimension with
 * plays and starts one in two clicks; actions show owner, status and whether they worked; nothing
 * overflows its cell in the statements table or the overview grid; the menu on a phone; the
 * admin's small-team warnings and tables on a phone; changing a password in Settings.
 */
describe('from numbers to decisions, per role (Chromium)', () => {
  const demo = useDemoApp();

  async function at(page: Page, width: 360 | 1440) {
    await page.setViewportSize(WIDTHS.find((w) => w.width === width)!);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  /** A team's least favourable released 1–7 result (the trust index, on its own scale, aside). */
  function leastFavourable(row: GroupOverviewResponse['rows'][number]): number | null {
    const values = Object.entries(row.scores).flatMap(([dimension, cell]) =>
      cell.status === 'released' && dimension !== 'trust_index' ? [favourability(dimension, cell.mean)] : [],
    );
    return values.length ? Math.min(...values) : null;
  }

  it('director: the first screen names Search and the dimension that dropped; the grid is worst first and nothing overflows a cell', async () => {
    for (const width of [1440, 360] as const) {
      const context = await demo.browser.newContext({ viewport: WIDTHS.find((w) => w.width === width)! });
      const page = await context.newPage();
      try {
        await demo.signIn(page, 'director@example.com');
        await page.getByRole('heading', { name: 'Hello, Dana' }).waitFor();
        const where = page.getByRole('region', { name: 'Where to look' });
        const first = where.getByRole('listitem').first();
        await first.waitFor();
        await expect(first.textContent()).resolves.toMatch(
          /^Search\s*Needs attention\s*Psychological safety fell \d\.\d\d to \d\.\d\d in the pulse that closed .+ — a real change for the worse\.$/,
        );
        // On the first screen, without scrolling.
        const box = (await first.boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height);

        const grid = page.getByRole('table', { name: /every team by every dimension of both surveys/ });
        await grid.waitFor();
        const teams = await grid.locator('tbody th a').allTextContents();
        // The month shown is the newest final one (its group rows decided); whether Search's drop
        // falls in it depends on today's date, so the order is checked against that month's
        // numbers: each team by its least favourable 1–7 result, worst first.
        const period = await page.getByRole('combobox', { name: 'Month' }).inputValue();
        const groupId = (await apiGet<UserSummary>(page, '/api/auth/me')).directorOf[0]!.id;
        const months = await apiGet<GroupTrendResponse>(
          page,
          `/api/groups/${groupId}/trend?instrument=psych-safety&months=24`,
        );
        expect(period).toBe(months.points.filter((p) => p.final).at(-1)!.period);
        const overview = await apiGet<GroupOverviewResponse>(
          page,
          `/api/groups/${groupId}/overview?period=${period}`,
        );
        expect(teams).toEqual(overview.rows.map((row) => row.name));
        const keys = overview.rows.map(leastFavourable).filter((k) => k !== null);
        expect(keys).toEqual([...keys].sort((a, b) => a - b));
        // Teams that can never show results are last, and say why.
        expect(teams.slice(-2).sort()).toEqual(['Experiments', 'Fraud']);
        await expect(grid.locator('tbody tr').last().textContent()).resolves.toContain(
          'fewer people than k, so it can never show results',
        );
        await page.getByLabel(/Show details/).check();
        await expect(grid.textContent()).resolves.toMatch(/q = \d\.\d{3}/);
        expect(await overflowingCells(page, 'table.overview')).toEqual([]);
        if (width === 1440) await auditPage(page, 'director-home-overview');
      } finally {
        await context.close();
      }
    }
  });

  it('director: the compare heatmap reads self-orientation the right way round, and nothing overflows its cells', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'director@example.com');
      await page.getByRole('heading', { name: 'Hello, Dana' }).waitFor();
      await page.goto(`${demo.app.baseUrl}/compare?instrument=trust-equation`);
      const table = page.getByRole('table', { name: /teams by dimension/ });
      await table.waitFor();
      // Every cell coloured "better" is better by its dimension's direction.
      const cells = await table
        .locator('td[data-tone]')
        .evaluateAll((tds) =>
          tds.map((td, i) => ({ i, flag: td.getAttribute('data-flag'), tone: td.getAttribute('data-tone') })),
        );
      const headers = await table.locator('thead th').allTextContents();
      const soColumn = headers.findIndex((h) => h.startsWith('Self-orientation'));
      expect(soColumn).toBeGreaterThan(0);
      for (const c of cells) {
        if (c.flag === 'none') expect(c.tone).toBe('none');
      }
      const soCells = await table
        .locator(`tbody tr td:nth-child(${soColumn + 1})`)
        .evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-flag'), td.getAttribute('data-tone')]));
      for (const [flag, tone] of soCells) {
        if (flag === 'above') expect(tone).toBe('worse');
        if (flag === 'below') expect(tone).toBe('better');
      }
      await page.getByLabel(/Show details/).check();
      for (const width of [1440, 360] as const) {
        await at(page, width);
        expect(await overflowingCells(page, 'table.heatmap')).toEqual([]);
      }
      await at(page, 1440);
      await auditPage(page, 'director-compare-trust-details');
    } finally {
      await context.close();
    }
  });

  it('lead: the lowest dimension with plays, started in two clicks; actions with owner, status and outcome; statements wrap and never overflow', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'lead@example.com');
      await page.getByRole('heading', { name: 'Hello, Lee' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Checkout' }).click();
      const summary = page.getByRole('region', { name: 'In short' });
      const where = summary.getByText('Where to start');
      await where.waitFor();
      const me = await apiGet<UserSummary>(page, '/api/auth/me');
      const teamId = me.teams[0]!.teamId;
      await expect(where.locator('..').textContent()).resolves.toMatch(
        /is the team’s least favourable result/,
      );
      const plays = summary.getByRole('list', { name: 'Plays to try' });
      await expect(plays.getByRole('listitem').and(page.locator('.play')).count()).resolves.toBe(4);

      // Two clicks: "Start this play", then "Start".
      const start = plays.getByRole('button', { name: /^Start this play: / }).first();
      const title = (await start.getAttribute('aria-label'))!.replace('Start this play: ', '');
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST') requests.push(r.url());
      });
      await start.click();
      await summary.getByRole('button', { name: 'Start', exact: true }).click();
      await summary.getByText(`Started “${title}”`).waitFor();
      expect(requests.filter((u) => u.endsWith(`/api/teams/${teamId}/actions`))).toHaveLength(1);
      const list = await apiGet<ActionListResponse>(page, `/api/teams/${teamId}/actions`);
      const started = list.actions.find((a) => a.text === title)!;
      expect(started).toMatchObject({ status: 'doing', owner: { name: 'Lee Lead' } });
      expect(started.playKey).toMatch(/@1$/);
      expect(started.dueDate).not.toBeNull();

      // Actions: the play that worked says so; the new one is waiting; owners and statuses shown.
      const actions = page.getByRole('region', { name: 'Actions' });
      const warn = actions.getByRole('listitem').filter({ hasText: 'Warn early' });
      await expect(warn.textContent()).resolves.toMatch(
        /Done.*owner Lee Lead.*It worked — Reliability \+\d\.\d\d/,
      );
      const startedRow = actions.getByRole('listitem').filter({ hasText: title });
      // The verdict appears once the trend that draws the new action has been read again.
      await startedRow.getByText('Waiting for the next results').waitFor();
      await expect(startedRow.textContent()).resolves.toMatch(
        /Doing.*owner Lee Lead.*Waiting for the next results/,
      );
      // The trend draws the reliability play on the reliability chart.
      const trust = await apiGet<TeamTrendResponse>(
        page,
        `/api/teams/${teamId}/trend?instrument=trust-equation`,
      );
      expect(trust.actions!.some((a) => a.dimension === 'reliability' && a.change?.significant)).toBe(true);
      const reliability = page.locator('figure', {
        has: page.getByRole('heading', { name: 'Reliability', level: 4 }),
      });
      await expect(reliability.locator('.actions-list').textContent()).resolves.toContain('Warn early');

      // Statements: the text wraps and no cell overflows, at 1440, 1024 and 360 px; on a phone each
      // statement's score is visible.
      const statements = page.locator('table.items__table').first();
      await statements.scrollIntoViewIfNeeded();
      for (const width of [1440, 1024, 360]) {
        await page.setViewportSize({ width, height: 900 });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        expect(await overflowingCells(page, 'table.items__table')).toEqual([]);
      }
      const score = statements.locator('tbody tr').first().locator('.items__score');
      const scoreBox = (await score.boundingBox())!;
      expect(scoreBox.x).toBeGreaterThanOrEqual(0);
      expect(scoreBox.x + scoreBox.width).toBeLessThanOrEqual(360);
      await expect(score.textContent()).resolves.toMatch(/^\d\.\d\d/);
      await page.setViewportSize({ width: 1440, height: 900 });
      await auditPage(page, 'lead-team-decisions');
    } finally {
      await context.close();
    }
  });

  it('engineer at 360 px: the menu reaches every page; the plays are there without a start button', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'engineer@example.com');
      await page.getByRole('heading', { name: 'Hello, Erin' }).waitFor();
      const menu = page.getByRole('button', { name: 'Menu' });
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.isVisible()).resolves.toBe(false);
      await menu.click();
      await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
      for (const name of ['Home', 'Checkout', 'Privacy', 'Settings']) {
        const link = nav.getByRole('link', { name, exact: true });
        const box = (await link.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(360);
      }
      await auditPage(page, 'engineer-menu-open');
      await nav.getByRole('link', { name: 'Checkout', exact: true }).click();
      await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
      const summary = page.getByRole('region', { name: 'In short' });
      await summary.getByRole('list', { name: 'Plays to try' }).waitFor();
      await expect(summary.getByRole('button', { name: /Start this play/ }).count()).resolves.toBe(0);
      await page.getByRole('region', { name: 'Actions' }).getByText('Warn early').waitFor();
      await auditPage(page, 'engineer-team-decisions');
    } finally {
      await context.close();
    }
  });

  it('admin: small teams are flagged in the org tree and before saving a schedule; tables stack on a phone', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'admin@example.com');
      await page.getByRole('heading', { name: 'Hello, Alex' }).waitFor();
      await page.goto(`${demo.app.baseUrl}/admin`);
      const tree = page.getByRole('list', { name: 'Organisation tree' });
      await tree.waitFor();
      const fraud = tree.getByRole('listitem').filter({ hasText: /^Fraud/ });
      await expect(fraud.getByRole('note').textContent()).resolves.toContain(
        '4 active people, fewer than k = 5: no result can ever be shown.',
      );
      await auditPage(page, 'admin-org-small-teams');

      // A weekly schedule for the whole organisation says which teams can never show results.
      await page.goto(`${demo.app.baseUrl}/schedules/new`);
      await page.getByLabel('A group (every active team in it)').check();
      await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Acme Engineering' });
      const note = page.getByRole('note');
      await note.waitFor();
      await expect(note.textContent()).resolves.toMatch(
        /of the 10 teams have fewer active people than k = 5: .*Experiments \(3\).*Fraud \(4\)/,
      );
      await auditPage(page, 'admin-schedule-small-teams');

      // The people table at 360 px: one person per block, email on one line, nothing wider than the screen.
      await page.goto(`${demo.app.baseUrl}/admin/people`);
      await page.getByRole('rowheader', { name: /Alex Admin/ }).waitFor();
      await at(page, 360);
      const email = page.getByRole('cell', { name: /admin@example\.com/ });
      const emailBox = (await email.boundingBox())!;
      expect(emailBox.height).toBeLessThan(40);
      expect(await overflowingCells(page, 'table.data-table--stack')).toEqual([]);
      await auditPage(page, 'admin-people-stacked');
    } finally {
      await context.close();
    }
  });

  it('engineer: changes the password in Settings, is signed out, and signs in with the new one', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'engineer@example.com');
      await page.getByRole('heading', { name: 'Hello, Erin' }).waitFor();
      await page.goto(`${demo.app.baseUrl}/settings`);
      const form = page.getByRole('form', { name: 'Change your password' });
      await form.waitFor();
      await auditPage(page, 'engineer-settings-password');
      await form.getByLabel('Current password').fill('not-the-password');
      await form.getByLabel('New password', { exact: true }).fill('purple otter harbour');
      await form.getByLabel('New password again').fill('purple otter harbour');
      await form.getByRole('button', { name: 'Change password' }).click();
      await form.getByText('is not your current password').waitFor();
      await form.getByLabel('Current password').fill('candor-demo');
      await form.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Your password was changed and every session signed out.').waitFor();
      await page.getByLabel('Work email').fill('engineer@example.com');
      await page.getByLabel('Password').fill('purple otter harbour');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Hello, Erin' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
