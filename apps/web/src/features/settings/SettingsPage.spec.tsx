import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, errorBody, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import SettingsPage from './SettingsPage';

let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  globalThis.fetch = jest.fn(api.fetch);
  api.fixtures['GET /api/me/preferences'] = { remindersEnabled: true };
  api.fixtures['GET /api/teams/team-1/slack'] = {
    configured: true,
    hint: 'https://hooks.slack.com/services/T000/…',
  };
});

const renderSettings = () =>
  renderRoute(<SettingsPage />, { url: '/settings', path: '/settings', user: demoUser });

describe('SettingsPage', () => {
  it('turns reminders off with a PATCH that carries the CSRF header', async () => {
    renderSettings();
    const toggle = await screen.findByLabelText('Send me reminder emails while a survey is open');
    expect(toggle).toBeChecked();
    api.respondNext(/^PATCH \/api\/me\/preferences$/, 200, { remindersEnabled: false });
    fireEvent.click(toggle);
    // The box shows the new choice at once and stays so until the server answers — no snap back.
    expect(toggle).not.toBeChecked();
    expect(toggle).toBeDisabled();
    expect(await screen.findByText('Reminders off.')).toBeInTheDocument();
    const sent = api.requests.find((r) => r.method === 'PATCH')!;
    expect(sent.path).toBe('/api/me/preferences');
    expect(sent.body).toEqual({ remindersEnabled: false });
    expect((sent.init.headers as Record<string, string>)['X-Requested-With']).toBe('candor');
    expect(sent.init.credentials).toBe('same-origin');
    await waitFor(() => expect(toggle).not.toBeChecked());
  });

  it('goes back to the stored value when the server refuses the change', async () => {
    renderSettings();
    const toggle = await screen.findByLabelText('Send me reminder emails while a survey is open');
    api.respondNext(/^PATCH \/api\/me\/preferences$/, 400, errorBody(400, 'Could not save the preference'));
    fireEvent.click(toggle);
    expect(toggle).not.toBeChecked();
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(toggle).toBeChecked();
    expect(toggle).toBeEnabled();
  });

  it('shows the Slack hint for teams the person leads, never the full URL, and saves a new one', async () => {
    renderSettings();
    expect(await screen.findByText('https://hooks.slack.com/services/T000/…')).toBeInTheDocument();
    // Only the team they lead (Platform), not the one they are a member of (Payments).
    expect(screen.getByRole('heading', { name: 'Slack for Platform' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Slack for Payments' })).not.toBeInTheDocument();
    const input = screen.getByLabelText('Replace the webhook URL');
    expect(input).toHaveValue('');

    api.respondNext(
      /^PUT \/api\/teams\/team-1\/slack$/,
      400,
      errorBody(400, 'Invalid', { webhookUrl: ['must be a Slack incoming-webhook URL'] }),
    );
    fireEvent.change(input, { target: { value: 'https://example.com/x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save webhook' }));
    await waitFor(() => expect(input).toHaveAccessibleDescription('must be a Slack incoming-webhook URL'));

    api.respondNext(/^PUT \/api\/teams\/team-1\/slack$/, 200, {
      configured: true,
      hint: 'https://hooks.slack.com/services/T111/…',
    });
    fireEvent.change(input, { target: { value: 'https://hooks.slack.com/services/T111/B/secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save webhook' }));
    expect(await screen.findByText('Slack webhook saved.')).toBeInTheDocument();
    expect(screen.getByText('https://hooks.slack.com/services/T111/…')).toBeInTheDocument();
    expect(screen.queryByText(/secret/)).not.toBeInTheDocument();
    expect(input).toHaveValue('');
    const puts = api.requests.filter((r) => r.method === 'PUT');
    expect(puts.at(-1)!.body).toEqual({ webhookUrl: 'https://hooks.slack.com/services/T111/B/secret' });
  });

  it('turns Slack off with a null webhook', async () => {
    renderSettings();
    const off = await screen.findByRole('button', { name: 'Turn off Slack' });
    api.respondNext(/^PUT/, 200, { configured: false, hint: null });
    fireEvent.click(off);
    expect(await screen.findByText('Slack turned off for this team.')).toBeInTheDocument();
    expect(api.requests.find((r) => r.method === 'PUT')!.body).toEqual({ webhookUrl: null });
  });

  it('changes the password: checks the two new ones agree, shows the server’s field messages, then signs out', async () => {
    const { router } = renderSettings();
    const form = await screen.findByRole('form', { name: 'Change your password' });
    const type = (label: string, value: string) =>
      fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    type('Current password', 'old secret words');
    type('New password', 'short');
    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));
    expect(within(form).getByText('Use at least 8 characters.')).toBeInTheDocument();
    type('New password', 'bright yellow kettles');
    type('New password again', 'bright yellow kettle');
    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));
    expect(within(form).getByText('The two new passwords are not the same.')).toBeInTheDocument();
    expect(api.requests.some((r) => r.path === '/api/auth/password')).toBe(false);

    type('New password again', 'bright yellow kettles');
    api.respondNext(
      /^POST \/api\/auth\/password$/,
      400,
      errorBody(400, 'Some fields are not valid', { currentPassword: ['is not your current password'] }),
    );
    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));
    expect(await within(form).findByText('is not your current password')).toBeInTheDocument();
    expect(within(form).getByLabelText('Current password')).toHaveAttribute('aria-invalid', 'true');

    api.respondNext(/^POST \/api\/auth\/password$/, 204, undefined);
    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));
    await waitFor(() =>
      expect(router.state.location.pathname + router.state.location.search).toBe('/login?changed=password'),
    );
    const sent = api.requests.filter((r) => r.path === '/api/auth/password').at(-1)!;
    expect(sent.body).toEqual({ currentPassword: 'old secret words', newPassword: 'bright yellow kettles' });
    expect((sent.init.headers as Record<string, string>)['X-Requested-With']).toBe('candor');
  });
});
