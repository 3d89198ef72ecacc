import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, useDemoApp } from './harness';
import { seriousAxeViolations } from './quality';

/**
 * Issue 4's browser journey: the demo engineer answers the open pulse with the keyboard only,
 * reloads half-way without losing answers, submits and sees the receipt.
 */
describe('demo engineer answers by keyboard only (Chromium)', () => {
  const demo = useDemoApp();

  /** Presses Tab until the focused element matches, like a person would; fails after `max` presses. */
  async function tabTo(
    page: Page,
    matches: (el: Element, arg: number) => boolean,
    arg = 0,
    max = 80,
  ): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluateHandle(() => document.activeElement ?? document.body);
      const ok = await focused.evaluate(matches, arg);
      await focused.dispose();
      if (ok) return;
    }
    throw new Error(`Tab never reached the element after ${max} presses`);
  }

  const checkedCount = (page: Page) => page.locator('fieldset.likert input[type=radio]:checked').count();

  /** Tab into statement `index` (0-based) and choose `value` on the 1–7 scale with Space and arrows. */
  async function answer(page: Page, index: number, value: number): Promise<void> {
    await tabTo(
      page,
      (el, i: number) => {
        const fieldsets = Array.from(document.querySelectorAll('fieldset.likert'));
        return (
          el instanceof HTMLInputElement && el.type === 'radio' && el.closest('fieldset') === fieldsets[i]
        );
      },
      index,
    );
    const current = Number(await page.evaluate(() => (document.activeElement as HTMLInputElement).value));
    if (!(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)))
      await page.keyboard.press('Space');
    for (let v = current; v < value; v++) await page.keyboard.press('ArrowRight');
    for (let v = current; v > value; v--) await page.keyboard.press('ArrowLeft');
  }

  it('answers, reloads midway, keeps the answers, submits, and sees the receipt', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${demo.app.baseUrl}/login`);
      await tabTo(page, (el) => el instanceof HTMLInputElement && el.type === 'email');
      await page.keyboard.type('engineer@example.com');
      await page.keyboard.press('Tab');
      await page.keyboard.type('candor-demo');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Hello, Erin' }).waitFor();

      await tabTo(
        page,
        (el) =>
          el instanceof HTMLAnchorElement &&
          /^Answer: Psychological safety/.test(el.getAttribute('aria-label') ?? ''),
      );
      await page.keyboard.press('Enter');
      await page.locator('fieldset.likert').first().waitFor();
      expect(await page.locator('fieldset.likert').count()).toBe(7);

      const chosen = [6, 5, 7, 2];
      for (const [i, v] of chosen.entries()) await answer(page, i, v);
      expect(await checkedCount(page)).toBe(4);

      // Closing the tab or reloading keeps what was answered.
      await page.reload();
      await page.locator('fieldset.likert').first().waitFor();
      expect(await checkedCount(page)).toBe(4);
      const restored = await page.evaluate(() =>
        Array.from(document.querySelectorAll('fieldset.likert')).map(
          (f) => (f.querySelector('input[type=radio]:checked') as HTMLInputElement | null)?.value ?? null,
        ),
      );
      expect(restored).toEqual(['6', '5', '7', '2', null, null, null]);
      expect(await seriousAxeViolations(page)).toEqual([]);

      for (const [i, v] of [3, 6, 4].entries()) await answer(page, 4 + i, v);
      expect(await checkedCount(page)).toBe(7);

      await tabTo(page, (el) => el instanceof HTMLButtonElement && el.type === 'submit');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Received — thank you' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'engineer-keyboard-receipt-1440.png'), fullPage: true });

      // Only the receipt is left in the browser: no answers, no token.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
      expect(stored).not.toMatch(/"ps1"|prepared|blinded|signature/);
    } finally {
      await context.close();
    }
  });
});
