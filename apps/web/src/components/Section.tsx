import { useId, type ReactNode } from 'react';
import { useDocumentTitle } from './useDocumentTitle';

/** One admin section: a card with its heading, and the page title set to match. */
export function Section({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  useDocumentTitle(`${title} · Administration`);
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card__header">
        <h2 id={id} className="card__title">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
