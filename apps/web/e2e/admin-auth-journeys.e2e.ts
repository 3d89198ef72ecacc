import type { Browser, Page } from 'playwright-core';
import { useDemoApp } from './harness';
import { auditPage } from './quality';

/**
 * Issue 3 in the browser, on the demo data: an admin builds part of the organisation with the
 * forms; an invited person sets a password from the emailed link and lands signed in; a person
 * who forgot their password resets it. The demo runs without SMTP, so the emails are in the
 * outbox, which an admin reads on the Outbox page, as the admin of such an installation would.
 */
describe('admin forms, invitation and password reset (Chromium)', () => {
  const demo = useDemoApp();

  const signedInAdmin = async (browser: Browser): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await demo.signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Hello, Alex' }).waitFor();
    return page;
  };

  /** The link in the newest outbox message to `to` with this subject, read on the admin's Outbox page. */
  const linkFromOutbox = async (admin: Page, to: string, subject: string): Promise<string> => {
    await admin.goto(`${demo.app.baseUrl}/admin/outbox`);
    const item = admin.locator('.outbox__item').filter({ hasText: to }).filter({ hasText: subject }).first();
    await item.locator('summary').click();
    const text = (await item.locator('pre').textContent()) ?? '';
    const link = /(https?:\/\/\S+#token=[\w-]+)/.exec(text)?.[1];
    if (!link) throw new Error(`no link in the outbox message to ${to}:\n${text}`);
    return link;
  };

  it('admin creates a group and a team, moves the team, adds a member, and deactivates a person', async () => {
    const page = await signedInAdmin(demo.browser);
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
      const tree = page.getByRole('list', { name: 'Organisation tree' });
      await tree.waitFor();

      // A new group under Product Engineering.
      await page.getByRole('button', { name: 'New group' }).click();
      const newGroup = page.getByRole('form', { name: 'New group' });
      await newGroup.getByLabel('Group name').fill('Mobile');
      await newGroup.getByLabel('Inside').selectOption({ label: 'Acme Engineering / Product Engineering' });
      await newGroup.getByRole('button', { name: 'Create group' }).click();
      await page.getByText('Created group “Mobile”.').waitFor();
      const mobile = tree.locator('li', { has: page.getByText('Mobile', { exact: true }) }).last();
      await mobile.waitFor();

      // Moving Product Engineering under its own sub-group is refused, beside the field.
      await page.getByRole('button', { name: 'Edit group Product Engineering' }).click();
      const editGroup = page.getByRole('form', { name: 'Edit Product Engineering' });
      await editGroup.getByLabel('Inside').selectOption({
        label: 'Acme Engineering / Product Engineering / Mobile',
      });
      await editGroup.getByRole('button', { name: 'Save group' }).click();
      await editGroup.getByText('Is inside this group: that would be a cycle.').waitFor();
      await expect(editGroup.getByLabel('Inside').getAttribute('aria-invalid')).resolves.toBe('true');
      await auditPage(page, 'admin-org-group-cycle');
      await editGroup.getByRole('button', { name: 'Cancel' }).click();

      // A new team in Platform, then moved to Mobile.
      await page.getByRole('button', { name: 'New team' }).click();
      const newTeam = page.getByRole('form', { name: 'New team' });
      await newTeam.getByLabel('Team name').fill('iOS');
      await newTeam.getByLabel('In group').selectOption({ label: 'Acme Engineering / Platform' });
      await newTeam.getByRole('button', { name: 'Create team' }).click();
      await page.getByText('Created team “iOS” in Acme Engineering / Platform.').waitFor();
      await page.getByRole('button', { name: 'Edit team iOS' }).click();
      const editTeam = page.getByRole('form', { name: 'Edit iOS' });
      await editTeam.getByLabel('In group').selectOption({
        label: 'Acme Engineering / Product Engineering / Mobile',
      });
      await editTeam.getByRole('button', { name: 'Save team' }).click();
      await page.getByText('Saved team “iOS” in Acme Engineering / Product Engineering / Mobile.').waitFor();
      await expect(mobile.locator('.org-tree__team').textContent()).resolves.toMatch(
        /^iOS · 0 members, 0 leads/,
      );
      await auditPage(page, 'admin-org-forms');

      // Erin joins iOS as its lead.
      await page.getByRole('link', { name: 'Members of iOS' }).click();
      await page.getByRole('heading', { name: 'Team iOS' }).waitFor();
      await page.getByText('Nobody in this team yet').waitFor();
      await page.getByLabel('Find a person by name or email').fill('engineer@');
      await page.getByRole('button', { name: 'Find' }).click();
      await page.getByRole('button', { name: 'Add Erin Engineer as lead' }).click();
      await page.getByText('Added Erin Engineer to iOS as lead.').waitFor();
      const members = page.getByRole('table', { name: /Members and leads of iOS/ });
      await members.getByRole('rowheader', { name: 'Erin Engineer' }).waitFor();
      await expect(members.getByLabel('Role of Erin Engineer').inputValue()).resolves.toBe('lead');
      await auditPage(page, 'admin-team-members');

      // Lee Lead is deactivated after a confirm step that says what happens.
      await page
        .getByRole('navigation', { name: 'Administration' })
        .getByRole('link', { name: 'People' })
        .click();
      await page.getByLabel('Search by name or email').fill('lead@');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'Lee Lead' }).click();
      await page.getByRole('heading', { name: 'Lee Lead', level: 2 }).waitFor();
      await expect(page.getByText('Status:').locator('..').textContent()).resolves.toContain('Active');
      await auditPage(page, 'admin-person');
      await page.getByRole('button', { name: 'Deactivate…' }).click();
      const confirm = page.getByRole('group', { name: 'Deactivate Lee Lead?' });
      await expect(confirm.textContent()).resolves.toMatch(/cannot sign in any more.*History is kept/);
      await auditPage(page, 'admin-person-deactivate-confirm');
      await confirm.getByRole('button', { name: 'Deactivate Lee Lead' }).click();
      await page.getByRole('button', { name: 'Reactivate' }).waitFor();
      await expect(page.getByText('Status:').locator('..').textContent()).resolves.toContain('Deactivated');

      // What the admin did is in the audit log.
      await page
        .getByRole('navigation', { name: 'Administration' })
        .getByRole('link', { name: 'Audit log' })
        .click();
      const log = page.getByRole('table', { name: /Audit log/ });
      await log.waitFor();
      const text = (await log.textContent()) ?? '';
      for (const action of [
        'group.create',
        'team.create',
        'team.move',
        'membership.add',
        'person.deactivate',
      ])
        expect(text).toContain(action);
    } finally {
      await page.context().close();
    }
  });

  it('an invited person sees the rules, is refused a common password, sets a good one and lands signed in', async () => {
    const admin = await signedInAdmin(demo.browser);
    const invitee = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      await admin.goto(`${demo.app.baseUrl}/admin/people`);
      await admin.getByRole('button', { name: 'Add person' }).click();
      const form = admin.getByRole('form', { name: 'Add a person' });
      await form.getByLabel('Name').fill('Ivy Invitee');
      await form.getByLabel('Work email').fill('ivy.invitee@example.com');
      await expect(form.getByLabel(/Send an invitation email now/).isChecked()).resolves.toBe(true);
      await form.getByRole('button', { name: 'Add person' }).click();
      await admin.getByText('Added Ivy Invitee and sent an invitation to ivy.invitee@example.com.').waitFor();
      await expect(admin.getByText('Status:').locator('..').textContent()).resolves.toContain(
        'Invited (no password yet)',
      );
      await admin.getByLabel('Add to team').selectOption({ label: 'Checkout' });
      await admin.getByRole('button', { name: 'Add to team' }).click();
      await admin.getByRole('link', { name: 'Checkout' }).waitFor();

      const link = await linkFromOutbox(admin, 'ivy.invitee@example.com', 'You are invited to Candor');
      expect(new URL(link).pathname).toBe('/accept-invitation');

      const page = await invitee.newPage();
      await page.goto(link);
      await page.getByRole('heading', { name: 'Set your password' }).waitFor();
      // The token has left the address bar (and so any later Referer, bookmark or redirect).
      await expect(page.evaluate(() => window.location.href)).resolves.not.toContain('token');
      const password = page.getByLabel('New password');
      await expect(page.getByText('Your password must:').locator('..').textContent()).resolves.toMatch(
        /at least 8 characters.*most common passwords.*email address/,
      );
      await auditPage(page, 'auth-accept-invitation');

      await password.fill('corvette');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.getByText('This password is one of the most common passwords; choose another.').waitFor();
      await expect(password.getAttribute('aria-invalid')).resolves.toBe('true');
      await auditPage(page, 'auth-accept-invitation-error');

      await password.fill('ivy keeps a long unusual phrase');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.getByRole('heading', { name: 'Hello, Ivy' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Checkout' }).waitFor();

      // The link worked once.
      await page.goto(link);
      await page.getByRole('button', { name: 'Set password and sign in' }).waitFor();
      await password.fill('another long unusual phrase');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page
        .getByRole('heading', { name: 'This invitation link has expired or was already used' })
        .waitFor();
      await auditPage(page, 'auth-link-used');
    } finally {
      await invitee.close();
      await admin.context().close();
    }
  });

  it('a person who forgot their password asks for a link, sets a new password and is signed in', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const admin = await signedInAdmin(demo.browser);
    try {
      const page = await context.newPage();
      await page.goto(`${demo.app.baseUrl}/login`);
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      await auditPage(page, 'auth-forgot-password');
      await page.getByLabel('Work email').fill('director@example.com');
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'If an active Candor account uses director@example.com',
      );
      await auditPage(page, 'auth-forgot-password-sent');

      // An unknown address gets exactly the same answer.
      await page.getByRole('button', { name: 'Send another link' }).click();
      await page.getByLabel('Work email').fill('nobody-here@example.com');
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'If an active Candor account uses nobody-here@example.com',
      );

      const link = await linkFromOutbox(admin, 'director@example.com', 'Reset your Candor password');
      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await expect(page.evaluate(() => window.location.href)).resolves.not.toContain('token');
      await auditPage(page, 'auth-reset-password');
      await page.getByLabel('New password').fill('director');
      await page.getByRole('button', { name: 'Save password and sign in' }).click();
      await page
        .getByText(/This password (is one of the most common passwords|must not be your email address)/)
        .waitFor();
      await page.getByLabel('New password').fill('dana chose a fresh long phrase');
      await page.getByRole('button', { name: 'Save password and sign in' }).click();
      await page.getByRole('heading', { name: 'Hello, Dana' }).waitFor();

      // The old password no longer works; the new one does.
      const fresh = await demo.browser.newContext();
      try {
        const check = await fresh.newPage();
        await demo.signIn(check, 'director@example.com');
        await check.getByRole('alert').filter({ hasText: 'Email or password is incorrect' }).waitFor();
      } finally {
        await fresh.close();
      }
    } finally {
      await context.close();
      await admin.context().close();
    }
  });
});
