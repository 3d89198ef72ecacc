import type { GateCycle } from '@candor/disclosure';
import { RowSpace, indicator } from './linear-oracle';

/**
 * The independent oracle: every released cell is an equation over the cycles' unknown sums; a set
 * S of cycles is determined when its indicator lies in the row space of those equations (plain
 * Gaussian elimination, linear-oracle.ts). It enumerates every set of hidden cycles (0 < n < k)
 * whose n is below the largest k among them — no search heuristics — and returns those determined.
 */
export function protectedSetsDetermined(
  facts: Map<string, GateCycle>,
  released: readonly (readonly string[])[],
): string[][] {
  const ids = [...facts.keys()].sort();
  const col = new Map(ids.map((id, i) => [id, i]));
  const space = new RowSpace();
  for (const [id, f] of facts)
    if (f.closed && (f.n === 0 || f.n >= f.k)) space.add(indicator([col.get(id)!]));
  for (const cell of released) space.add(indicator(cell.map((id) => col.get(id)!)));
  const hiddenIds = new Set(
    ids.filter((id) => {
      const f = facts.get(id)!;
      return f.n > 0 && f.n < f.k;
    }),
  );
  // A hidden cycle in no released cell is 0 in every vector of the row space, so only cycles in
  // released cells can be part of a determined set; and the row space is the direct sum of its
  // connected components (cells sharing hidden cycles), so a determined protected set has a
  // determined protected part inside one component (the one holding its strictest cycle).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const cell of released) {
    const hs = cell.filter((id) => hiddenIds.has(id));
    for (const h of hs) if (!parent.has(h)) parent.set(h, h);
    for (const h of hs.slice(1)) parent.set(find(h), find(hs[0]!));
  }
  const components = new Map<string, string[]>();
  for (const h of [...parent.keys()].sort()) {
    const r = find(h);
    components.set(r, [...(components.get(r) ?? []), h]);
  }
  const found: string[][] = [];
  for (const hidden of components.values()) {
    const maxK = Math.max(0, ...hidden.map((id) => facts.get(id)!.k));
    const walk = (start: number, chosen: string[], n: number, k: number) => {
      if (chosen.length > 0 && n < k && space.contains(indicator(chosen.map((id) => col.get(id)!))))
        found.push([...chosen]);
      for (let i = start; i < hidden.length; i++) {
        const f = facts.get(hidden[i]!)!;
        if (n + f.n >= maxK) continue;
        walk(i + 1, [...chosen, hidden[i]!], n + f.n, Math.max(k, f.k));
      }
    };
    walk(0, [], 0, 0);
  }
  return found;
}
