import { join } from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { getInstrument, isInstrumentVersion } from '@candor/instruments';
import { ARTIFACTS, useDemoApp } from './harness';
import { seriousAxeViolations } from './quality';

/**
 * Issue 16's journey, at 1440 and 360 px: the demo engineer answers and writes a comment; the cycle
 * closes (four more people took part, so k_comments = 5 is reached); the lead reads the comment and
 * replies; the engineer sees "New reply" on the home page, reads the reply and answers back; the
 * lead sees the answer. Each width uses one of Checkout's two open pulses.
 */
describe('anonymous comments with replies (Chromium)', () => {
  const demo = useDemoApp();

  async function db<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: demo.app.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  /** Four more Checkout people took part (stored as responses of the open cycle), then it closes. */
  async function othersAnswerAndClose(cycleId: string, instrument: string): Promise<void> {
    if (!isInstrumentVersion(instrument)) throw new Error(`unknown instrument ${instrument}`);
    const answers = JSON.stringify(Object.fromEntries(getInstrument(instrument).items.map((i) => [i.id, 4])));
    await db(
      `INSERT INTO response (cycle_id, instrument_version, answers) SELECT $1, $2, $3::jsonb FROM generate_series(1, 4)`,
      [cycleId, instrument, answers],
    );
    await db(`UPDATE cycle SET closes_at = now() - interval '1 second' WHERE id = $1`, [cycleId]);
    // The scheduler's minute tick closes it (and releases its comments).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [row] = await db<{ status: string }>('SELECT status FROM cycle WHERE id = $1', [cycleId]);
      if (row?.status === 'closed') return;
      if (Date.now() > deadline) throw new Error('the cycle did not close within two minutes');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  const journeys = [
    { width: 1440, survey: /Answer: Psychological safety, Checkout/ },
    { width: 360, survey: /Answer: Trust within the team, Checkout/ },
  ];

  for (const { width, survey } of journeys) {
    it(`writes, closes, the lead replies, the writer sees the reply and answers back (${width} px)`, async () => {
      const viewport = { width, height: 900 };
      const engineerContext = await demo.browser.newContext({ viewport });
      const leadContext = await demo.browser.newContext({ viewport });
      const engineer = await engineerContext.newPage();
      const lead = await leadContext.newPage();
      const text = `The on-call handover at ${width} px is rushed; a written checklist would help.`;
      try {
        await demo.signIn(engineer, 'engineer@example.com');
        await engineer.getByRole('heading', { name: 'Hello, Erin' }).waitFor();
        await engineer.getByRole('link', { name: survey }).click();
        const groups = engineer.locator('fieldset.likert');
        await groups.first().waitFor();
        const cycleId = engineer.url().split('/surveys/')[1]!;
        for (let i = 0; i < (await groups.count()); i++)
          await groups.nth(i).getByRole('radio', { name: 'Agree', exact: true }).check();

        // The writing box says who reads it, when and k_comments, and flags the writer's own name.
        const box = engineer.locator('fieldset.comment-box');
        await expect(box.textContent()).resolves.toMatch(/team’s leads only.*at least 5 people took part/s);
        const field = box.getByRole('textbox');
        await field.fill('Erin thinks erin@example.com should not be on call');
        await box.getByRole('status').waitFor();
        await expect(box.getByRole('status').textContent()).resolves.toMatch(
          /e-mail address.*a name: “Erin”/s,
        );
        await expectAccessible(engineer);
        await field.fill(text);
        await box.getByRole('status').waitFor({ state: 'detached' });

        const sent = engineer.waitForRequest(
          (r) => r.url().endsWith('/api/comments') && r.method() === 'POST',
        );
        await engineer.getByRole('button', { name: /Submit anonymously/ }).click();
        const request = await sent;
        const headers = await request.allHeaders();
        expect(headers.cookie).toBeUndefined();
        expect(headers.authorization).toBeUndefined();
        expect(request.postData()).not.toContain('secret');
        await engineer.getByRole('heading', { name: 'Received — thank you' }).waitFor();

        const [{ instrument_version: instrument }] = await db<{ instrument_version: string }>(
          'SELECT instrument_version FROM cycle WHERE id = $1',
          [cycleId],
        );
        await othersAnswerAndClose(cycleId, instrument);

        // The lead reads it on the team page and replies.
        const [{ team_id: teamId }] = await db<{ team_id: string }>(
          'SELECT team_id FROM cycle WHERE id = $1',
          [cycleId],
        );
        await demo.signIn(lead, 'lead@example.com');
        await lead.getByRole('heading', { name: /^Hello/ }).waitFor();
        await lead.goto(`${demo.app.baseUrl}/teams/${teamId}`);
        const comment = lead.locator('li.comment', { hasText: text });
        await comment.waitFor({ timeout: 30_000 });
        await comment.scrollIntoViewIfNeeded();
        await expectAccessible(lead);
        await comment.getByLabel('Reply to the writer').fill('Thank you. Who should write the checklist?');
        await comment.getByRole('button', { name: 'Send reply' }).click();
        await comment.getByText('Thank you. Who should write the checklist?').waitFor();
        await lead.screenshot({ path: join(ARTIFACTS, `comments-lead-${width}.png`), fullPage: true });

        // The writer: "New reply" on the home page, checked by the browser with its own secret.
        await engineer.goto(`${demo.app.baseUrl}/`);
        await engineer.getByRole('status').filter({ hasText: 'New reply' }).waitFor();
        await expectAccessible(engineer);
        await engineer.getByRole('link', { name: 'My comments' }).click();
        const thread = engineer.locator('section.thread', { hasText: text });
        await thread.getByText('Thank you. Who should write the checklist?').waitFor();
        await expectAccessible(engineer);
        await thread.getByLabel('Answer (anonymously)').fill('Whoever is on call next week, with the lead.');
        await thread.getByRole('button', { name: 'Send answer' }).click();
        await thread.getByText('Whoever is on call next week, with the lead.').waitFor();
        await thread.getByRole('button', { name: /Show reply code/ }).click();
        await expect(thread.locator('code.reply-code').textContent()).resolves.toMatch(/^[A-Za-z0-9_-]{43}$/);
        await engineer.screenshot({ path: join(ARTIFACTS, `comments-writer-${width}.png`), fullPage: true });
        // Seen: the badge is gone.
        await engineer.goto(`${demo.app.baseUrl}/`);
        await engineer.getByRole('link', { name: 'My comments' }).waitFor();
        await expect(engineer.getByText('New reply').count()).resolves.toBe(0);

        // The lead sees the answer.
        await lead.reload();
        await lead
          .locator('li.comment', { hasText: text })
          .getByText('Whoever is on call next week, with the lead.')
          .waitFor({ timeout: 30_000 });
      } finally {
        await engineerContext.close();
        await leadContext.close();
      }
    }, 240_000);
  }
});
