import { fireEvent, screen, waitFor } from '@testing-library/react';
import { FakeCandorApi, demoUser, errorBody, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import ForgotPasswordPage from './ForgotPasswordPage';
import { LoginPage } from './LoginPage';
import { SetPasswordPage } from './SetPasswordPage';
import { forgetLinkTokens } from './link-token';

let api: FakeCandorApi;
const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789_-AB';

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  api.user = null;
  globalThis.fetch = jest.fn(api.fetch);
  forgetLinkTokens();
});

function openLink(path: '/accept-invitation' | '/reset-password', hash = `#token=${TOKEN}`) {
  window.history.replaceState(null, '', `${path}${hash}`);
  return renderRoute(<SetPasswordPage purpose={path === '/accept-invitation' ? 'invitation' : 'reset'} />, {
    url: path,
    path,
    user: null,
    routes: [
      { path: '/', element: <p>Home page</p> },
      { path: '/forgot-password', element: <p>Forgot page</p> },
    ],
  });
}

const submitPassword = (password: string, button = 'Set password and sign in') => {
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: button }));
};

describe('invitation and reset links', () => {
  it('takes the token out of the address bar at once and shows the rules before typing', () => {
    openLink('/accept-invitation');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/accept-invitation');
    const input = screen.getByLabelText('New password');
    expect(input).toHaveAttribute('autocomplete', 'new-password');
    expect(input).toHaveAccessibleDescription(/at least 8 characters.*most common passwords.*email address/);
  });

  it('checks the length locally, shows the server’s field error beside the field, then signs in', async () => {
    api.respondNext(
      /invitations\/accept/,
      400,
      errorBody(400, 'Some fields are not valid', {
        password: ['is one of the most common passwords; choose another'],
      }),
    );
    openLink('/accept-invitation');
    submitPassword('short');
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(/Use at least 8 characters\./);
    expect(api.requests.filter((r) => r.path.includes('invitations'))).toHaveLength(0);

    submitPassword('password1');
    await waitFor(() =>
      expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(
        /This password is one of the most common passwords; choose another\./,
      ),
    );
    expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true');

    api.respondNext(/invitations\/accept/, 200, { accessToken: 't', expiresIn: 3600, user: demoUser });
    submitPassword('a long and unusual phrase');
    expect(await screen.findByText('Home page')).toBeInTheDocument();
    const sent = api.requests.filter((r) => r.path === '/api/auth/invitations/accept').at(-1)!;
    expect(sent.body).toEqual({ token: TOKEN, password: 'a long and unusual phrase' });
    expect(sent.init.referrerPolicy).toBe('no-referrer');
  });

  it('explains an expired or used link and offers a new one', async () => {
    api.respondNext(
      /password-reset\/confirm/,
      400,
      errorBody(400, 'This link is invalid, has expired or has already been used. Ask for a new one.', {
        token: ['is invalid, expired or already used'],
      }),
    );
    // The fake's errorBody has no code; the page keys on the API's `invalid_token` code.
    const original = api.fetch;
    globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await original(input, init);
      if (String(input).includes('password-reset/confirm')) {
        const body = (await response.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, code: 'invalid_token' }), { status: 400 });
      }
      return response;
    });
    openLink('/reset-password');
    submitPassword('a long and unusual phrase', 'Save password and sign in');
    expect(
      await screen.findByRole('heading', {
        name: 'This password reset link has expired or was already used',
      }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('link', { name: 'Send me a new link' }));
    expect(await screen.findByText('Forgot page')).toBeInTheDocument();
  });

  it('says what to do when the link arrives without its token', () => {
    openLink('/accept-invitation', '');
    expect(screen.getByRole('heading', { name: 'This invitation link is incomplete' })).toBeInTheDocument();
  });
});

describe('forgotten password', () => {
  it('answers the same way whether or not the address has an account', async () => {
    api.respondNext(/password-reset$/, 202, { status: 'accepted' });
    renderRoute(<ForgotPasswordPage />, { url: '/forgot-password', path: '/forgot-password', user: null });
    fireEvent.change(screen.getByLabelText('Work email'), { target: { value: 'nobody@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'If an active Candor account uses nobody@example.com, a link to choose a new password is on its way.',
    );
    const sent = api.requests.find((r) => r.path === '/api/auth/password-reset')!;
    expect(sent.body).toEqual({ email: 'nobody@example.com' });
    expect(sent.init.credentials).toBe('omit');
  });

  it('explains throttling', async () => {
    api.respondNext(/password-reset$/, 429, errorBody(429, 'Too many reset requests.'));
    renderRoute(<ForgotPasswordPage />, { url: '/forgot-password', path: '/forgot-password', user: null });
    fireEvent.change(screen.getByLabelText('Work email'), { target: { value: 'ada@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests for a reset link.');
  });
});

describe('sign-in page: single sign-on and the forgotten-password link', () => {
  const renderLogin = (url = '/login') => renderRoute(<LoginPage />, { url, path: '/login', user: null });

  it('offers single sign-on only when the installation configures it, keeping where the person was going', async () => {
    api.fixtures['GET /api/auth/providers'] = {
      password: true,
      oidc: { enabled: true, startUrl: '/api/auth/oidc/start' },
    };
    renderLogin(`/login?next=${encodeURIComponent('/teams/t1')}`);
    const sso = await screen.findByRole('link', { name: 'Sign in with single sign-on' });
    expect(sso).toHaveAttribute('href', '/api/auth/oidc/start?returnTo=%2Fteams%2Ft1');
    expect(screen.getByRole('link', { name: 'Forgot password?' })).toHaveAttribute(
      'href',
      '/forgot-password',
    );
  });

  it('has no single sign-on button when it is off', async () => {
    api.fixtures['GET /api/auth/providers'] = { password: true, oidc: { enabled: false, startUrl: null } };
    renderLogin();
    await waitFor(() => expect(api.requests.some((r) => r.path === '/api/auth/providers')).toBe(true));
    expect(screen.queryByRole('link', { name: /single sign-on/ })).not.toBeInTheDocument();
  });

  it.each([
    ['unknown_person', 'nobody with your email address has been added to Candor yet'],
    ['domain_not_allowed', 'only accepts single sign-on from certain email domains'],
    ['inactive', 'has been deactivated'],
    ['flow_expired', 'Start it again from this page'],
    ['already_linked', 'already linked to another account'],
    ['something_new', 'Single sign-on did not complete'],
  ])('explains sso_error=%s', (code, text) => {
    renderLogin(`/login?sso_error=${code}`);
    expect(screen.getByRole('alert')).toHaveTextContent(text);
  });
});
