import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * The content width of an element, read before the browser paints and kept up to date with a
 * ResizeObserver. Charts draw at this width directly: unlike Recharts' ResponsiveContainer, which
 * first draws at a guessed size and then again at the measured one, the chart is laid out once.
 * Where layout is not available (jsdom), `fallback` is used.
 */
export function useElementWidth<T extends HTMLElement>(fallback = 320): [RefObject<T | null>, number | null] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const read = (measured: number) => setWidth(Math.floor(measured) > 0 ? Math.floor(measured) : fallback);
    read(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) read(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [fallback]);
  return [ref, width];
}
