import type { ReactNode } from 'react';

/** The centred card of the signed-out pages: sign-in, forgotten password, invitation and reset links. */
export function AuthCard({
  title,
  lede,
  children,
}: {
  title: string;
  lede?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="auth-layout">
      <main className="auth-card" id="main">
        <p className="brand brand--large" aria-hidden="true">
          <span className="brand__mark" /> Candor
        </p>
        <h1 className="auth-card__title">{title}</h1>
        {lede && <p className="muted">{lede}</p>}
        {children}
      </main>
    </div>
  );
}
