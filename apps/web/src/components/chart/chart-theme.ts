/**
 * Chart colours. Literal values because SVG presentation attributes do not resolve CSS variables
 * everywhere; they mirror the tokens in styles.css. Contrast against white (WCAG 1.4.11, ≥ 3:1 for
 * graphics): line 6.7:1, band edge 3.7:1, suppressed marker 4.8:1, axis text 7:1.
 */
export const chartTheme = {
  line: '#1d4ed8',
  bandFill: '#dbeafe',
  bandEdge: '#3b82f6',
  suppressed: '#6b7280',
  grid: '#e5e7eb',
  axis: '#4b5563',
  neutral: '#9ca3af',
  surface: '#ffffff',
  /** Team actions: 7:1 on white. */
  action: '#92400e',
  /** A significant change for the better / the worse (5.5:1 and 6.5:1 on white). */
  better: '#047857',
  worse: '#b91c1c',
  /** Suppressed cycle column: a light fill with a dashed edge (3.1:1 on white for the edge). */
  gapFill: '#f3f4f6',
  gapEdge: '#9ca3af',
  /** Band zones behind the line: tints only, the words are in the legend and the labels. */
  zoneStrong: '#f0fdf4',
  zoneAttention: '#fff7ed',
} as const;
