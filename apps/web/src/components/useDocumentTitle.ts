import { useEffect } from 'react';

/** Sets the tab title ("Team results · Candor") so screen-reader users hear where a navigation landed. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Candor` : 'Candor';
  }, [title]);
}
