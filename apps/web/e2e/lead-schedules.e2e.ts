import { useDemoApp } from './harness';
import { auditPage } from './quality';

/**
 * Issue 4's schedule editor in a real browser: the demo lead sees the next opening dates before
 * saving, saves a schedule, and turns reminder emails off on the settings page.
 */
describe('demo lead schedules a pulse and sets reminders (Chromium)', () => {
  const demo = useDemoApp();

  it('previews the next openings before saving, saves, and the schedule is listed', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'lead@example.com');
      await page.getByRole('heading', { name: 'Hello, Lee' }).waitFor();
      await page.getByRole('link', { name: 'Schedules', exact: true }).first().click();
      await page.getByRole('heading', { name: 'Schedules', level: 1 }).waitFor();
      await page.goto(`${demo.app.baseUrl}/schedules/new`);
      await page.getByLabel('Open for (days)').waitFor();
      await page.getByLabel('Weekday').selectOption({ index: 2 });
      await page.getByLabel('Open for (days)').fill('4');

      // The preview lists upcoming openings before anything is saved.
      const openings = page.getByRole('list', { name: 'Next openings' }).getByRole('listitem');
      await openings.first().waitFor();
      expect(await openings.count()).toBeGreaterThanOrEqual(3);
      const before = (await page.evaluate(() => fetch('/api/schedules').then((r) => r.json()))) as unknown[];
      await auditPage(page, 'lead-schedule-new', () => openings.first().waitFor());

      await page.getByRole('button', { name: 'Create schedule' }).click();
      await page.getByText('Schedule saved.').waitFor();
      const after = (await page.evaluate(() => fetch('/api/schedules').then((r) => r.json()))) as unknown[];
      expect(JSON.stringify(after).length).toBeGreaterThan(JSON.stringify(before).length);
      await auditPage(page, 'lead-schedules');
    } finally {
      await context.close();
    }
  });

  it('turns reminder emails off on the settings page, and the server keeps it', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await demo.signIn(page, 'engineer@example.com');
      await page.getByRole('heading', { name: 'Hello, Erin' }).waitFor();
      await page.getByRole('link', { name: 'Settings', exact: true }).first().click();
      const toggle = page.getByLabel('Send me reminder emails while a survey is open');
      await toggle.waitFor();
      expect(await toggle.isChecked()).toBe(true);
      await auditPage(page, 'engineer-settings');
      const saved = page.waitForResponse(
        (r) => r.url().endsWith('/api/me/preferences') && r.request().method() === 'PATCH',
      );
      await toggle.uncheck();
      expect((await saved).status()).toBe(200);
      const prefs = (await page.evaluate(() => fetch('/api/me/preferences').then((r) => r.json()))) as {
        remindersEnabled: boolean;
      };
      expect(prefs.remindersEnabled).toBe(false);
      await page.reload();
      await page.getByLabel('Send me reminder emails while a survey is open').waitFor();
      expect(await page.getByLabel('Send me reminder emails while a survey is open').isChecked()).toBe(false);
    } finally {
      await context.close();
    }
  });
});
