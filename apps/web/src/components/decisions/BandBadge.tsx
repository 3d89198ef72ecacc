/** The plain band of a mean ("Strong", "Fine", "Needs attention"), in words and colour. */
import type { Band } from '@candor/contracts';
import { BAND_LABELS } from '@candor/instruments';

export function BandBadge({ band, className }: { band: Band; className?: string }) {
  return (
    <span className={['band', `band--${band}`, className].filter(Boolean).join(' ')} data-band={band}>
      {BAND_LABELS[band]}
    </span>
  );
}

/** ▲/▼ with the tone's colour, and words for screen readers. */
export function ToneArrow({ delta, tone }: { delta: number; tone: 'better' | 'worse' | null }) {
  if (delta === 0) return null;
  const arrow = delta > 0 ? '▲' : '▼';
  return (
    <span className={`tone tone--${tone ?? 'none'}`}>
      <span aria-hidden="true">{arrow}</span>
      {tone && <span className="visually-hidden"> {tone === 'better' ? '(better)' : '(worse)'}</span>}
    </span>
  );
}
