/**
 * The one-time token of an invitation or password-reset link arrives in the URL fragment
 * (`/accept-invitation#token=…`), which browsers never send to a server or in a Referer. It is
 * read once, kept in memory for this page, and removed from the address bar and the history
 * entry at once (history.replaceState), so it cannot leak through a bookmark, a shared screen,
 * a later redirect (e.g. /login?next=…) or a browser extension reading the URL.
 */
const taken = new Map<string, string | null>();

const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

export function takeLinkToken(): string | null {
  const { pathname, search, hash } = window.location;
  const fromHash = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (fromHash !== null) {
    window.history.replaceState(window.history.state, '', `${pathname}${search}`);
    taken.set(pathname, TOKEN.test(fromHash) ? fromHash : null);
  }
  return taken.get(pathname) ?? null;
}

/** For tests: forget tokens read earlier. */
export function forgetLinkTokens(): void {
  taken.clear();
}
