import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { Skeleton } from '../components/states';
import { useLogout } from '../features/auth/api';
import { useCurrentUser } from '../lib/current-user';

/**
 * Header (product, navigation, who is signed in, sign out) around every signed-in page. On a
 * narrow screen the navigation folds into a menu button: every page stays one tap away, nothing
 * scrolls sideways out of sight.
 */
export function AppShell() {
  const user = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const navId = useId();

  // A link in the menu was followed: close it.
  const [menuPath, setMenuPath] = useState(pathname);
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButtonRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  // After a client-side navigation, move focus to the new page (as a full page load would) so
  // keyboard and screen-reader users start at its content, not on a link that has gone.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pathname]);

  const signOut = () =>
    logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) });

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={menuOpen ? 'topbar topbar--open' : 'topbar'}>
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label="Candor home">
            <span className="brand__mark" aria-hidden="true" />
            Candor
          </Link>
          <button
            ref={menuButtonRef}
            type="button"
            className="button button--ghost topbar__menu"
            aria-expanded={menuOpen}
            aria-controls={navId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="topbar__menu-icon" aria-hidden="true" />
            Menu
          </button>
          <nav
            className="topnav"
            aria-label="Main"
            id={navId}
            onClick={(event) => {
              // Following a link closes the menu at once, before the next page has loaded.
              if ((event.target as Element).closest('a')) setMenuOpen(false);
            }}
          >
            <NavLink to="/" end className="topnav__link">
              Home
            </NavLink>
            {user.directorOf.length > 0 && (
              <NavLink to="/compare" className="topnav__link">
                Compare
              </NavLink>
            )}
            {user.isAdmin && (
              <NavLink to="/admin" className="topnav__link">
                Admin
              </NavLink>
            )}
            {(user.isAdmin || user.teams.some((t) => t.role === 'lead')) && (
              <NavLink to="/schedules" className="topnav__link">
                Schedules
              </NavLink>
            )}
            {user.teams.map((team) => (
              <NavLink
                key={team.teamId}
                to={`/teams/${encodeURIComponent(team.teamId)}`}
                className="topnav__link"
              >
                {team.teamName}
              </NavLink>
            ))}
            <NavLink to="/privacy" className="topnav__link">
              Privacy
            </NavLink>
            <NavLink to="/settings" className="topnav__link">
              Settings
            </NavLink>
          </nav>
          <div className="topbar__user">
            <span className="topbar__name" title={user.email}>
              {user.name}
            </span>
            <button
              type="button"
              className="button button--ghost"
              onClick={signOut}
              disabled={logout.isPending}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="shell__main" tabIndex={-1} ref={mainRef}>
        <Suspense
          fallback={
            // Full height, like the chart pages, so that the footer is not shifted when the page arrives.
            <div className="page page--charts">
              <Skeleton height={480} label="Loading page…" />
            </div>
          }
        >
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">
        <p>
          Candor · anonymous by design: answers are blind-signed and never linked to a person. Results need at
          least k answers. <Link to="/privacy">What is stored, and what k is</Link>
        </p>
      </footer>
    </div>
  );
}
