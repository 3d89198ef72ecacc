import { fireEvent, screen, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, type CycleKeys } from '../../test/fake-api';
import { renderRoute } from '../../test/render';
import { AppShell } from './AppShell';

beforeEach(() => {
  globalThis.fetch = jest.fn(new FakeCandorApi({} as CycleKeys).fetch);
});

const renderShell = () =>
  // One shell for every path, as in the app: following a link changes the path under it.
  renderRoute(<AppShell />, { url: '/', path: '/*', user: demoUser });

describe('AppShell navigation menu (narrow screens)', () => {
  it('opens and closes the menu with its button, says whether it is open, and closes on Escape with focus back on the button', () => {
    renderShell();
    const button = screen.getByRole('button', { name: 'Menu' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveAttribute('aria-controls', nav.id);
    fireEvent.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(document.querySelector('.topbar')).toHaveClass('topbar--open');
    // Every page is in it, Privacy and Settings included (they were cut off on a phone).
    expect(
      within(nav)
        .getAllByRole('link')
        .map((l) => l.textContent),
    ).toEqual(['Home', 'Schedules', 'Platform', 'Payments', 'Privacy', 'Settings']);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveFocus();
  });

  it('closes when a link in it is followed', () => {
    renderShell();
    fireEvent.click(screen.getByRole('button', { name: 'Menu' }));
    fireEvent.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Privacy' }),
    );
    expect(screen.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
  });
});
