import { fireEvent, screen, waitFor } from '@testing-library/react';
import { FakeCandorApi, errorBody, generateCycleKeys, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import { LoginPage } from './LoginPage';

let keys: CycleKeys;
let api: FakeCandorApi;

beforeAll(async () => {
  keys = await generateCycleKeys();
});

beforeEach(() => {
  api = new FakeCandorApi(keys);
  api.user = null;
  globalThis.fetch = jest.fn(api.fetch);
});

function renderLogin(url = '/login') {
  return renderRoute(<LoginPage />, {
    url,
    path: '/login',
    user: null,
    routes: [
      { path: '/', element: <p>Home page</p> },
      { path: '/teams/:teamId', element: <p>Team page</p> },
    ],
  });
}

async function fillAndSubmit(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Work email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('has labelled fields with the right autocomplete and no hard-coded demo credentials', async () => {
    renderLogin();
    expect(screen.getByLabelText('Work email')).toHaveAttribute('autocomplete', 'username');
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
    expect(document.body.textContent).not.toMatch(/demo|@example\.com|password:/i);
  });

  it('shows a message under each empty field, focuses the first and sends nothing', async () => {
    renderLogin();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const email = screen.getByLabelText('Work email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(email).toHaveFocus();
    expect(api.requests.filter((r) => r.path === '/api/auth/login')).toHaveLength(0);
  });

  it('rejects a malformed email before asking the server', () => {
    renderLogin();
    void fillAndSubmit('ada', 'secret');
    expect(screen.getByLabelText('Work email')).toHaveAccessibleDescription(
      'Enter an email address like name@example.com.',
    );
  });

  it('shows the server’s message for wrong credentials and clears the password', async () => {
    renderLogin();
    await fillAndSubmit('ada@example.com', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(screen.getByLabelText('Work email')).toHaveValue('ada@example.com');
  });

  it('puts field errors from a 400 next to their fields', async () => {
    api.respondNext(/auth\/login/, 400, errorBody(400, 'Validation failed', { email: ['must be an email'] }));
    renderLogin();
    await fillAndSubmit('ada@example.com', 'x');
    await waitFor(() =>
      expect(screen.getByLabelText('Work email')).toHaveAccessibleDescription('must be an email'),
    );
    expect(screen.getByLabelText('Work email')).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('explains throttling', async () => {
    api.respondNext(/auth\/login/, 429, errorBody(429, 'ThrottlerException: Too Many Requests'));
    renderLogin();
    await fillAndSubmit('ada@example.com', 'password');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many sign-in attempts. Wait a minute before trying again.',
    );
  });

  it('explains a network failure', async () => {
    api.failNext(/auth\/login/, 'drop-before');
    renderLogin();
    await fillAndSubmit('ada@example.com', 'password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach Candor.');
  });

  it('signs in and continues to the page the person wanted', async () => {
    renderLogin(`/login?next=${encodeURIComponent('/teams/team-1')}`);
    expect(screen.getByText('Sign in to continue to the page you opened.')).toBeInTheDocument();
    await fillAndSubmit('ada@example.com', 'password');
    expect(await screen.findByText('Team page')).toBeInTheDocument();
    const login = api.requests.find((r) => r.path === '/api/auth/login')!;
    expect(login.body).toEqual({ email: 'ada@example.com', password: 'password' });
    expect(login.init.credentials).toBe('same-origin');
  });

  it('never follows a next parameter off this site', async () => {
    renderLogin(`/login?next=${encodeURIComponent('//evil.example/phish')}`);
    await fillAndSubmit('ada@example.com', 'password');
    expect(await screen.findByText('Home page')).toBeInTheDocument();
  });
});
