import { jsonResponse } from '../../test/fake-api';
import {
  ApiError,
  NetworkError,
  apiRequest,
  loginPath,
  safeNextPath,
  setUnauthorizedHandler,
} from './api-client';

describe('apiRequest', () => {
  let restore: () => void;
  const onUnauthorized = jest.fn();

  beforeEach(() => {
    onUnauthorized.mockReset();
    restore = setUnauthorizedHandler(onUnauthorized);
  });
  afterEach(() => restore());

  it('sends JSON to /api with the session cookie by default', async () => {
    const fetchMock = jest.fn().mockResolvedValue(jsonResponse(200, { ok: true }));
    globalThis.fetch = fetchMock;
    await expect(apiRequest('/thing', { method: 'POST', body: { a: 1 } })).resolves.toEqual({ ok: true });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/thing');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"a":1}' });
    expect(init.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-Requested-With': 'candor',
    });
  });

  it('adds the CSRF header only to state-changing requests that carry the session cookie', async () => {
    const fetchMock = jest.fn().mockImplementation(() => Promise.resolve(jsonResponse(200, {})));
    globalThis.fetch = fetchMock;
    await apiRequest('/read');
    await apiRequest('/anonymous', { method: 'POST', body: {}, credentials: 'omit' });
    await apiRequest('/remove', { method: 'DELETE' });
    const headers = fetchMock.mock.calls.map(
      ([, init]) => (init as RequestInit).headers as Record<string, string>,
    );
    expect(headers[0]!['X-Requested-With']).toBeUndefined();
    expect(headers[1]!['X-Requested-With']).toBeUndefined();
    expect(headers[2]!['X-Requested-With']).toBe('candor');
  });

  it('turns an error body into an ApiError with its fields', async () => {
    globalThis.fetch = jest.fn().mockResolvedValue(
      jsonResponse(400, {
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION',
        message: 'Nope',
        fields: { x: ['bad'] },
      }),
    );
    const error = await apiRequest('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION', message: 'Nope', fields: { x: ['bad'] } });
  });

  it('gives a readable message when the body is not JSON', async () => {
    globalThis.fetch = jest.fn().mockResolvedValue({ ok: false, status: 502, text: async () => '<html>' });
    await expect(apiRequest('/x')).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/try again/i),
    });
  });

  it('reports a failed connection as a NetworkError', async () => {
    globalThis.fetch = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(apiRequest('/x')).rejects.toBeInstanceOf(NetworkError);
  });

  it('hands a 401 to the session handler, unless the caller expects it', async () => {
    globalThis.fetch = jest.fn().mockResolvedValue(jsonResponse(401, { message: 'Unauthorized' }));
    await expect(apiRequest('/teams/1/trend')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(apiRequest('/auth/login', { method: 'POST', redirectOn401: false })).rejects.toMatchObject({
      status: 401,
    });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('returns nothing for 204', async () => {
    globalThis.fetch = jest.fn().mockResolvedValue(jsonResponse(204, undefined));
    await expect(apiRequest('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });
});

describe('safeNextPath / loginPath', () => {
  it.each([
    ['/teams/1?x=1#y', '/teams/1?x=1#y'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/login?next=/x', '/'],
    [null, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it('keeps where the person wanted to go', () => {
    expect(loginPath('/teams/a b')).toBe('/login?next=%2Fteams%2Fa%20b');
    expect(loginPath('/')).toBe('/login');
  });
});
