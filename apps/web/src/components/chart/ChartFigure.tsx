/**
 * The shell every chart figure shares: a caption that names the figure and says what is plotted,
 * a headline with the latest value, the chart and its legend (the caller's), and a toggle that
 * shows the same data as a table.
 */
import { useId, useState, type ReactNode } from 'react';

export interface ChartFigureProps {
  title: string;
  headingLevel?: 'h2' | 'h3' | 'h4';
  /** Id for the heading, so an enclosing section can be labelled by it. */
  headingId?: string;
  /** Small multiple. */
  compact?: boolean;
  /** Further classes on the figure. */
  className?: string;
  /** One sentence on what the number means. */
  description?: ReactNode;
  /** What one point is, on which scale, and what is left out. */
  meta?: ReactNode;
  /** The data table, drawn only while it is open. */
  table: () => ReactNode;
  /** The headline, the chart, its legend. */
  children: ReactNode;
}

export function ChartFigure({
  title,
  headingLevel: Heading = 'h3',
  headingId,
  compact = false,
  className,
  description,
  meta,
  table,
  children,
}: ChartFigureProps) {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const classes = ['figure', compact && 'figure--compact', className].filter(Boolean).join(' ');

  return (
    <figure className={classes}>
      <figcaption className="figure__header">
        <Heading className="figure__title" id={headingId}>
          {title}
        </Heading>
        {description && <p className="figure__description">{description}</p>}
        {meta && <p className="figure__meta">{meta}</p>}
      </figcaption>

      {children}

      <button
        type="button"
        className="button button--link"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((open) => !open)}
      >
        {showTable ? 'Hide data table' : 'Show data table'}
      </button>
      <div id={tableId} hidden={!showTable}>
        {showTable && table()}
      </div>
    </figure>
  );
}

/**
 * The headline under the caption: the latest `value` in large type and what it rests on
 * (`children`); with no value, `children` says why there is none.
 */
export function FigureLatest({ value, children }: { value?: string; children: ReactNode }) {
  if (value === undefined) return <p className="figure__latest figure__latest--none">{children}</p>;
  return (
    <p className="figure__latest">
      <span className="figure__latest-value">{value}</span>
      <span className="figure__latest-detail">{children}</span>
    </p>
  );
}

/** The swatches of styles.css (`.legend__swatch--*`). */
export type LegendSwatch =
  | 'line'
  | 'band'
  | 'suppressed'
  | 'significant'
  | 'action'
  | 'threshold'
  | 'gap'
  | 'better'
  | 'worse'
  | 'zone-strong'
  | 'zone-attention';

/** What the marks of a chart mean, one swatch and a few words each. */
export function Legend({ items }: { items: readonly { swatch: LegendSwatch; label: string }[] }) {
  return (
    <ul className="legend" aria-label="Legend">
      {items.map(({ swatch, label }) => (
        <li key={swatch}>
          <span className={`legend__swatch legend__swatch--${swatch}`} aria-hidden="true" /> {label}
        </li>
      ))}
    </ul>
  );
}
