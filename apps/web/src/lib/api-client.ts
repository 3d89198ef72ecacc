/**
 * The one HTTP client of the web app. Same-origin JSON under /api; errors become `ApiError`
 * carrying the server's `ErrorResponse` (status, code, message, field errors).
 *
 * A 401 on an authenticated request means the session ended: the registered handler sends the
 * person to /login and keeps the path they wanted (see app/router.tsx). Requests that expect a
 * 401 as an ordinary answer (the login form, the session probe) opt out with `redirectOn401: false`.
 */
import type { ErrorResponse } from '@candor/contracts';

/** Sent on every state-changing request that carries the session cookie. */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_HEADER_VALUE = 'candor';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field → messages, from the server's validation errors. Empty when there are none. */
  readonly fields: Record<string, string[]>;

  constructor(status: number, body: Partial<ErrorResponse> | null) {
    super(body?.message || defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? `HTTP_${status}`;
    this.fields = body?.fields ?? {};
  }
}

/** The request never got an HTTP answer: offline, DNS, connection dropped, CORS. */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('Could not reach Candor. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Please sign in.';
  if (status === 403) return 'You do not have access to this.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (status >= 500) return 'Candor had a problem on its side. Try again in a moment.';
  return `Request failed (${status}).`;
}

type UnauthorizedHandler = () => void;

let unauthorizedHandler: UnauthorizedHandler = () => {
  window.location.assign(loginPath(currentPath()));
};

/** Registers what happens when a signed-in request gets a 401. Returns a function restoring the previous handler. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  const previous = unauthorizedHandler;
  unauthorizedHandler = handler;
  return () => {
    unauthorizedHandler = previous;
  };
}

export function currentPath(): string {
  const { pathname, search, hash } = window.location;
  return `${pathname}${search}${hash}`;
}

export function loginPath(next?: string): string {
  const target = safeNextPath(next);
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}

/** Only same-origin, absolute paths are followed after sign-in (no `//evil.example`, no loops to /login). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return '/';
  return next;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /**
   * 'same-origin' (default) sends the session cookie. The anonymous submission uses 'omit' so that
   * nothing identifying travels with the answers.
   */
  credentials?: RequestCredentials;
  /** Set to false where a 401 is an expected answer rather than an ended session. */
  redirectOn401?: boolean;
  signal?: AbortSignal;
  referrerPolicy?: ReferrerPolicy;
  /** Send `body` (a string) as-is with this content type instead of as JSON, e.g. 'text/csv'. */
  contentType?: string;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, credentials = 'same-origin', redirectOn401 = true, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const raw = options.contentType !== undefined && typeof body === 'string';
  if (body !== undefined) headers['Content-Type'] = raw ? options.contentType! : 'application/json';
  // CSRF: the API refuses a state-changing request signed in with the session cookie unless it
  // carries this header (a cross-site form cannot set it; see docs/security.md). The anonymous
  // submission sends no credentials, so it needs none and carries nothing extra.
  if (method !== 'GET' && credentials !== 'omit') headers[CSRF_HEADER] = CSRF_HEADER_VALUE;

  const init: RequestInit = {
    method,
    headers,
    credentials,
    cache: 'no-store',
    body: body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body),
  };
  if (signal) init.signal = signal;
  if (options.referrerPolicy) init.referrerPolicy = options.referrerPolicy;

  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }

  return handleResponse<T>(response, redirectOn401);
}

async function handleResponse<T>(response: Response, redirectOn401: boolean): Promise<T> {
  const payload = await readBody(response);
  if (!response.ok) {
    const error = new ApiError(response.status, isErrorBody(payload) ? payload : null);
    if (response.status === 401 && redirectOn401) unauthorizedHandler();
    throw error;
  }
  return payload as T;
}

/** Requests that `/early.js` sent before the app's code had loaded, by path under /api. */
interface EarlyRequests {
  [path: string]: { at: number; response: Promise<Response> } | undefined;
}

const EARLY_MAX_AGE_MS = 15_000;

/**
 * Takes over a GET that `/early.js` (apps/web/public) started while the app's code was still
 * loading, and reads it like `apiRequest` would. Each early request is used at most once; returns
 * null when there is none (or it is older than 15 s), and the caller asks as usual.
 */
export function adoptEarlyRequest<T>(
  path: string,
  options: Pick<RequestOptions, 'redirectOn401'> = {},
): Promise<T> | null {
  const early = (window as { __candorEarly?: EarlyRequests }).__candorEarly;
  const started = early?.[path];
  if (!early || !started) return null;
  delete early[path];
  if (Date.now() - started.at > EARLY_MAX_AGE_MS) return null;
  return started.response.then(
    (response) => handleResponse<T>(response, options.redirectOn401 ?? true),
    (error: unknown) => {
      throw new NetworkError(error);
    },
  );
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isErrorBody(value: unknown): value is Partial<ErrorResponse> {
  return typeof value === 'object' && value !== null && 'message' in value;
}
