import { Link } from 'react-router';
import { useDocumentTitle } from '../../components/useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="page page--narrow">
      <section className="card not-found" aria-labelledby="not-found-title">
        <p className="not-found__code" aria-hidden="true">
          404
        </p>
        <h1 id="not-found-title">Page not found</h1>
        <p>There is nothing at this address. The link may be old, or mistyped.</p>
        <p>
          <Link className="button button--primary" to="/">
            Go to home
          </Link>
        </p>
      </section>
    </div>
  );
}
